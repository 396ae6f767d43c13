/**
 * Lead images end to end: published in the RSS, Atom and JSON feeds, shown on story cards and pages
 * (lazy, sized, with alt text, "No image" where a story has none), from the shipped demo feeds
 * through a real fetch, store and a real headless Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedSource, Story } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { renderFeed, type SiteInfo } from '../src/publish/feed-builder';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';

const site: SiteInfo = { baseUrl: 'https://wire.example', title: 'Test Wire', description: 'test' };

function story(id: number, imageUrl: string | null, title: string): Story {
  return {
    id,
    title,
    summary: `Summary of ${title}.`,
    url: `https://outlet.example/${id}`,
    author: null,
    categories: [],
    imageUrl,
    predicted: { label: 'video', confidence: 0.9, terms: [] },
    editorLabel: null,
    label: 'video',
    status: 'approved',
    pinned: false,
    published: true,
    publishedAt: `2026-05-0${id}T08:00:00.000Z`,
    firstSeenAt: '2026-05-01T00:00:00.000Z',
    updatedAt: `2026-05-0${id}T08:00:00.000Z`,
    outlets: [{ feedId: 'outlet', feedName: 'Outlet', url: `https://outlet.example/${id}`, publishedAt: '2026-05-01T00:00:00.000Z' }],
  };
}

const stories = [
  story(4, 'https://cdn.outlet.example/veo-4/hero.jpg?w=1200&h=630', 'Veo 4 gets native audio'),
  story(3, null, 'Pika adds lip sync'),
  story(2, 'javascript:alert(1)', 'A story whose stored image is not http'),
  story(1, 'https://cdn.outlet.example/cdn-cgi/image/f=auto/kling', 'Kling image without a file type'),
];
const reader: FeedSource = { id: 'reader', name: 'Reader', url: 'https://wire.example/feeds/all.rss', enabled: true };

describe('lead images in the published feeds', () => {
  it('RSS carries an image enclosure, Atom a link rel="enclosure" (Media RSS without a known type), JSON Feed an image; a reader gets the same URL back', async () => {
    const rss = renderFeed('rss', 'all', stories, site);
    const atom = renderFeed('atom', 'all', stories, site);
    expect(rss).toContain('<enclosure length="0" type="image/jpeg" url="https://cdn.outlet.example/veo-4/hero.jpg?w=1200&amp;h=630"/>');
    expect(atom).toContain('<link rel="enclosure" href="https://cdn.outlet.example/veo-4/hero.jpg?w=1200&amp;h=630" type="image/jpeg"/>');
    for (const xml of [rss, atom]) {
      expect(xml.match(/enclosure/g)).toHaveLength(1);
      expect(xml).not.toContain('javascript:');
      const parsed = await parseFeedDocument(xml, reader, new Date('2026-05-10T00:00:00Z'), reader.url);
      if (!parsed.ok) throw new Error(parsed.error.message);
      // The extensionless image goes out as media:content medium="image" (see image-without-extension.test.ts).
      expect(xml).toContain('<media:content url="https://cdn.outlet.example/cdn-cgi/image/f=auto/kling" medium="image"/>');
      expect(parsed.items.map((item) => item.imageUrl)).toEqual([
        'https://cdn.outlet.example/veo-4/hero.jpg?w=1200&h=630',
        null,
        null,
        'https://cdn.outlet.example/cdn-cgi/image/f=auto/kling',
      ]);
    }
    const json = JSON.parse(renderFeed('json', 'all', stories, site)) as { items: { title: string; image?: string }[] };
    expect(json.items.map((item) => item.image ?? null)).toEqual([
      'https://cdn.outlet.example/veo-4/hero.jpg?w=1200&h=630',
      null,
      null,
      'https://cdn.outlet.example/cdn-cgi/image/f=auto/kling',
    ]);
  });
});

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const demoDir = path.join(repoRoot, 'data', 'demo');
const CHROMIUM_PATH = '/usr/bin/chromium';
/** Runs in the page: the <img> finished loading a real picture (the tests compile without DOM types). */
const imageLoaded = (img: unknown): boolean => {
  const element = img as { complete: boolean; naturalWidth: number };
  return element.complete && element.naturalWidth > 0;
};

describe('the demo feeds show their pictures on a fresh start', () => {
  let fixtures: FixtureServer;
  let services: TestServices;
  let app: RunningApp;
  let context: BrowserContext | undefined;
  let profile: string | undefined;

  beforeAll(async () => {
    // The shipped demo files, served as a publisher would serve them (images included).
    const serve = (type: string) => (request: { url?: string }, response: import('node:http').ServerResponse) => {
      const file = path.join(demoDir, new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/demo\//, ''));
      response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    };
    const images = Object.fromEntries(
      ['ideogram4-poster', 'firefly-models', 'kling3-storyboard', 'flux3-detail', 'runway-world', 'sora3-android', 'ray4-still', 'veo4-hero',
        'quarto-timeline', 'hailuo-03', 'seedance-2-arena', 'gpt-image-2-grid', 'mj-v8-samples', 'krea-canvas', 'recraft-v4-vector', 'wan3-open',
        'hunyuanimage4'].map((name) => [`/demo/images/${name}.svg`, serve('image/svg+xml')]),
    );
    fixtures = await startFixtureServer({
      '/demo/framewire.rss': serve('application/rss+xml'),
      '/demo/pixelpost.atom': serve('application/atom+xml'),
      '/demo/modelbeat.rdf': serve('application/rdf+xml'),
      ...images,
    });
    services = createTestServices({
      server: TEST_SITE_SERVER,
      feeds: [
        { id: 'framewire', name: 'FrameWire', url: `${fixtures.origin}/demo/framewire.rss` },
        { id: 'pixelpost', name: 'PixelPost', url: `${fixtures.origin}/demo/pixelpost.atom` },
        { id: 'modelbeat', name: 'ModelBeat', url: `${fixtures.origin}/demo/modelbeat.rdf` },
      ],
    });
    await runFetchOnce(services, { force: true });
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
    await fixtures?.close();
    services?.dispose();
  });

  it('stores an image for the demo stories that have one, from every kind of source', () => {
    const all = services.stories.listForReview({ limit: 500, offset: 0 });
    const imageOf = (pattern: RegExp) => all.find((s) => pattern.test(s.title))?.imageUrl;
    expect(imageOf(/Ideogram 4 nails typography/)).toBe(`${fixtures.origin}/demo/images/ideogram4-poster.svg`);
    expect(imageOf(/Kling 3\.0 adds multi-shot/)).toBe(`${fixtures.origin}/demo/images/kling3-storyboard.svg`);
    expect(imageOf(/Krea.s real-time canvas/)).toBe(`${fixtures.origin}/demo/images/krea-canvas.svg`);
    expect(imageOf(/Alibaba open-sources Wan 3\.0/)).toBe(`${fixtures.origin}/demo/images/wan3-open.svg`);
    expect(imageOf(/Higgsfield opens its camera-move presets/)).toBeNull();
    const published = all.filter((s) => s.published);
    expect(published.filter((s) => s.imageUrl !== null).length).toBeGreaterThan(5);
  });

  it('index cards, story pages and "Your next read" show the pictures lazily with size and alt text, or "No image"', async () => {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: apt-get install -y chromium`);
    profile = mkdtempSync(path.join(tmpdir(), 'images-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      headless: true,
      viewport: { width: 1100, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });

    await page.goto(`${app.origin}/`);
    const cards = page.locator('.stories li');
    const cardCount = await cards.count();
    expect(cardCount).toBeGreaterThan(3);
    const images = page.locator('.stories img.story-image');
    const placeholders = page.locator('.stories .no-image');
    expect((await images.count()) + (await placeholders.count())).toBe(cardCount);
    expect(await images.count()).toBeGreaterThan(0);
    const first = images.first();
    expect(await first.getAttribute('loading')).toBe('lazy');
    expect(await first.getAttribute('width')).toBe('160');
    expect(await first.getAttribute('height')).toBe('90');
    expect(await first.getAttribute('alt')).not.toBe('');
    await first.scrollIntoViewIfNeeded();
    await page.waitForFunction(imageLoaded, await first.elementHandle());

    // A story page with a picture: the picture, and link-preview tags pointing at it.
    const all = services.stories.listForReview({ limit: 500, offset: 0 });
    const pictured = all.find((s) => s.published && s.imageUrl !== null && s.label !== 'neither')!;
    await page.goto(`${app.origin}/stories/${pictured.id}`);
    const lead = page.locator('article img.story-image-lead');
    expect(await lead.getAttribute('src')).toBe(pictured.imageUrl);
    expect(await lead.getAttribute('alt')).toBe(pictured.title);
    await page.waitForFunction(imageLoaded, await lead.elementHandle());
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toBe(pictured.imageUrl);
    expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary_large_image');
    const nextRead = page.locator('.related li');
    expect(await nextRead.count()).toBeGreaterThan(0);
    expect(await page.locator('.related li .story-image').count()).toBe(await nextRead.count());

    // A story page without one: the placeholder says so, and the card asks for no large image.
    const bare = all.find((s) => s.published && s.imageUrl === null && s.label !== 'neither')!;
    expect(bare, 'the demo should publish at least one story without a picture').toBeDefined();
    await page.goto(`${app.origin}/stories/${bare.id}`);
    expect(await page.locator('article .no-image').getAttribute('aria-label')).toBe('No image');
    expect(await page.locator('article .no-image').innerText()).toBe('No image');
    expect(await page.locator('meta[property="og:image"]').count()).toBe(0);
    expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary');
    expect(blocked).toEqual([]);
  }, 60_000);
});
