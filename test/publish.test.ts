import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { Label, Story } from '../src/model';
import { feedEtag, httpDate, isNotModified } from '../src/publish/etag';
import { FeedCache } from '../src/publish/feed-cache';
import { renderFeed, storyTagId, type SiteInfo } from '../src/publish/feed-builder';

const site: SiteInfo = {
  baseUrl: 'https://wire.example.org',
  title: 'GenAI Media Wire',
  description: 'Curated news about generative media AI',
};

function story(id: number, overrides: Partial<Story> & { label?: Label } = {}): Story {
  const label = overrides.label ?? 'video';
  return {
    id,
    title: `Story ${id}`,
    summary: `Summary of story ${id}.`,
    url: `https://news.example.com/articles/${id}?ref=rss&src=feed`,
    author: null,
    categories: [],
    imageUrl: null,
    predicted: { label, confidence: 0.9, terms: ['video'] },
    editorLabel: null,
    label,
    status: 'approved',
    pinned: false,
    published: true,
    publishedAt: `2026-03-${String(10 + (id % 15)).padStart(2, '0')}T08:30:00.000Z`,
    firstSeenAt: '2026-03-01T00:00:00.000Z',
    updatedAt: `2026-03-${String(10 + (id % 15)).padStart(2, '0')}T09:00:00.000Z`,
    outlets: [{ feedId: 'framewire', feedName: 'FrameWire', url: `https://framewire.example/${id}`, publishedAt: '2026-03-10T08:30:00.000Z' }],
    ...overrides,
  };
}

const hostileStories: Story[] = [
  story(3, {
    title: 'Sora clone <script>alert(1)</script> ships',
    summary: 'Uses <b>bold</b> & "quotes" in the summary',
    author: 'Smith &amp; Jones',
    publishedAt: '2026-03-14T12:00:00.000Z',
    updatedAt: '2026-03-14T12:30:00.000Z',
    outlets: [
      { feedId: 'framewire', feedName: 'FrameWire', url: 'https://framewire.example/sora', publishedAt: '2026-03-14T12:00:00.000Z' },
      { feedId: 'pixelpost', feedName: 'PixelPost', url: 'javascript:alert(2)', publishedAt: '2026-03-14T13:00:00.000Z' },
      { feedId: 'framewire-2', feedName: 'FrameWire', url: 'https://framewire.example/sora-2', publishedAt: '2026-03-14T14:00:00.000Z' },
    ],
  }),
  story(2, {
    title: 'Tom & Jerry\u0007 get "AI" \'remastered\' — café ünïcödé 🎬',
    summary: 'Bell\u0007 and form feed\u000C and lone surrogate \uD800 removed',
    label: 'image',
    publishedAt: '2026-03-13T09:15:30.000Z',
    updatedAt: '2026-03-13T09:15:30.000Z',
  }),
  story(1, {
    title: 'Two terminators ]]> in ]]> one title',
    url: 'javascript:alert(3)',
    publishedAt: '2026-03-12T07:00:00.000Z',
    updatedAt: '2026-03-12T07:00:00.000Z',
  }),
];

/**
 * What a reader should display for each title once the document is parsed. Titles are plain text:
 * a tag opener becomes "‹" so no reader that renders titles as HTML can run it.
 */
const expectedTitles = [
  'Sora clone \u2039script>alert(1)\u2039/script> ships',
  'Tom & Jerry get "AI" \'remastered\' — café ünïcödé 🎬',
];

/** Each item's link in feed order; the javascript: story URL is never published, the first outlet's http(s) link stands in. */
const expectedLinks = [
  'https://news.example.com/articles/3?ref=rss&src=feed',
  'https://news.example.com/articles/2?ref=rss&src=feed',
  'https://framewire.example/1',
];

/** Each item's publication date in feed order, as a reader reports it. */
const expectedIsoDates = ['2026-03-14T12:00:00.000Z', '2026-03-13T09:15:30.000Z', '2026-03-12T07:00:00.000Z'];

/** Inverse of escape-html, i.e. what a reader does with Atom type="html" text. */
function decodeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function withoutCdata(xml: string): string {
  return xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
}

/** Fields rss-parser returns beyond its typed defaults (Atom id/author, RSS extensions). */
interface ExtraItemFields {
  id: string;
  author: string;
  'dc:creator': string;
  'content:encoded': string;
}
const parser = new Parser<Record<string, unknown>, ExtraItemFields>({ customFields: { item: ['dc:creator'] } });

describe('renderFeed rss', () => {
  const xml = renderFeed('rss', 'all', hostileStories, site);

  it('is well-formed XML that a feed reader reads back with the same items in the same order', async () => {
    expect(xml).not.toMatch(INVALID_XML_CHARS);
    const feed = await parser.parseString(xml);
    expect(feed.title).toBe('GenAI Media Wire — Video & Image');
    expect(feed.items.map((item) => item.title)).toEqual([...expectedTitles, 'Two terminators ]] > in ]] > one title']);
    expect(feed.items.map((item) => item.link)).toEqual(expectedLinks);
    expect(feed.items.map((item) => item.isoDate)).toEqual(expectedIsoDates);
  });

  it('has RFC 822 pubDate, non-permalink stable guid, absolute links and atom:link rel=self', () => {
    expect(xml).toContain('<pubDate>Sat, 14 Mar 2026 12:00:00 GMT</pubDate>');
    expect(xml).toContain('<guid isPermaLink="false">tag:wire.example.org,2026:story/3</guid>');
    expect(xml).toContain('<link>https://wire.example.org/</link>');
    expect(xml).toMatch(/<atom:link href="https:\/\/wire\.example\.org\/feeds\/all\.rss" rel="self" type="application\/rss\+xml"\/>/);
    expect(xml).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
  });

  it('carries outlets, category, author and summary without double escaping', async () => {
    const feed = await parser.parseString(xml);
    const first = feed.items[0];
    expect(first.categories).toEqual(['video']);
    expect(first['dc:creator']).toBe('Smith &amp; Jones');
    expect(first['content:encoded']).toContain('Reported by <a href="https://framewire.example/sora">FrameWire</a>, PixelPost');
    expect(first['content:encoded']).not.toContain('javascript:');
    // <description> is HTML; decoded once it reads exactly as the plain-text summary.
    expect(decodeHtml(first.content ?? '')).toBe('Uses <b>bold</b> & "quotes" in the summary');
    const second = feed.items[1];
    // No story author: the outlet names stand in.
    expect(second['dc:creator']).toBe('FrameWire');
    expect(second.categories).toEqual(['image']);
  });

  it('never emits a live <script> element', () => {
    expect(withoutCdata(xml)).not.toMatch(/<script/i);
    expect(xml).not.toContain('javascript:');
  });
});

describe('renderFeed atom', () => {
  const xml = renderFeed('atom', 'all', hostileStories, site);

  it('is well-formed Atom that a reader reads back with the same items in the same order', async () => {
    expect(xml).not.toMatch(INVALID_XML_CHARS);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    const feed = await parser.parseString(xml);
    expect(feed.items.map((item) => decodeHtml(item.title ?? ''))).toEqual([
      ...expectedTitles,
      'Two terminators ]]> in ]]> one title',
    ]);
    expect(feed.items.map((item) => item.link)).toEqual(expectedLinks);
    expect(feed.items.map((item) => item.isoDate)).toEqual(expectedIsoDates);
    expect(feed.items.map((item) => item.id)).toEqual([3, 2, 1].map((id) => `tag:wire.example.org,2026:story/${id}`));
  });

  it('has feed id, updated, self/alternate links and feed-level and entry authors', async () => {
    expect(xml).toContain('<id>tag:wire.example.org,2026:feed/all</id>');
    expect(xml).toContain('<updated>2026-03-14T12:30:00.000Z</updated>');
    expect(xml).toContain('<link rel="self" href="https://wire.example.org/feeds/all.atom"/>');
    expect(xml).toContain('<link rel="alternate" href="https://wire.example.org/"/>');
    expect(xml).toMatch(/<author>\s*<name>GenAI Media Wire<\/name>/);
    const feed = await parser.parseString(xml);
    expect(feed.items.map((item) => item.author)).toEqual(['Smith &amp; Jones', 'FrameWire', 'FrameWire']);
    expect(decodeHtml(feed.items[0].summary ?? '')).toBe('Uses <b>bold</b> & "quotes" in the summary');
  });

  it('shows <script> only as escaped text', () => {
    expect(xml).not.toMatch(/<script/i);
    expect(xml).toContain('Sora clone \u2039script&gt;alert(1)\u2039/script&gt; ships');
  });

  it('keeps entry ids stable when a story is edited', () => {
    const edited = renderFeed('atom', 'video', [story(3, { title: 'Renamed', url: 'https://elsewhere.example/x' })], site);
    expect(edited).toContain('<id>tag:wire.example.org,2026:story/3</id>');
  });
});

describe('renderFeed json', () => {
  it('is JSON Feed 1.1 with stable ids and the story data', () => {
    const feed = JSON.parse(renderFeed('json', 'video', hostileStories, site));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('GenAI Media Wire — Video');
    expect(feed.home_page_url).toBe('https://wire.example.org/');
    expect(feed.feed_url).toBe('https://wire.example.org/feeds/video.json');
    expect(feed.items.map((item: { id: string }) => item.id)).toEqual(
      hostileStories.map((s) => storyTagId(site, s.id)),
    );
    const first = feed.items[0];
    expect(first.title).toBe(expectedTitles[0]);
    expect(first.url).toBe('https://news.example.com/articles/3?ref=rss&src=feed');
    expect(first.date_published).toBe('2026-03-14T12:00:00.000Z');
    expect(first.tags).toEqual(['video']);
    expect(first._genai_media_wire.reported_by).toBe('Reported by FrameWire, PixelPost');
    expect(first.content_html).not.toMatch(/<script/i);
    expect(feed.items[1].summary).toBe('Bell and form feed and lone surrogate removed');
    const again = JSON.parse(renderFeed('json', 'video', hostileStories.map((s) => ({ ...s, title: 'changed' })), site));
    expect(again.items.map((item: { id: string }) => item.id)).toEqual(feed.items.map((item: { id: string }) => item.id));
  });
});

describe('FeedCache', () => {
  const key = (version: number, offset = 0) => ({ format: 'rss' as const, category: 'video' as const, limit: 50, offset, version });

  it('renders once per key and re-renders after the version changes', () => {
    const cache = new FeedCache(4);
    let renders = 0;
    const render = () => `body-${++renders}`;
    expect(cache.getOrRender(key(1), render)).toBe('body-1');
    expect(cache.getOrRender(key(1), render)).toBe('body-1');
    expect(cache.getOrRender(key(2), render)).toBe('body-2');
    expect(renders).toBe(2);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new FeedCache(2);
    cache.set(key(1, 0), 'a');
    cache.set(key(1, 50), 'b');
    expect(cache.get(key(1, 0))).toBe('a'); // now "b" is the oldest
    cache.set(key(1, 100), 'c');
    expect(cache.get(key(1, 50))).toBeUndefined();
    expect(cache.get(key(1, 0))).toBe('a');
    expect(cache.get(key(1, 100))).toBe('c');
    expect(cache.stats().entries).toBe(2);
  });
});

describe('etag', () => {
  const base = { version: 7, format: 'atom' as const, category: 'image' as const, limit: 50, offset: 0 };

  it('is strong, starts with the version and differs for every representation', () => {
    const etag = feedEtag(base);
    expect(etag).toMatch(/^"v7-[0-9a-f]{16}"$/);
    expect(feedEtag(base)).toBe(etag);
    const variants = [
      { ...base, version: 8 },
      { ...base, format: 'rss' as const },
      { ...base, category: 'all' as const },
      { ...base, limit: 20 },
      { ...base, offset: 50 },
      { ...base, variant: 'other-site' },
    ].map(feedEtag);
    expect(new Set([etag, ...variants]).size).toBe(7);
  });

  it('evaluates If-None-Match lists, weak tags and * before If-Modified-Since', () => {
    const current = { etag: '"v7-abc"', lastModified: 'Sat, 14 Mar 2026 12:30:00 GMT' };
    expect(isNotModified({ ifNoneMatch: '"v7-abc"' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"x", W/"v7-abc"' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '*' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"v6-abc"' }, current)).toBe(false);
    // A non-matching If-None-Match wins over a satisfied If-Modified-Since.
    expect(isNotModified({ ifNoneMatch: '"v6-abc"', ifModifiedSince: 'Sun, 15 Mar 2026 00:00:00 GMT' }, current)).toBe(false);
    expect(isNotModified({ ifModifiedSince: 'Sat, 14 Mar 2026 12:30:00 GMT' }, current)).toBe(true);
    expect(isNotModified({ ifModifiedSince: 'Sat, 14 Mar 2026 12:29:59 GMT' }, current)).toBe(false);
    expect(isNotModified({ ifModifiedSince: 'not a date' }, current)).toBe(false);
  });

  it('formats Last-Modified as an HTTP date', () => {
    expect(httpDate('2026-03-14T12:30:00.250Z')).toBe('Sat, 14 Mar 2026 12:30:00 GMT');
    expect(httpDate(null)).toBeNull();
    expect(httpDate('garbage')).toBeNull();
  });
});
