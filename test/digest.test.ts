import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { parseStringPromise } from 'xml2js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from '../src/cli/digest-command';
import { createDigestBuilder, DigestPeriodNotOverError, type DigestBuilder } from '../src/digest/build-digest';
import {
  DigestScheduleError,
  isTick,
  latestCompletedPeriod,
  parseDigestSchedule,
  periodEndingAt,
  previousTick,
} from '../src/digest/digest-schedule';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';
import { ingest } from './support/seed-stories';

const iso = (text: string) => new Date(text).toISOString();

describe('digest schedule ("M H * * d,d" cron)', () => {
  const defaultSchedule = parseDigestSchedule('0 8 * * 1,4');

  it('finds the latest Monday/Thursday 08:00 UTC tick at or before a date', () => {
    // 2026-03-02 is a Monday, 2026-03-05 a Thursday.
    expect(previousTick(defaultSchedule, new Date('2026-03-04T12:00:00Z')).toISOString()).toBe(iso('2026-03-02T08:00:00Z'));
    expect(previousTick(defaultSchedule, new Date('2026-03-05T08:00:00Z')).toISOString()).toBe(iso('2026-03-05T08:00:00Z'));
    expect(previousTick(defaultSchedule, new Date('2026-03-05T07:59:59.999Z')).toISOString()).toBe(iso('2026-03-02T08:00:00Z'));
    expect(previousTick(defaultSchedule, new Date('2026-03-02T07:00:00Z')).toISOString()).toBe(iso('2026-02-26T08:00:00Z'));
    expect(previousTick(defaultSchedule, new Date('2026-03-08T23:59:00Z')).toISOString()).toBe(iso('2026-03-05T08:00:00Z'));
  });

  it('a period runs from the previous tick to its own tick', () => {
    expect(periodEndingAt(defaultSchedule, new Date('2026-03-05T08:00:00Z')).start.toISOString()).toBe(iso('2026-03-02T08:00:00Z'));
    expect(periodEndingAt(defaultSchedule, new Date('2026-03-02T08:00:00Z')).start.toISOString()).toBe(iso('2026-02-26T08:00:00Z'));
    expect(latestCompletedPeriod(defaultSchedule, new Date('2026-03-06T10:00:00Z')).end.toISOString()).toBe(iso('2026-03-05T08:00:00Z'));
    expect(isTick(defaultSchedule, new Date('2026-03-05T08:00:01Z'))).toBe(false);
    expect(() => periodEndingAt(defaultSchedule, new Date('2026-03-04T08:00:00Z'))).toThrow(DigestScheduleError);
  });

  it('understands day names, ranges, Sunday as 7, a seconds field and a time zone with DST', () => {
    const weekdays = parseDigestSchedule('30 6 * * mon-fri');
    expect([...weekdays.weekdays].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(previousTick(weekdays, new Date('2026-03-08T12:00:00Z')).toISOString()).toBe(iso('2026-03-06T06:30:00Z'));
    expect([...parseDigestSchedule('0 0 8 * * 5-7').weekdays].sort()).toEqual([0, 5, 6]);
    const berlin = parseDigestSchedule('0 8 * * 1,4', 'Europe/Berlin');
    // CET (UTC+1) in winter, CEST (UTC+2) after 2026-03-29.
    expect(previousTick(berlin, new Date('2026-03-03T00:00:00Z')).toISOString()).toBe(iso('2026-03-02T07:00:00Z'));
    expect(previousTick(berlin, new Date('2026-04-01T00:00:00Z')).toISOString()).toBe(iso('2026-03-30T06:00:00Z'));
  });

  it('rejects what it cannot evaluate instead of misreading it', () => {
    for (const expression of ['*/15 * * * *', '0 8,20 * * 1', '0 8 1 * *', '0 8 * 3 1', '0 8 * * 9', '5 0 8 * * 1', '0 8 * *']) {
      expect(() => parseDigestSchedule(expression), expression).toThrow(DigestScheduleError);
    }
    expect(() => parseDigestSchedule('0 8 * * 1', 'Mars/Olympus')).toThrow(/time zone/);
  });
});

const MONDAY = new Date('2026-03-02T08:00:00Z');
const THURSDAY = new Date('2026-03-05T08:00:00Z');

describe('digests over a store filled by the ingest path', () => {
  let services: TestServices;
  let builder: DigestBuilder;
  let app: RunningApp;
  let origin: string;

  beforeAll(async () => {
    const feed = (id: string, name: string) => ({ id, name, url: `http://127.0.0.1:9/${id}.rss` });
    services = createTestServices({
      // An "&" in the site title: the digest feed title must escape it.
      server: { ...TEST_SITE_SERVER, siteTitle: 'Test & Wire' },
      feeds: [feed('framewire', 'Framewire'), feed('pixelpost', 'Pixel Post'), feed('modelbeat', 'Model Beat')],
      digest: { storiesPerCategory: 2 },
    });
    ingest(services, 'framewire', [
      // Period Thu 02-26 .. Mon 03-02
      { guid: 'old', title: 'Luma Ray 3 opens to everyone', publishedAt: iso('2026-02-27T10:00:00Z'), label: 'video' },
      // Period Mon 03-02 .. Thu 03-05
      { guid: 'solo', title: 'Pika ships lip sync', summary: 'Solo outlet, same age as the big one.', publishedAt: iso('2026-03-03T10:00:00Z'), label: 'video' },
      { guid: 'big', title: 'Runway Gen-5 adds camera control', summary: 'Covered by three outlets.', url: 'https://runway.example/gen5', publishedAt: iso('2026-03-03T10:00:00Z'), label: 'video' },
      { guid: 'older', title: 'Sora 2 clips get longer', publishedAt: iso('2026-03-02T09:00:00Z'), label: 'video' },
      { guid: 'xss', title: '<script>alert(1)</script> Midjourney V8 & more', summary: '<img src=x onerror=alert(1)>', publishedAt: iso('2026-03-04T10:00:00Z'), label: 'image' },
      { guid: 'neither', title: 'Nvidia posts record quarter', publishedAt: iso('2026-03-04T10:00:00Z'), label: 'neither' },
      { guid: 'at-tick', title: 'Flux 2 released exactly at the tick', publishedAt: THURSDAY.toISOString(), label: 'image' },
    ]);
    ingest(services, 'pixelpost', [
      { guid: 'p-big', title: 'Runway Gen-5 adds camera control', url: 'https://runway.example/gen5', publishedAt: iso('2026-03-03T10:30:00Z'), label: 'video' },
    ]);
    ingest(services, 'modelbeat', [
      { guid: 'm-big', title: 'Runway Gen-5 adds camera control', url: 'https://runway.example/gen5', publishedAt: iso('2026-03-03T11:00:00Z'), label: 'video' },
    ]);
    builder = createDigestBuilder(services);

    app = await startApp(services);
    origin = app.origin;
  });

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  it('lists the top stories per category of the period, most important first, with summaries', () => {
    const { digest, created } = builder.buildDigest(THURSDAY, new Date('2026-03-05T09:00:00Z'));
    expect(created).toBe(true);
    expect(digest.periodStart).toBe(MONDAY.toISOString());
    expect(digest.periodEnd).toBe(THURSDAY.toISOString());
    expect(digest.periodDate).toBe('2026-03-05');
    const video = digest.sections.find((section) => section.label === 'video')!;
    // storiesPerCategory = 2: the 3-outlet story beats the 1-outlet one of the same age; Sora (older) is cut.
    expect(video.stories.map((entry) => entry.title)).toEqual(['Runway Gen-5 adds camera control', 'Pika ships lip sync']);
    expect(video.stories[0].outlets.map((outlet) => outlet.name)).toEqual(['Framewire', 'Pixel Post', 'Model Beat']);
    expect(video.stories[1].summary).toBe('Solo outlet, same age as the big one.');
    const image = digest.sections.find((section) => section.label === 'image')!;
    // The story published exactly at the tick belongs to the next period; "neither" never appears.
    expect(image.stories.map((entry) => entry.title)).toEqual(['<script>alert(1)</script> Midjourney V8 & more']);
    expect(JSON.stringify(digest)).not.toMatch(/Nvidia|Luma|Flux/);
  });

  it('building the same period again returns the stored issue unchanged, even after new stories arrive', () => {
    const first = builder.buildDigest(THURSDAY, new Date('2026-03-05T09:00:00Z')).digest;
    // A late story dated inside the period, more important than anything in the issue.
    ingest(services, 'framewire', [
      { guid: 'late', title: 'Veo 4 renders native audio', publishedAt: iso('2026-03-05T07:00:00Z'), label: 'video' },
    ]);
    ingest(services, 'pixelpost', [
      { guid: 'p-late', title: 'Veo 4 renders native audio', url: 'https://framewire.example/late', publishedAt: iso('2026-03-05T07:10:00Z'), label: 'video' },
    ]);
    services.stories.applyDecision(
      services.stories.listForReview({ limit: 100, offset: 0 }).find((story) => story.title.startsWith('Pika'))!.id,
      { kind: 'pin', pinned: true },
      'test-editor',
    );
    const again = builder.buildDigest(THURSDAY, new Date('2026-03-09T12:00:00Z'));
    expect(again.created).toBe(false);
    expect(again.digest).toEqual(first);
    // A fresh builder (another process, e.g. the CLI) sees the same stored issue.
    expect(createDigestBuilder(services).buildDigest(THURSDAY, new Date('2026-03-20T00:00:00Z')).digest).toEqual(first);
  });

  it('refuses to build a period that is not over yet', () => {
    const nextMonday = new Date('2026-03-09T08:00:00Z');
    expect(() => builder.buildDigest(nextMonday, new Date('2026-03-09T07:59:00Z'))).toThrow(DigestPeriodNotOverError);
  });

  it('the CLI builds the latest completed period once and then prints the stored issue', () => {
    const output = () => {
      const chunks: string[] = [];
      const out = { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream;
      return { out, text: () => chunks.join('') };
    };
    const monday = output();
    const built = digestCommand(services, monday.out, { at: new Date('2026-03-02T08:00:30Z') });
    expect(built.created).toBe(true);
    expect(built.digest.periodEnd).toBe(MONDAY.toISOString());
    expect(monday.text()).toContain('Built a new digest');
    expect(monday.text()).toContain('Luma Ray 3 opens to everyone');
    const again = output();
    const stored = digestCommand(services, again.out, { at: new Date('2026-03-04T00:00:00Z') });
    expect(stored.created).toBe(false);
    expect(stored.digest.id).toBe(built.digest.id);
    expect(again.text()).toContain('already built');
  });

  it('the cron catch-up builds missed periods since the newest stored issue, oldest first', () => {
    const due = builder.buildDue(new Date('2026-03-16T09:00:00Z'));
    expect(due.map((result) => [result.digest.periodDate, result.created])).toEqual([
      ['2026-03-09', true],
      ['2026-03-12', true],
      ['2026-03-16', true],
    ]);
    const flux = due[0].digest.sections.find((section) => section.label === 'image')!.stories.map((entry) => entry.title);
    expect(flux).toEqual(['Flux 2 released exactly at the tick']);
    expect(builder.buildDue(new Date('2026-03-16T10:00:00Z')).map((result) => result.created)).toEqual([]);
  });

  it('serves the digest feed as valid RSS and Atom that rss-parser reads back, newest issue first', async () => {
    const parser = new Parser({ customFields: { item: ['content:encoded'] } });
    const response = await fetch(`${origin}/feeds/digest.rss`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await response.text();
    await expect(parseStringPromise(xml, { strict: true })).resolves.toBeTruthy();
    const rss = await parser.parseString(xml);
    expect(rss.title).toBe('Test & Wire — Digest');
    expect(rss.items.map((item) => item.guid)).toEqual([
      'tag:news.example,2026:digest/2026-03-16',
      'tag:news.example,2026:digest/2026-03-12',
      'tag:news.example,2026:digest/2026-03-09',
      'tag:news.example,2026:digest/2026-03-05',
      'tag:news.example,2026:digest/2026-03-02',
    ]);
    const thursday = rss.items[3];
    expect(new Date(thursday.pubDate!).toISOString()).toBe(THURSDAY.toISOString());
    expect(thursday.link).toBe('http://news.example/digests/2026-03-05');
    const content = (thursday as unknown as Record<string, string>)['content:encoded'];
    expect(content).toContain('<h2>Video</h2>');
    expect(content).toMatch(/<a href="http:\/\/news\.example\/stories\/\d+"><strong>Runway Gen-5 adds camera control<\/strong><\/a>/);
    expect(content).toContain('Solo outlet, same age as the big one.');
    // The hostile title and summary are text, not markup, once a reader decodes the HTML.
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Midjourney V8 &amp; more');
    expect(content).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(content).not.toMatch(/<script|<img/);

    const atomXml = await (await fetch(`${origin}/feeds/digest.atom`)).text();
    await expect(parseStringPromise(atomXml, { strict: true })).resolves.toBeTruthy();
    const atom = await parser.parseString(atomXml);
    expect(atom.items.map((item) => (item as unknown as { id: string }).id)).toEqual(rss.items.map((item) => item.guid));
    expect(atom.items[3].content).toContain('Runway Gen-5 adds camera control');

    const json = (await (await fetch(`${origin}/feeds/digest.json`)).json()) as {
      version: string;
      items: { id: string; date_published: string; content_html: string }[];
    };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items[3]).toMatchObject({ id: 'tag:news.example,2026:digest/2026-03-05', date_published: THURSDAY.toISOString() });
  });

  it('answers 304 to a current ETag or Last-Modified, and changes the ETag when an issue is added', async () => {
    const first = await fetch(`${origin}/feeds/digest.rss`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"v\d+-[0-9a-f]{16}"$/);
    expect((await fetch(`${origin}/feeds/digest.rss`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${origin}/feeds/digest.rss`, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    const atomEtag = (await fetch(`${origin}/feeds/digest.atom`)).headers.get('etag');
    expect(atomEtag).not.toBe(etag);

    builder.buildDigest(new Date('2026-03-19T08:00:00Z'), new Date('2026-03-19T08:00:05Z'));
    const after = await fetch(`${origin}/feeds/digest.rss`, { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('digest/2026-03-19');
  });

  it('serves the digest feed gzip-compressed to readers that accept it, with its own ETag that also yields 304', async () => {
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        httpRequest(`${origin}/feeds/digest.rss`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    const identity = await get({});
    const gzip = await get({ 'Accept-Encoding': 'gzip' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    const rss = await new Parser().parseString(gunzipSync(gzip.body).toString('utf8'));
    expect(rss.items[0].guid).toMatch(/^tag:news\.example,2026:digest\//);
    for (const response of [identity, gzip]) expect(response.headers.vary).toBe('Accept-Encoding');
    expect(gzip.headers.etag).not.toBe(identity.headers.etag);
    expect((await get({ 'Accept-Encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    for (const held of [identity.headers.etag!, gzip.headers.etag!]) {
      for (const acceptEncoding of ['gzip', 'identity']) {
        const res = await get({ 'Accept-Encoding': acceptEncoding, 'If-None-Match': held });
        expect(res.status, `${held} / ${acceptEncoding}`).toBe(304);
        expect(res.headers.etag).toBe(held);
      }
    }
  });

  it('serves an issue page and 404s for unknown dates and formats', async () => {
    const page = await fetch(`${origin}/digests/2026-03-05`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Runway Gen-5 adds camera control');
    expect(html).not.toContain('<script>');
    expect((await fetch(`${origin}/digests/2026-03-04`)).status).toBe(404);
    expect((await fetch(`${origin}/feeds/digest.xml`)).status).toBe(400);
  });
});
