import { describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { parseFeedDate } from '../src/parse/item-date';

const feed: FeedSource = { id: 'tz-desk', name: 'TZ Desk', url: 'https://tz-desk.example/feed', enabled: true };
const fetchedAt = new Date('2026-05-10T00:00:00.000Z');

describe('feed dates', () => {
  it('reads time-zone abbreviations Date.parse does not know', () => {
    const cases: [string, string][] = [
      ['Mon, 04 May 2026 09:30:00 BST', '2026-05-04T08:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 CEST', '2026-05-04T07:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 CET', '2026-05-04T08:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 JST', '2026-05-04T00:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 AEST', '2026-05-03T23:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 IST', '2026-05-04T04:00:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 PST', '2026-05-04T17:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 PDT', '2026-05-04T16:30:00.000Z'],
      ['Mon, 04 May 2026 09:30:00 GMT', '2026-05-04T09:30:00.000Z'],
    ];
    for (const [raw, iso] of cases) expect(parseFeedDate(raw)?.toISOString(), raw).toBe(iso);
    expect(parseFeedDate('Mon, 04 May 2026 09:30:00 XYZ')).toBeNull();
  });

  it('reads US zones written without S/D and the tz name Etc/GMT', () => {
    const cases: [string, string][] = [
      ['Tue, 05 May 2026 16:31:00 ET', '2026-05-05T21:31:00.000Z'],
      ['Tue, 05 May 2026 16:31:00 CT', '2026-05-05T22:31:00.000Z'],
      ['Tue, 05 May 2026 16:31:00 MT', '2026-05-05T23:31:00.000Z'],
      ['Tue, 05 May 2026 16:31:00 PT', '2026-05-06T00:31:00.000Z'],
      ['Tue, 05 May 2026 18:28:00 Etc/GMT', '2026-05-05T18:28:00.000Z'],
    ];
    for (const [raw, iso] of cases) expect(parseFeedDate(raw)?.toISOString(), raw).toBe(iso);
  });

  it('refuses garbled dates instead of reading a wrong one, and the item falls back to the fetch time', async () => {
    // Unfilled CMS templates and mangled times: Date.parse alone reads these as 1 May and 01:02:03.
    for (const raw of ['Fri, May xx 2026 10:00:00 GMT', 'Fri, 01 May 2026 1:2:3:4 GMT', 'Fri, {day} May 2026 10:00:00 GMT', `Fri, 01 May 2026 ${' '.repeat(200)}10:00 GMT`]) {
      expect(parseFeedDate(raw), raw).toBeNull();
    }
    // What real feeds write still reads.
    const valid: [string, string][] = [
      ['Fri, 01 May 2026 10:00:00 GMT', '2026-05-01T10:00:00.000Z'],
      ['Fri, 1 May 2026 10:00 +0200', '2026-05-01T08:00:00.000Z'],
      ['May 1, 2026 10:00:00 GMT', '2026-05-01T10:00:00.000Z'],
      ['Fri May  1 10:00:00 2026 GMT', '2026-05-01T10:00:00.000Z'],
      ['Friday, 01-May-26 10:00:00 GMT', '2026-05-01T10:00:00.000Z'],
      ['2026-05-01T10:00:00+02:00', '2026-05-01T08:00:00.000Z'],
    ];
    for (const [raw, iso] of valid) expect(parseFeedDate(raw)?.toISOString(), raw).toBe(iso);
    const rss = `<rss version="2.0"><channel><title>Clipdesk</title>
<item><title>Hailuo 03 adds first-and-last-frame control</title><link>https://clipdesk.example/hailuo-03</link><pubDate>Fri, May xx 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`;
    const result = await parseFeedDocument(rss, feed, fetchedAt, feed.url);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.items.map((item) => [item.publishedAt, item.hasFeedDate])).toEqual([[fetchedAt.toISOString(), false]]);
  });

  it('reads atom:published and atom:updated inside RSS items', async () => {
    const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Render Notes</title><link>https://render-notes.example/</link>
<item><title>Seedance 2.0 tops the video arena for a week</title><link>https://render-notes.example/seedance-2</link><atom:published>2026-05-04T07:15:00Z</atom:published><atom:updated>2026-05-05T09:00:00Z</atom:updated></item>
<item><title>Correction: Krea's canvas pricing</title><link>https://render-notes.example/krea-pricing</link><atom:updated>2026-05-03T18:40:00+02:00</atom:updated></item>
</channel></rss>`;
    const result = await parseFeedDocument(rss, feed, fetchedAt, feed.url);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.items.map((item) => [item.publishedAt, item.hasFeedDate])).toEqual([
      ['2026-05-04T07:15:00.000Z', true],
      ['2026-05-03T16:40:00.000Z', true],
    ]);
  });

  it('reads Atom 0.3 issued/modified and dcterms dates', async () => {
    const atom03 = `<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
<entry><title>Stable Video 4D ships</title><link rel="alternate" type="text/html" href="https://old-atom.example/sv4d"/><id>tag:old-atom.example,2026:sv4d</id>
<issued>2026-05-03T10:00:00+02:00</issued><modified>2026-05-03T12:00:00Z</modified></entry>
<entry><title>Only modified</title><link rel="alternate" href="https://old-atom.example/m"/><id>tag:old-atom.example,2026:m</id><modified>2026-05-02T06:00:00Z</modified></entry>
</feed>`;
    const rss = `<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>Terms</title>
<item><title>Wan 3.0 weights released</title><link>https://terms.example/wan3</link><dcterms:issued>2026-05-01T15:00:00Z</dcterms:issued></item>
<item><title>Modified only</title><link>https://terms.example/m</link><dcterms:modified>2026-04-30T15:00:00Z</dcterms:modified></item>
</channel></rss>`;
    const dates = async (xml: string) => {
      const result = await parseFeedDocument(xml, feed, fetchedAt, feed.url);
      if (!result.ok) throw new Error(result.error.message);
      return result.items.map((item) => [item.publishedAt, item.hasFeedDate]);
    };
    expect(await dates(atom03)).toEqual([
      ['2026-05-03T08:00:00.000Z', true],
      ['2026-05-02T06:00:00.000Z', true],
    ]);
    expect(await dates(rss)).toEqual([
      ['2026-05-01T15:00:00.000Z', true],
      ['2026-04-30T15:00:00.000Z', true],
    ]);
  });
});

describe('item links', () => {
  const links = async (xml: string, documentUrl = 'https://links.example/blog/feed.xml') => {
    const result = await parseFeedDocument(xml, feed, fetchedAt, documentUrl);
    if (!result.ok) throw new Error(result.error.message);
    return result.items.map((item) => item.originalUrl);
  };

  it('resolves a relative guid permalink against the document, but never an opaque guid', async () => {
    const xml = `<rss version="2.0"><channel><title>Links</title>
<item><title>Relative permalink</title><guid isPermaLink="true">/blog/2026/05/hailuo-03</guid></item>
<item><title>Opaque id</title><guid>post-4812</guid></item>
<item><title>Absolute permalink</title><guid>https://links.example/blog/abs</guid></item>
</channel></rss>`;
    expect(await links(xml)).toEqual(['https://links.example/blog/2026/05/hailuo-03', null, 'https://links.example/blog/abs']);
  });

  it('an empty href falls back to the next link candidate', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Links</title>
<entry><title>Empty first link</title><id>tag:links.example,2026:1</id><link rel="alternate" href=""/><link rel="alternate" type="text/html" href="https://links.example/posts/1"/></entry>
<entry><title>Empty link, guid-like id</title><id>tag:links.example,2026:2</id><link href=" "/><link rel="enclosure" href="https://links.example/a.mp3"/><link href="/posts/2"/></entry>
</feed>`;
    expect(await links(xml)).toEqual(['https://links.example/posts/1', 'https://links.example/posts/2']);
  });
});
