/**
 * Public responses kept per data version (response-memo.ts, store/data-version.ts), as readers see
 * them: pages and feeds come back compressed with strong ETags and 304s, and change as soon as the data
 * does, whether an editor changed it in this process or the CLI wrote to the database from another one.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getRaw } from '../bench/serving-raw-get';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { isMemoizablePath } from '../src/http/cache-policy';
import { ResponseMemo, withHotPath } from '../src/http/response-memo';
import { createHttpApp } from '../src/http-composition';
import { DataVersionWatcher } from '../src/store/data-version';
import { StoryQueries } from '../src/store/story-queries';
import { RelatedStoriesFinder } from '../src/stories/related';
import { listenOnLoopback, startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { startReviewSite, type ReviewSite } from './support/review-site';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const EDITOR_TOKEN = 'memo-test-editor-token-0123456789';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('public pages kept per data version', () => {
  let review: ReviewSite;

  beforeAll(async () => {
    review = await startReviewSite({
      editorToken: EDITOR_TOKEN,
      deskFeed: '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Daily</title></channel></rss>',
      hostile: { title: 'Pika 3 <b>teaser</b>', summary: 'A clip.', terms: ['pika'] },
    });
  });
  afterAll(() => review.close());

  it('serves a story page compressed with a strong ETag, answers 304, and drops it as soon as an editor rejects it', async () => {
    const story = review.services.stories.listPublishedStories({ category: 'all', limit: 1, offset: 0 })[0];
    const pageUrl = `${review.origin}/stories/${story.id}`;
    const first = await get(pageUrl, { 'accept-encoding': 'gzip' });
    expect(first.status).toBe(200);
    expect(first.body).toContain('Your next read');
    const again = await fetch(pageUrl, { headers: { 'accept-encoding': 'gzip' } });
    // fetch() decodes gzip itself; the raw bytes are checked through the header and the decoded text.
    expect(again.headers.get('content-encoding')).toBe('gzip');
    expect(again.headers.get('vary')).toBe('Accept-Encoding');
    expect(again.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=600');
    expect(again.headers.get('content-security-policy')).toContain("default-src 'none'");
    const etag = again.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(await again.text()).toBe(first.body);
    const notModified = await get(pageUrl, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');

    const index = await get(`${review.origin}/`);
    expect(index.body).toContain(`/stories/${story.id}"`);
    const indexEtag = index.headers.get('etag')!;

    const rejected = await fetch(`${review.origin}/api/stories/${story.id}/reject`, {
      method: 'POST',
      headers: { authorization: `Bearer ${EDITOR_TOKEN}` },
    });
    expect(rejected.status).toBe(200);

    expect((await get(pageUrl, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(404);
    const indexAfter = await get(`${review.origin}/`, { 'if-none-match': indexEtag });
    expect(indexAfter.status).toBe(200);
    expect(indexAfter.body).not.toContain(`/stories/${story.id}"`);
  });
});

describe('a write by another process (the CLI)', () => {
  let services: TestServices;
  let app: RunningApp;
  let configFile: string;

  beforeAll(async () => {
    const demoFeeds = [
      { id: 'demo-framewire', name: 'FrameWire', url: '/demo/framewire.rss' },
      { id: 'demo-pixelpost', name: 'PixelPost', url: '/demo/pixelpost.atom' },
    ];
    services = createTestServices({ server: TEST_SITE_SERVER, feeds: demoFeeds });
    configFile = path.join(services.dir, 'feeds.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: services.config.database.path },
        classifier: { modelPath: services.config.classifier.modelPath, corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: path.join(repoRoot, 'data', 'demo'),
        feeds: demoFeeds,
      }),
    );
    app = await startApp(services);
  });
  afterAll(async () => {
    await app.close();
    services.dispose();
  });

  it('shows up in the feed, index and health that were already served from the memo', async () => {
    const feedUrl = `${app.origin}/feeds/all.rss`;
    const emptyFeed = await get(feedUrl, { 'accept-encoding': 'gzip' });
    expect(emptyFeed.status).toBe(200);
    expect(emptyFeed.body).not.toContain('<item>');
    const etag = emptyFeed.headers.get('etag')!;
    expect((await get(feedUrl, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(304);
    expect((await get(`${app.origin}/`)).body).toContain('No stories published yet');
    expect(JSON.parse((await get(`${app.origin}/health`)).body).summary.ok).toBe(0);

    const cli = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'src', 'cli.ts'), 'fetch-now', '--force'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    expect(code, output).toBe(0);

    // The same conditional request now gets the new feed (PRAGMA data_version is looked at every 250 ms).
    const changed = await eventually(
      () => get(feedUrl, { 'accept-encoding': 'gzip', 'if-none-match': etag }),
      (res) => res.status === 200,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toContain('<item>');
    expect(changed.headers.get('etag')).not.toBe(etag);
    const index = await get(`${app.origin}/`);
    expect(index.body).not.toContain('No stories published yet');
    const health = await eventually(
      async () => JSON.parse((await get(`${app.origin}/health`)).body) as { summary: { ok: number } },
      (report) => report.summary.ok === 2,
    );
    expect(health.summary.ok).toBe(2);
  }, 60_000);
});

describe('the memo is bounded', () => {
  let services: TestServices;
  let memo: ResponseMemo;
  let app: RunningApp;

  beforeAll(async () => {
    services = createTestServices({ server: TEST_SITE_SERVER, feeds: [{ id: 'wire', name: 'Wire', url: 'http://127.0.0.1:9/wire.rss' }] });
    const headlines = [
      'Runway opens Gen-5 to every paid plan with minute-long shots',
      'Pika adds lip sync to its phone app for short explainer clips',
      'Luma Dream Machine learns keyframes for smoother camera moves',
      'Google Veo now renders vertical video for creators on Shorts',
      'Kling 3 arrives in Europe after months of waitlists',
      'Sora storyboard mode lets directors chain scenes from sketches',
      'Adobe Firefly Video lands inside Premiere timelines',
      'Stability releases an open video diffusion checkpoint for researchers',
      'Haiper pivots toward advertising agencies with brand-safe footage',
      'Synthesia avatars gain gestures and multilingual dubbing',
      'Hedra animates podcast portraits into talking-head segments',
      'Genmo Mochi update trims rendering time on consumer GPUs',
      'Moonvalley licenses stock archives to train a clean model',
      'LTX Studio exports shot lists straight to editing suites',
    ];
    ingest(
      services,
      'wire',
      headlines.map((title, i) => ({
        guid: `wire-${i}`,
        title,
        summary: `${title}. The company says the feature ships this week.`,
        publishedAt: new Date(Date.UTC(2026, 10, 20, 8, i)).toISOString(),
        label: 'video' as const,
      })),
    );
    const version = new DataVersionWatcher(services.db, () => [services.stories.publicationState().version]);
    memo = new ResponseMemo({ dataStamp: () => version.current(), isMemoizablePath, maxEntries: 4 });
    app = await listenOnLoopback(withHotPath(memo, createHttpApp(services, undefined, { responseMemo: memo })));
  });
  afterAll(async () => {
    await app.close();
    services.dispose();
  });

  it('keeps at most its limit of feed renders, and every page/limit combination still answers correctly', async () => {
    for (let limit = 1; limit <= 12; limit++) {
      for (let round = 0; round < 2; round++) {
        const res = await fetch(`${app.origin}/feeds/video.json?limit=${limit}`, { headers: { 'accept-encoding': 'gzip' } });
        const feed = (await res.json()) as { items: unknown[] };
        expect(feed.items).toHaveLength(limit);
      }
      expect(memo.stats().entries).toBeLessThanOrEqual(4);
    }
    const raw = await fetch(`${app.origin}/feeds/video.rss?page=2&limit=5`, { headers: { 'accept-encoding': 'identity' } });
    expect((await raw.text()).match(/<item>/g)).toHaveLength(5);
    expect(memo.stats().hits).toBeGreaterThan(0);
  });

  it('compresses a page only into the codings clients ask for, each decoding to the same feed with its own ETag', async () => {
    // A memo of its own, so no other test's entries are evicted while its bytes are counted.
    const version = new DataVersionWatcher(services.db, () => [services.stories.publicationState().version]);
    const memo = new ResponseMemo({ dataStamp: () => version.current(), isMemoizablePath });
    const app = await listenOnLoopback(withHotPath(memo, createHttpApp(services, undefined, { responseMemo: memo })));
    onTestFinished(() => app.close());
    const url = `${app.origin}/feeds/video.atom?page=3&limit=2`;
    const before = memo.stats().bytes;
    const gzip = await getRaw(url, { 'accept-encoding': 'gzip' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const afterGzip = memo.stats().bytes;

    const identity = await getRaw(url, {});
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    // Kept: the document and its gzip bytes; brotli was not made for a client that did not ask for it.
    expect(afterGzip - before).toBe(identity.body.length + gzip.body.length);
    expect(memo.stats().bytes).toBe(afterGzip);

    const br = await getRaw(url, { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(memo.stats().bytes).toBe(afterGzip + br.body.length);
    const etags = new Set([gzip.headers.etag, identity.headers.etag, br.headers.etag]);
    expect(etags.size).toBe(3);
    // Holding any of them is current: 304, naming the tag the client holds.
    const notModified = await getRaw(url, { 'accept-encoding': 'br', 'if-none-match': String(gzip.headers.etag) });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe(gzip.headers.etag);
  });
});

describe('"Your next read" computed once per data version', () => {
  let services: TestServices;

  beforeAll(() => {
    services = createTestServices({
      feeds: [
        { id: 'lens', name: 'Lens Weekly', url: 'http://127.0.0.1:9/lens.rss' },
        { id: 'frame', name: 'Frame Desk', url: 'http://127.0.0.1:9/frame.rss' },
      ],
    });
    const at = (hour: number) => new Date(Date.UTC(2026, 10, 24, hour)).toISOString();
    ingest(services, 'lens', [
      { guid: 'mj8', title: 'Midjourney V8 finally draws hands with five fingers', summary: 'The image model fixes anatomy and legible text on signs.', publishedAt: at(1), label: 'image' },
      { guid: 'flux', title: 'Black Forest Labs ships Flux 2 with faster sampling', summary: 'The open image model renders in under a second.', publishedAt: at(2), label: 'image' },
      { guid: 'ideogram', title: 'Ideogram 3 nails typography on posters', summary: 'Poster text comes out spelled right.', publishedAt: at(3), label: 'image' },
      { guid: 'firefly', title: 'Adobe Firefly Image 4 lands in Photoshop', summary: 'Generative fill gets sharper detail.', publishedAt: at(4), label: 'image' },
    ]);
    ingest(services, 'frame', [
      { guid: 'veo', title: 'Veo 4 renders native audio with video', summary: 'Google DeepMind adds sound to clips.', publishedAt: at(5), label: 'video' },
      { guid: 'kling', title: 'Kling 3 generates two-minute clips', summary: 'Longer video from a single prompt.', publishedAt: at(6), label: 'video' },
    ]);
  });
  afterAll(() => services.dispose());

  it('picks exactly what the per-request computation picks, and follows a new story at once', () => {
    const queries = new StoryQueries(services.db);
    const version = new DataVersionWatcher(services.db, () => [services.stories.publicationState().version]);
    const indexed = new RelatedStoriesFinder(queries, undefined, () => version.current());
    const perRequest = new RelatedStoriesFinder(queries);
    const ids = (stories: { id: number }[]) => stories.map((story) => story.id);
    const published = services.stories.listPublishedStories({ category: 'all', limit: 50, offset: 0 });
    expect(published.length).toBe(6);
    for (const story of published) expect(ids(indexed.findRelated(story))).toEqual(ids(perRequest.findRelated(story)));

    const midjourney = published.find((story) => story.title.startsWith('Midjourney'))!;
    expect(indexed.findRelated(midjourney).map((story) => story.title)).not.toContain('Which image model draws hands with five fingers? An anatomy test');
    ingest(services, 'frame', [
      {
        // A different event (a comparison a few days later), close enough in wording to be the next read.
        guid: 'hands-comparison',
        title: 'Which image model draws hands with five fingers? An anatomy test',
        summary: 'Illustrators compared how image generators handle anatomy, hands and fingers.',
        publishedAt: new Date(Date.UTC(2026, 10, 27, 7)).toISOString(),
        label: 'image',
      },
    ]);
    expect(indexed.findRelated(midjourney)[0].title).toBe('Which image model draws hands with five fingers? An anatomy test');
  });
});
