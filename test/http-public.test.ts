import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import Parser from 'rss-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type HttpLogger } from '../src/http/app';
import type { HealthReport } from '../src/http/health-route';
import { negotiateContentCoding } from '../src/http/send-cached-feed';
import type { FeedHealth, Label, PublishedFeedQuery, PublishedStoryReader, Story } from '../src/model';
import { listenOnLoopback, type RunningApp } from './support/http-app';

/** In-memory stand-in for the storage port, with the same ordering contract (newest first, then id). */
class InMemoryPublishedStories implements PublishedStoryReader {
  version = 1;
  lastModified: string | null = '2026-03-14T12:30:00.000Z';
  listCalls = 0;
  constructor(public stories: Story[]) {}

  listPublishedStories(query: PublishedFeedQuery): Story[] {
    this.listCalls += 1;
    return this.stories
      .filter((s) => s.published && (query.category === 'all' ? s.label !== 'neither' : s.label === query.category))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id)
      .slice(query.offset, query.offset + query.limit);
  }

  publicationState() {
    return { version: this.version, lastModified: this.lastModified };
  }
}

function story(id: number, label: Label, title: string, minutesAgo: number, extra: Partial<Story> = {}): Story {
  const publishedAt = new Date(Date.UTC(2026, 2, 14, 12, 0) - minutesAgo * 60_000).toISOString();
  return {
    id,
    title,
    summary: `Summary ${id} with <em>markup</em> & more`,
    url: `https://news.example.com/a/${id}`,
    author: null,
    categories: [],
    imageUrl: null,
    predicted: { label, confidence: 0.8, terms: [] },
    editorLabel: null,
    label,
    status: 'approved',
    pinned: false,
    published: true,
    publishedAt,
    firstSeenAt: publishedAt,
    updatedAt: publishedAt,
    outlets: [
      { feedId: 'framewire', feedName: 'FrameWire', url: `https://framewire.example/${id}`, publishedAt },
      { feedId: 'pixelpost', feedName: 'PixelPost', url: `https://pixelpost.example/${id}`, publishedAt },
    ],
    ...extra,
  };
}

function makeStories(): Story[] {
  const list: Story[] = [
    story(1, 'video', 'Runway <script>alert(1)</script> Gen-5 & "friends"', 1),
    story(2, 'image', 'Flux ünïcödé bell\u0007 — "quoted" & <b>bold</b>', 2),
    story(3, 'neither', 'Chip earnings (never published)', 3),
  ];
  for (let i = 4; i <= 30; i++) list.push(story(i, i % 2 === 0 ? 'video' : 'image', `Story number ${i}`, i * 10));
  return list;
}

const feedHealth: FeedHealth[] = [
  {
    feed: { id: 'framewire', name: 'FrameWire', url: 'http://127.0.0.1/demo/framewire.rss', enabled: true },
    state: {
      feedId: 'framewire', etag: null, lastModified: null,
      lastFetchAt: '2026-03-14T12:00:00.000Z', lastSuccessAt: '2026-03-14T12:00:00.000Z',
      lastError: null, lastErrorAt: null, consecutiveFailures: 0, nextAttemptAt: '2026-03-14T12:15:00.000Z',
      disabledReason: null, errorCount: 0, lastRepair: null,
    },
    itemCount: 12,
    lastItemAt: '2026-03-14T11:00:00.000Z',
  },
  {
    feed: { id: 'pixelpost', name: 'PixelPost', url: 'http://127.0.0.1/demo/pixelpost.atom', enabled: true },
    state: {
      feedId: 'pixelpost', etag: null, lastModified: null,
      lastFetchAt: '2026-03-14T12:00:00.000Z', lastSuccessAt: '2026-03-13T12:00:00.000Z',
      lastError: 'HTTP 503 from http://127.0.0.1/demo/pixelpost.atom', lastErrorAt: '2026-03-14T12:00:00.000Z',
      consecutiveFailures: 2, nextAttemptAt: '2026-03-14T12:40:00.000Z', disabledReason: null, errorCount: 5, lastRepair: null,
    },
    itemCount: 4,
    lastItemAt: null,
  },
  {
    feed: { id: 'old', name: 'Old blog', url: 'http://127.0.0.1/demo/old.rdf', enabled: false },
    state: {
      feedId: 'old', etag: null, lastModified: null, lastFetchAt: null, lastSuccessAt: null, lastError: null,
      lastErrorAt: null, consecutiveFailures: 0, nextAttemptAt: null, disabledReason: null, errorCount: 0, lastRepair: null,
    },
    itemCount: 0,
    lastItemAt: null,
  },
];

const site = { baseUrl: 'http://wire.test', title: 'GenAI Media Wire', description: 'Generative video and image AI news.' };

/** The parts of a JSON Feed 1.1 document these tests read. */
interface JsonFeedBody {
  version: string;
  feed_url: string;
  home_page_url: string;
  items: { id: string; url: string; title: string; tags: string[] }[];
}
interface ErrorBody {
  error: string;
  message: string;
}
const readJson = async <T>(res: Response): Promise<T> => (await res.json()) as T;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent, still content-coded (fetch would decode them and hide the coding). */
  body: Buffer;
}

/** One request with exactly these headers (Node's http client adds no Accept-Encoding of its own). */
function rawRequest(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Inverse of escape-html (what a reader does with Atom type="html"). */
const decodeHtml = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

let reader: InMemoryPublishedStories;
let healthRows: FeedHealth[];
let app: RunningApp;
let base: string;
let demoDir: string;
const loggedErrors: unknown[] = [];
const logger: HttpLogger = { info: () => {}, error: (message, fields) => loggedErrors.push({ message, ...fields }) };

beforeAll(async () => {
  demoDir = mkdtempSync(path.join(tmpdir(), 'demo-feeds-'));
  writeFileSync(path.join(demoDir, 'framewire.rss'), '<?xml version="1.0"?><rss version="2.0"><channel><title>FW</title></channel></rss>');
  writeFileSync(path.join(demoDir, 'pixelpost.atom'), '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>');
  writeFileSync(path.join(demoDir, 'old.rdf'), '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>');
  reader = new InMemoryPublishedStories(makeStories());
  healthRows = feedHealth;
  const extra = express.Router();
  extra.get('/api/ping', (_req, res) => { res.json({ pong: true }); });
  extra.get('/boom', () => { throw new Error('secret internal detail'); });
  app = await listenOnLoopback(
    createApp({ reader, feedHealth: () => healthRows, site, demoDir, logger, extraRouters: [extra] }),
  );
  base = app.origin;
});

afterAll(async () => {
  await app?.close();
  rmSync(demoDir, { recursive: true, force: true });
});

beforeEach(() => {
  reader.version = 1;
  reader.lastModified = '2026-03-14T12:30:00.000Z';
  reader.stories = makeStories();
  healthRows = feedHealth;
});

const parser = new Parser();

describe('feeds over HTTP', () => {
  it('serves RSS that a reader parses back to the published stories, newest first', async () => {
    const res = await fetch(`${base}/feeds/all.rss`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    // Shared caches in front (CDN, nginx) may reuse it for five minutes and serve it stale while they revalidate.
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=3600');
    const body = await res.text();
    const feed = await parser.parseString(body);
    const expected = reader.listPublishedStories({ category: 'all', limit: 50, offset: 0 });
    expect(feed.items).toHaveLength(29); // 30 stories minus the unpublished "neither"
    expect(feed.items.map((item) => item.link)).toEqual(expected.map((s) => s.url));
    expect(feed.items.map((item) => item.isoDate)).toEqual(expected.map((s) => s.publishedAt));
    // Plain text: the tag openers are shown as "‹", never as markup (test/plain-text-output.test.ts).
    expect(feed.items[0].title).toBe('Runway \u2039script>alert(1)\u2039/script> Gen-5 & "friends"');
    expect(feed.items[1].title).toBe('Flux ünïcödé bell — "quoted" & \u2039b>bold\u2039/b>');
    expect(body).not.toContain('\u0007');
    expect(body.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toMatch(/<script/i);
  });

  it('serves Atom with the same items in the same order', async () => {
    const res = await fetch(`${base}/feeds/video.atom`);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const body = await res.text();
    expect(body).not.toMatch(/<script/i);
    const feed = await parser.parseString(body);
    const expected = reader.listPublishedStories({ category: 'video', limit: 50, offset: 0 });
    // What a reader shows: the stored title as plain text, tag openers as "‹".
    expect(feed.items.map((item) => decodeHtml(item.title ?? ''))).toEqual(expected.map((s) => s.title.replace(/<(?=[a-z/])/gi, '\u2039')));
    expect(feed.items.map((item) => item.link)).toEqual(expected.map((s) => s.url));
    expect(feed.items.map((item) => item.isoDate)).toEqual(expected.map((s) => s.publishedAt));
    expect(feed.items.map((item) => item.id)).toEqual(expected.map((s) => `tag:wire.test,2026:story/${s.id}`));
  });

  it('serves JSON Feed 1.1 whose ids stay the same across versions', async () => {
    const res = await fetch(`${base}/feeds/image.json`);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = await readJson<JsonFeedBody>(res);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe('http://wire.test/feeds/image.json');
    expect(feed.home_page_url).toBe('http://wire.test/');
    expect(feed.items.every((item) => item.tags[0] === 'image')).toBe(true);
    const ids = feed.items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    reader.version = 2;
    reader.stories = reader.stories.map((s) => ({ ...s, title: `${s.title} (edited)` }));
    const after = await readJson<JsonFeedBody>(await fetch(`${base}/feeds/image.json`));
    expect(after.items[0].title).toMatch(/\(edited\)$/);
    expect(after.items.map((item) => item.id)).toEqual(ids);
  });

  it('answers conditional requests with 304 and no body, and changes ETag with the version', async () => {
    const first = await fetch(`${base}/feeds/video.rss`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect(first.headers.get('last-modified')).toBe('Sat, 14 Mar 2026 12:30:00 GMT');

    for (const ifNoneMatch of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await fetch(`${base}/feeds/video.rss`, { headers: { 'If-None-Match': ifNoneMatch } });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
    }
    const sinceLater = await fetch(`${base}/feeds/video.rss`, { headers: { 'If-Modified-Since': 'Sat, 14 Mar 2026 12:30:00 GMT' } });
    expect(sinceLater.status).toBe(304);
    const sinceEarlier = await fetch(`${base}/feeds/video.rss`, { headers: { 'If-Modified-Since': 'Sat, 14 Mar 2026 12:29:00 GMT' } });
    expect(sinceEarlier.status).toBe(200);
    // If-None-Match takes precedence: a stale tag gets the full body even with a satisfied date.
    const staleTag = await fetch(`${base}/feeds/video.rss`, {
      headers: { 'If-None-Match': '"v0-0000000000000000"', 'If-Modified-Since': 'Sun, 15 Mar 2026 00:00:00 GMT' },
    });
    expect(staleTag.status).toBe(200);

    reader.version = 2;
    reader.lastModified = '2026-03-14T13:00:00.000Z';
    const changed = await fetch(`${base}/feeds/video.rss`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.headers.get('etag')).toMatch(/^"v2-/);
    expect(changed.headers.get('last-modified')).toBe('Sat, 14 Mar 2026 13:00:00 GMT');
  });

  it('renders a repeated request only once while the version is unchanged', async () => {
    reader.version = 41;
    const before = reader.listCalls;
    const a = await (await fetch(`${base}/feeds/all.atom?limit=5`)).text();
    const b = await (await fetch(`${base}/feeds/all.atom?limit=5`)).text();
    expect(b).toBe(a);
    expect(reader.listCalls - before).toBe(1);
    reader.version = 42;
    await fetch(`${base}/feeds/all.atom?limit=5`);
    expect(reader.listCalls - before).toBe(2);
  });

  it('supports HEAD with the headers of the same GET and no body, for each content coding', async () => {
    for (const acceptEncoding of ['identity', 'gzip', 'br']) {
      const get = await rawRequest(`${base}/feeds/all.json`, { 'Accept-Encoding': acceptEncoding });
      const head = await rawRequest(`${base}/feeds/all.json`, { 'Accept-Encoding': acceptEncoding }, 'HEAD');
      expect(head.status).toBe(200);
      for (const name of ['etag', 'content-type', 'content-encoding', 'content-length', 'vary', 'last-modified']) {
        expect(head.headers[name], `${acceptEncoding}: ${name}`).toBe(get.headers[name]);
      }
      expect(head.headers['content-type']).toBe('application/feed+json; charset=utf-8');
      expect(Number(head.headers['content-length'])).toBe(get.body.length);
      expect(head.body.length).toBe(0);
    }
  });

  it('pages with limit and page', async () => {
    const all = reader.listPublishedStories({ category: 'all', limit: 200, offset: 0 });
    const page2 = await readJson<JsonFeedBody>(await fetch(`${base}/feeds/all.json?limit=3&page=2`));
    expect(page2.items.map((item) => item.url)).toEqual(all.slice(3, 6).map((s) => s.url));
    const beyond = await readJson<JsonFeedBody>(await fetch(`${base}/feeds/all.json?limit=200&page=2`));
    expect(beyond.items).toEqual([]);
    const defaults = await (await fetch(`${base}/feeds/all.rss`)).text();
    expect((await parser.parseString(defaults)).items).toHaveLength(29);
    const e1 = (await fetch(`${base}/feeds/all.rss?limit=3&page=1`)).headers.get('etag');
    const e2 = (await fetch(`${base}/feeds/all.rss?limit=3&page=2`)).headers.get('etag');
    expect(e1).not.toBe(e2);
  });

  it('rejects unknown categories, formats and bad paging with a helpful 400', async () => {
    const cases: [string, RegExp][] = [
      ['/feeds/audio.rss', /category "audio".*video, image, all/],
      ['/feeds/video.xml', /format "xml".*rss, atom, json/],
      ['/feeds/video', /\/feeds\/<category>\.<format>/],
      ['/feeds/video.rss?limit=0', /"limit" must be from 1 to 200/],
      ['/feeds/video.rss?limit=201', /"limit" must be from 1 to 200/],
      ['/feeds/video.rss?limit=ten', /"limit" must be a whole number/],
      ['/feeds/video.rss?limit=5&limit=6', /"limit" once/],
      ['/feeds/video.rss?page=0', /"page" must be from 1/],
      ['/feeds/video.rss?page=-1', /"page" must be a whole number/],
    ];
    for (const [url, message] of cases) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(400);
      const body = await readJson<ErrorBody>(res);
      expect(body.error).toBe('bad_request');
      expect(body.message, url).toMatch(message);
    }
  });
});

describe('compressed feeds (what feed readers ask for)', () => {
  const feedUrls = ['/feeds/all.rss', '/feeds/video.atom', '/feeds/image.json'];

  it('sends gzip to a client that accepts it, and the bytes decompress to exactly the identity body', async () => {
    for (const url of feedUrls) {
      const identity = await rawRequest(`${base}${url}`);
      const gzip = await rawRequest(`${base}${url}`, { 'Accept-Encoding': 'gzip' });
      expect(identity.status, url).toBe(200);
      expect(identity.headers['content-encoding'], url).toBeUndefined();
      expect(Number(identity.headers['content-length']), url).toBe(identity.body.length);
      expect(gzip.status, url).toBe(200);
      expect(gzip.headers['content-encoding'], url).toBe('gzip');
      expect(gzip.headers['content-type'], url).toBe(identity.headers['content-type']);
      expect(Number(gzip.headers['content-length']), url).toBe(gzip.body.length);
      expect(gzip.body.length, url).toBeLessThan(identity.body.length / 2);
      expect(gunzipSync(gzip.body).equals(identity.body), url).toBe(true);
      for (const response of [identity, gzip]) expect(response.headers.vary, url).toBe('Accept-Encoding');
    }
  });

  it('a gzip RSS response parses with rss-parser to the published stories', async () => {
    const gzip = await rawRequest(`${base}/feeds/all.rss`, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const feed = await parser.parseString(gunzipSync(gzip.body).toString('utf8'));
    const expected = reader.listPublishedStories({ category: 'all', limit: 50, offset: 0 });
    expect(feed.items.map((item) => item.link)).toEqual(expected.map((s) => s.url));
    // Plain text: the tag openers are shown as "‹", never as markup (test/plain-text-output.test.ts).
    expect(feed.items[0].title).toBe('Runway \u2039script>alert(1)\u2039/script> Gen-5 & "friends"');
  });

  it('sends brotli to browsers, and identity when gzip is refused with q=0', async () => {
    const identity = await rawRequest(`${base}/feeds/all.atom`, { 'Accept-Encoding': 'identity' });
    const br = await rawRequest(`${base}/feeds/all.atom`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    for (const acceptEncoding of ['gzip;q=0', 'GZIP; q=0.000, deflate', 'br;q=0, gzip;q=0', 'x-gzip;q=0', '']) {
      const res = await rawRequest(`${base}/feeds/all.atom`, { 'Accept-Encoding': acceptEncoding });
      expect(res.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(res.body.equals(identity.body), acceptEncoding).toBe(true);
      expect(res.headers.etag, acceptEncoding).toBe(identity.headers.etag);
    }
  });

  it('gives each coding its own strong ETag, and any current one yields 304 whatever coding is asked for', async () => {
    const identity = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'identity' });
    const gzip = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'gzip' });
    const br = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'br' });
    const tags = [identity, gzip, br].map((res) => res.headers.etag as string);
    for (const tag of tags) expect(tag).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect(new Set(tags).size).toBe(3);

    for (const held of tags) {
      for (const acceptEncoding of ['identity', 'gzip', 'br']) {
        const res = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': acceptEncoding, 'If-None-Match': held });
        expect(res.status, `${held} / ${acceptEncoding}`).toBe(304);
        expect(res.body.length).toBe(0);
        // The 304 names what the client holds, so its cache refreshes that stored response.
        expect(res.headers.etag).toBe(held);
        expect(res.headers.vary).toBe('Accept-Encoding');
        expect(res.headers['content-encoding']).toBeUndefined();
      }
    }
    const weakList = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'gzip', 'If-None-Match': `"other", W/${tags[1]}` });
    expect(weakList.status).toBe(304);
    const star = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'gzip', 'If-None-Match': '*' });
    expect(star.status).toBe(304);
    expect(star.headers.etag).toBe(tags[1]);

    // A tag for one feed is no validator for another feed.
    const otherFeed = await rawRequest(`${base}/feeds/image.rss`, { 'Accept-Encoding': 'gzip', 'If-None-Match': tags[1] });
    expect(otherFeed.status).toBe(200);

    reader.version = 2;
    for (const held of tags) {
      const res = await rawRequest(`${base}/feeds/video.rss`, { 'Accept-Encoding': 'gzip', 'If-None-Match': held });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toMatch(/^"v2-/);
      expect(tags).not.toContain(res.headers.etag);
    }
  });

  it('renders and compresses once per version, however many codings are asked for', async () => {
    reader.version = 77;
    const before = reader.listCalls;
    for (const acceptEncoding of ['gzip', 'identity', 'br', 'gzip', 'gzip;q=0']) {
      expect((await rawRequest(`${base}/feeds/all.rss?limit=7`, { 'Accept-Encoding': acceptEncoding })).status).toBe(200);
    }
    expect(reader.listCalls - before).toBe(1);
  });

  it('negotiates Accept-Encoding by q-value, with * and identity rules', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['gzip, deflate', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip;q=0.5, identity', 'identity'],
      ['gzip;q=0', 'identity'],
      ['deflate', 'identity'],
      ['*', 'br'],
      ['*;q=0.5, br;q=0', 'gzip'],
      ['identity;q=0, gzip;q=0.1', 'gzip'],
      ['*;q=0', 'identity'],
      ['gzip;q=2', 'identity'],
      ['gzip;q=0.1234', 'identity'],
      ['gzip ; q=1.000 , br;q=0.999', 'gzip'],
      ['gzip;level=9', 'gzip'],
    ];
    for (const [header, expected] of cases) expect(negotiateContentCoding(header), String(header)).toBe(expected);
  });
});

describe('index page', () => {
  it('explains the service, links every feed with autodiscovery tags and lists escaped stories', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    const head = html.slice(0, html.indexOf('</head>'));
    const discovery = [...head.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">/g)];
    expect(discovery.map((m) => m[3])).toEqual(
      ['video', 'image', 'all'].flatMap((c) => ['rss', 'atom', 'json'].map((f) => `http://wire.test/feeds/${c}.${f}`)),
    );
    expect(discovery[0][1]).toBe('application/rss+xml');
    expect(discovery[1][1]).toBe('application/atom+xml');
    expect(discovery[2][1]).toBe('application/feed+json');
    expect(discovery[0][2]).toBe('GenAI Media Wire — Video (RSS 2.0)');
    expect(html).toContain('href="/feeds/image.atom"');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Runway &lt;script&gt;alert(1)&lt;/script&gt; Gen-5 &amp; &quot;friends&quot;');
    expect(html).toContain('Reported by FrameWire, PixelPost');
    expect(html).not.toContain('Chip earnings');
    expect((html.match(/<li class="with-thumb">/g) ?? []).length).toBe(10);
  });
});

describe('/health', () => {
  it('reports per-feed status and is degraded while an enabled feed is failing', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    const body = await readJson<HealthReport>(res);
    expect(body.status).toBe('degraded');
    expect(body.feeds.map((f) => [f.id, f.status])).toEqual([
      ['framewire', 'ok'],
      ['pixelpost', 'failing'],
      ['old', 'disabled'],
    ]);
    expect(Object.keys(body.feeds[1]).sort()).toEqual(
      [
        'id', 'name', 'url', 'enabled', 'status', 'lastFetchAt', 'lastSuccessAt', 'lastError', 'lastErrorAt',
        'consecutiveFailures', 'nextAttemptAt', 'disabledReason', 'itemCount', 'lastItemAt', 'repaired',
      ].sort(),
    );
    expect(body.feeds[1]).toMatchObject({ consecutiveFailures: 2, lastError: 'HTTP 503 from http://127.0.0.1/demo/pixelpost.atom', itemCount: 4 });
  });

  it('is ok when every enabled feed last succeeded, and degraded when one was disabled by the fetcher', async () => {
    healthRows = [feedHealth[0], feedHealth[2]];
    expect((await readJson<HealthReport>(await fetch(`${base}/health`))).status).toBe('ok');
    healthRows = [
      feedHealth[0],
      { ...feedHealth[0], feed: { ...feedHealth[0].feed, id: 'gone' }, state: { ...feedHealth[0].state, disabledReason: 'HTTP 410 Gone' } },
    ];
    expect((await readJson<HealthReport>(await fetch(`${base}/health`))).status).toBe('degraded');
  });
});

describe('app plumbing', () => {
  it('sets security headers and hides x-powered-by', async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('returns JSON 404 under /api and HTML 404 elsewhere', async () => {
    const api = await fetch(`${base}/api/nothing`);
    expect(api.status).toBe(404);
    expect((await readJson<ErrorBody>(api)).error).toBe('not_found');
    const page = await fetch(`${base}/nothing`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('mounts extra routers', async () => {
    expect(await readJson<unknown>(await fetch(`${base}/api/ping`))).toEqual({ pong: true });
  });

  it('logs errors and answers 500 without leaking details', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('secret internal detail');
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    expect(loggedErrors).toContainEqual(expect.objectContaining({ message: 'request failed', error: 'secret internal detail', path: '/boom' }));
  });

  it('serves demo feeds read-only with feed content types', async () => {
    const rss = await fetch(`${base}/demo/framewire.rss`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml');
    expect(await rss.text()).toContain('<title>FW</title>');
    expect((await fetch(`${base}/demo/pixelpost.atom`)).headers.get('content-type')).toBe('application/atom+xml');
    expect((await fetch(`${base}/demo/old.rdf`)).headers.get('content-type')).toBe('application/rdf+xml');
    expect((await fetch(`${base}/demo/missing.rss`)).status).toBe(404);
    expect((await fetch(`${base}/demo/framewire.rss`, { method: 'PUT', body: 'x' })).status).toBe(404);
    expect((await fetch(`${base}/demo/..%2Fpackage.json`)).status).not.toBe(200);
  });
});
