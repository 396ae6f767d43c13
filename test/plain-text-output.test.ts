/**
 * Titles, authors and outlet names are plain text in every public output: RSS (titles sit in
 * CDATA), Atom, JSON Feed, the story and index pages and the review page. Whatever a source feed
 * managed to put into a headline, no tag comes out live; a "<" that is not a tag stays readable;
 * bidi overrides and C1 controls are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';

const EDITOR_TOKEN = 'plain-text-test-token-8d2c41f0a7';

/**
 * Headlines as the parser can hand them over: a source that double-escaped markup
 * (`&amp;lt;img …&amp;gt;`) yields a literal tag once entities are decoded.
 */
const STORED = {
  img: { guid: 'vidora-gen5', title: '<img src=x onerror=alert(1)> Vidora ships Gen-5 with longer shots', author: '<b onmouseover="alert(2)">Mallory</b> Reyes' },
  entity: { guid: 'canvasly', title: '&lt;svg onload=alert(3)&gt; Canvasly opens its image API', author: null },
  lessThan: { guid: 'quickclip', title: 'QuickClip renders 1080p video in <10 seconds, and 4K in < 1 minute', author: null },
  bidi: { guid: 'mirrorlab', title: 'MirrorLab \u202Eoediv\u202C model adds \u0085sound\u009B tracks', author: 'Ana\u202E Ruiz' },
} as const;

/** What an HTML parser would read as the start of a tag, comment or declaration. */
const LIVE_TAG = /<[A-Za-z/!?]/;
const BIDI_OR_C1 = /[\u202A-\u202E\u2066-\u2069\u0080-\u009F]/;

/** Decodes the HTML entities escape-html and XML writers produce (enough for these checks). */
function decodeHtmlText(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('plain-text fields in every public output', () => {
  let services: TestServices;
  let app: RunningApp;

  beforeAll(async () => {
    services = createTestServices({
      server: TEST_SITE_SERVER,
      review: { editorToken: EDITOR_TOKEN },
      feeds: [{ id: 'reelnews', name: 'Reel <i>News</i>', url: 'https://reelnews.example/feed.xml' }],
    });
    let minute = 0;
    for (const entry of Object.values(STORED)) {
      const at = new Date(Date.parse('2026-11-24T08:00:00Z') + (minute += 7) * 60_000).toISOString();
      services.stories.ingestFeedItems(
        'reelnews',
        [
          {
            item: {
              feedId: 'reelnews',
              guid: entry.guid,
              originalUrl: `https://reelnews.example/${entry.guid}`,
              canonicalUrl: `https://reelnews.example/${entry.guid}`,
              title: entry.title,
              summary: `Coverage of ${entry.guid}.`,
              author: entry.author,
              publishedAt: at,
              hasFeedDate: true,
              categories: ['<script>alert(4)</script>'],
              imageUrl: null,
            },
            classification: { label: 'video', confidence: 0.95, terms: ['video'] },
          },
        ],
        { feedId: 'reelnews', at, etag: null, lastModified: null },
        {},
      );
    }
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  const get = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
    const response = await fetch(`${app.origin}${path}`, { headers });
    expect(response.status, path).toBe(200);
    return response.text();
  };

  it('RSS: item titles (in CDATA) and dc:creator carry no tag, and "<10 seconds" stays readable', async () => {
    const xml = await get('/feeds/all.rss');
    const rss = await parseStringPromise(xml, { strict: true });
    const items = rss.rss.channel[0].item as { title: string[]; 'dc:creator': string[]; category: (string | { _: string })[] }[];
    expect(items).toHaveLength(4);
    const titles = items.map((item) => item.title[0]);
    for (const value of [...titles, ...items.map((item) => item['dc:creator'][0])]) {
      expect(value).not.toMatch(LIVE_TAG);
      expect(value).not.toMatch(BIDI_OR_C1);
    }
    expect(titles).toContain('QuickClip renders 1080p video in <10 seconds, and 4K in < 1 minute');
    expect(titles.find((title) => title.includes('Vidora'))).toMatch(/img src=x onerror=alert\(1\)> Vidora ships Gen-5/);
    expect(titles).toContain('MirrorLab oediv model adds sound tracks');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<script');
  });

  it('Atom: titles and authors, once a reader decodes them as HTML, carry no tag', async () => {
    const xml = await get('/feeds/all.atom');
    const atom = await parseStringPromise(xml, { strict: true });
    const entries = atom.feed.entry as { title: { _: string }[]; author: { name: string[] }[] }[];
    expect(entries).toHaveLength(4);
    const titles = entries.map((entry) => decodeHtmlText(entry.title[0]._));
    const authors = entries.map((entry) => entry.author[0].name[0]);
    for (const value of [...titles, ...authors]) {
      expect(value).not.toMatch(LIVE_TAG);
      expect(value).not.toMatch(BIDI_OR_C1);
    }
    expect(titles).toContain('QuickClip renders 1080p video in <10 seconds, and 4K in < 1 minute');
    expect(authors).toContain('Ana Ruiz');
  });

  it('JSON Feed: titles, summaries, authors and outlet names carry no tag', async () => {
    const feed = JSON.parse(await get('/feeds/all.json')) as {
      items: { title: string; summary?: string; authors: { name: string }[]; tags: string[]; _genai_media_wire: { outlets: { name: string }[] } }[];
    };
    expect(feed.items).toHaveLength(4);
    for (const item of feed.items) {
      const texts = [item.title, item.summary ?? '', ...item.authors.map((a) => a.name), ...item.tags, ...item._genai_media_wire.outlets.map((o) => o.name)];
      for (const value of texts) {
        expect(value).not.toMatch(LIVE_TAG);
        expect(value).not.toMatch(BIDI_OR_C1);
      }
    }
    const titles = feed.items.map((item) => item.title);
    expect(titles).toContain('QuickClip renders 1080p video in <10 seconds, and 4K in < 1 minute');
    expect(titles.find((title) => title.includes('Canvasly'))).toMatch(/svg onload=alert\(3\)&gt; Canvasly opens its image API/);
    expect(feed.items[0]._genai_media_wire.outlets[0].name).toMatch(/^Reel .i>News.\/i>$/);
  });

  it('story pages, the index and the review page show the text escaped, without bidi or C1 controls', async () => {
    const stories = services.stories.listForReview({ limit: 10, offset: 0 });
    const signIn = await fetch(`${app.origin}/review/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ editor: 'Desk', token: EDITOR_TOKEN, next: '/review' }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie()[0].split(';')[0];
    const pages = [
      await get('/'),
      await get('/review?status=all', { cookie }),
      ...(await Promise.all(stories.map((story) => get(`/stories/${story.id}`)))),
    ];
    for (const html of pages) {
      expect(html).not.toMatch(/<img src=x|<svg|<b onmouseover|<script>alert/);
      expect(html).not.toMatch(BIDI_OR_C1);
    }
    const quick = stories.find((story) => story.title.startsWith('QuickClip'))!;
    expect(await get(`/stories/${quick.id}`)).toContain('QuickClip renders 1080p video in &lt;10 seconds');
    const mirror = stories.find((story) => story.title.startsWith('MirrorLab'))!;
    expect(await get(`/stories/${mirror.id}`)).toContain('MirrorLab oediv model adds sound tracks');
  });
});
