/**
 * JSON Feed sources: 1.0 and 1.1 documents, recognised by content type and by their first
 * character, go through the same normalisation as RSS and Atom.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { createTestServices, type TestServices } from './support/test-services';

const feed: FeedSource = { id: 'clipnotes', name: 'ClipNotes', url: 'https://clipnotes.example/feed.json', enabled: true };
const fetchedAt = new Date('2026-05-05T12:00:00.000Z');

const JSON_FEED_11 = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'ClipNotes &amp; Friends',
  home_page_url: 'https://clipnotes.example/',
  feed_url: 'https://clipnotes.example/feed.json',
  authors: [{ name: 'ClipNotes Desk' }],
  items: [
    {
      id: 'https://clipnotes.example/2026/05/veo-4-shorts',
      url: 'https://clipnotes.example/2026/05/veo-4-shorts?utm_source=jsonfeed',
      title: 'Veo 4 lands in YouTube Shorts with native audio',
      summary: 'Creators can now generate eight-second clips with sound straight from the Shorts camera.',
      content_html: '<p><img src="/img/veo-inline.png"> Long article…</p>',
      image: '/img/veo-4-shorts.jpg',
      date_published: '2026-05-04T09:30:00+02:00',
      date_modified: '2026-05-04T11:00:00+02:00',
      authors: [{ name: 'Priya Natarajan', url: 'https://clipnotes.example/priya' }],
      tags: ['Video generation', 'Google', 'video generation'],
    },
    {
      id: 'pika-2-5',
      url: 'https://clipnotes.example/2026/05/pika-2-5',
      title: 'Why <video> tags still matter for Pika 2.5 embeds',
      content_html: '<p>Pika&#8217;s new player <em>drops</em> the iframe.</p><p><img src="https://pixel.clipnotes.example/t.gif" width="1" height="1"><img src="https://cdn.clipnotes.example/pika-player.webp" alt="Player"></p>',
      date_published: '2026-05-03T08:00:00Z',
    },
    {
      id: 'firefly-5',
      url: 'https://clipnotes.example/2026/05/firefly-5',
      title: 'Firefly Image 5 adds layered edits',
      content_text: 'Adobe says <layers> stay editable. Plain text, not HTML.',
      banner_image: 'https://cdn.clipnotes.example/firefly-5-banner.png',
      date_published: 'not a date',
    },
    'not an item',
    { id: 'no-title-no-url', content_text: 'An item without title and url is unusable.' },
    { id: 42, url: 'javascript:alert(1)', title: 'Numeric id, hostile url', image: 'data:image/png;base64,AAAA' },
  ],
};

const JSON_FEED_10 = {
  version: 'https://jsonfeed.org/version/1',
  title: 'Frame Rate',
  author: { name: 'Frame Rate Staff' },
  items: [
    {
      id: '2381',
      url: 'https://framerate.example/kling-3-storyboards',
      title: 'Kling 3.0 storyboards, tested',
      content_html: '<p>Multi-shot scenes hold up.</p>',
      date_published: '2026-05-02T18:45:00-04:00',
      author: { name: 'Lena Brandt' },
    },
    { id: '2380', url: 'https://framerate.example/luma-ray-3', title: 'Luma Ray 3 in HDR', summary: 'Ten-bit output arrives.' },
  ],
};

async function parse(body: string, contentType?: string) {
  const result = await parseFeedDocument(body, feed, fetchedAt, feed.url, { contentType });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

describe('JSON Feed input', () => {
  it('normalises a JSON Feed 1.1 document like an RSS or Atom one', async () => {
    const result = await parse(JSON.stringify(JSON_FEED_11, null, 2));
    expect(result.feedTitle).toBe('ClipNotes & Friends');
    expect(result.items).toHaveLength(4);
    const [veo, pika, firefly, numeric] = result.items;
    expect(veo).toEqual({
      feedId: 'clipnotes',
      guid: 'https://clipnotes.example/2026/05/veo-4-shorts',
      originalUrl: 'https://clipnotes.example/2026/05/veo-4-shorts?utm_source=jsonfeed',
      canonicalUrl: 'https://clipnotes.example/2026/05/veo-4-shorts',
      title: 'Veo 4 lands in YouTube Shorts with native audio',
      summary: 'Creators can now generate eight-second clips with sound straight from the Shorts camera.',
      author: 'Priya Natarajan',
      publishedAt: '2026-05-04T07:30:00.000Z',
      hasFeedDate: true,
      categories: ['Video generation', 'Google'],
      imageUrl: 'https://clipnotes.example/img/veo-4-shorts.jpg',
    });
    expect(pika).toMatchObject({
      title: 'Why <video> tags still matter for Pika 2.5 embeds',
      summary: 'Pika’s new player drops the iframe.',
      author: 'ClipNotes Desk',
      imageUrl: 'https://cdn.clipnotes.example/pika-player.webp',
    });
    expect(firefly).toMatchObject({
      summary: 'Adobe says <layers> stay editable. Plain text, not HTML.',
      imageUrl: 'https://cdn.clipnotes.example/firefly-5-banner.png',
      hasFeedDate: false,
      publishedAt: fetchedAt.toISOString(),
    });
    expect(numeric).toMatchObject({ guid: '42', originalUrl: null, imageUrl: null });
    expect(result.skipped).toBe(2);
  });

  it('reads JSON Feed 1.0 (singular author, no authors array)', async () => {
    const result = await parse(`\uFEFF\n  ${JSON.stringify(JSON_FEED_10)}`);
    expect(result.items.map((item) => [item.title, item.author, item.publishedAt])).toEqual([
      ['Kling 3.0 storyboards, tested', 'Lena Brandt', '2026-05-02T22:45:00.000Z'],
      ['Luma Ray 3 in HDR', 'Frame Rate Staff', fetchedAt.toISOString()],
    ]);
  });

  it('recognises JSON by content type too, and says what is wrong with a broken or foreign JSON document', async () => {
    const broken = await parseFeedDocument('{"version": "https://jsonfeed.org/version/1.1", "items": [', feed, fetchedAt, feed.url);
    expect(broken).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringMatching(/^Malformed JSON Feed at https:\/\/clipnotes\.example\/feed\.json: /) } });
    const byType = await parseFeedDocument(')]}\'\n{"version": "https://jsonfeed.org/version/1.1", "items": []}', feed, fetchedAt, feed.url, {
      contentType: 'application/feed+json; charset=utf-8',
    });
    expect(byType).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('JSON Feed') } });
    const foreign = await parseFeedDocument('{"data": [1, 2, 3]}', feed, fetchedAt, feed.url);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not-a-feed', message: expect.stringContaining('not a JSON Feed') } });
    // A server that calls its RSS "application/json" still gets its RSS read.
    const mislabelled = await parse('<rss version="2.0"><channel><title>t</title><item><title>Sora in Europe</title><link>https://x.example/s</link></item></channel></rss>', 'application/json');
    expect(mislabelled.items.map((item) => item.title)).toEqual(['Sora in Europe']);
  });
});

describe('a JSON Feed source end to end', () => {
  let fixtures: FixtureServer | undefined;
  let services: TestServices | undefined;
  afterEach(async () => {
    await fixtures?.close();
    services?.dispose();
  });

  it('is fetched, stored as stories with their images, and joins an RSS outlet reporting the same story', async () => {
    const rss = `<rss version="2.0"><channel><title>Wire</title><item><title>Veo 4 arrives in YouTube Shorts</title>
      <link>https://clipnotes.example/2026/05/veo-4-shorts</link><pubDate>Mon, 04 May 2026 08:00:00 GMT</pubDate></item></channel></rss>`;
    fixtures = await startFixtureServer({
      '/feed.json': (_q, r) => r.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSON.stringify(JSON_FEED_11)),
      '/wire.rss': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss),
    });
    services = createTestServices({
      feeds: [
        { id: 'wire', name: 'Wire', url: `${fixtures.origin}/wire.rss` },
        { id: 'clipnotes', name: 'ClipNotes', url: `${fixtures.origin}/feed.json` },
      ],
    });
    const run = await runFetchOnce(services, { force: true, now: fetchedAt });
    expect(run.outcomes.map((outcome) => outcome.kind)).toEqual(['stored', 'stored']);
    const stories = services.stories.listForReview({ limit: 50, offset: 0 });
    const veo = stories.find((story) => /Veo 4/.test(story.title))!;
    expect(veo.outlets.map((outlet) => outlet.feedId).sort()).toEqual(['clipnotes', 'wire']);
    // The RSS outlet reported first and had no picture; the JSON Feed outlet's picture fills in.
    expect(veo.imageUrl).toBe(`${fixtures.origin}/img/veo-4-shorts.jpg`);
    expect(stories.some((story) => story.title === 'Firefly Image 5 adds layered edits')).toBe(true);
    expect(services.feeds.health().find((entry) => entry.feed.id === 'clipnotes')?.state.lastError).toBeNull();
  });
});
