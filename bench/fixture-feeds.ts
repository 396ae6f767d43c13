/**
 * A set of synthetic outlet feeds (RSS 2.0 and Atom, alternating) with a known share of
 * cross-feed duplicates, so a fetch run has realistic parsing, dedupe and classification work
 * and the bench can check how many stories dedupe should end up with.
 *
 * Duplicates come in the two shapes real aggregation sees: the same article link with tracking
 * parameters (syndication, newsletters), and another outlet's own article with a reworded headline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StoryWriter, type SyntheticStory } from './headlines';
import { seededRandom, type Random } from './random';
import { TRACKING_SUFFIXES } from './vocabulary';

export type FixtureFormat = 'rss' | 'atom';

export interface FixtureItem {
  guid: string;
  title: string;
  link: string;
  publishedAt: Date;
  summaryHtml: string;
  author: string;
  categories: string[];
}

export interface FixtureFeed {
  id: string;
  name: string;
  format: FixtureFormat;
  /** Path on the fixture server, e.g. /outlet-007.atom */
  urlPath: string;
  contentType: string;
  body: string;
  itemCount: number;
}

export interface FixtureSet {
  feeds: FixtureFeed[];
  itemCount: number;
  /** Distinct stories a perfect dedupe keeps (one per original article). */
  expectedStories: number;
  /** Items that repeat another feed's article link with tracking parameters. */
  urlDuplicates: number;
  /** Items that are another outlet's article about the same story under a reworded headline. */
  titleDuplicates: number;
  totalBytes: number;
}

export interface FixtureOptions {
  feedCount: number;
  itemsPerFeed: number;
  /** Share of each feed's items that duplicate another feed's story, e.g. 0.15. */
  duplicateShare: number;
  /** Newest possible item date; items spread over the `spanDays` before it. */
  now: Date;
  spanDays: number;
  seed: number;
}

interface OriginalItem {
  feedIndex: number;
  story: SyntheticStory;
  item: FixtureItem;
}

const HOUR_MS = 3_600_000;

function feedId(index: number): string {
  return `outlet-${String(index + 1).padStart(3, '0')}`;
}

function articleLink(host: string, date: Date, slug: string): string {
  return `https://${host}/${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${slug}`;
}

export function buildFixtureFeeds(options: FixtureOptions): FixtureSet {
  const random = seededRandom(options.seed);
  const writer = new StoryWriter(random);
  const originalsPerFeed = Math.round(options.itemsPerFeed * (1 - options.duplicateShare));
  const duplicatesPerFeed = options.itemsPerFeed - originalsPerFeed;
  const newest = options.now.getTime();
  const spanMs = options.spanDays * 24 * HOUR_MS;

  const originals: OriginalItem[][] = [];
  for (let f = 0; f < options.feedCount; f += 1) {
    const host = `${feedId(f)}.example`;
    const own: OriginalItem[] = [];
    for (let i = 0; i < originalsPerFeed; i += 1) {
      const story = writer.next();
      const publishedAt = new Date(newest - Math.floor(random.next() * spanMs));
      own.push({
        feedIndex: f,
        story,
        item: {
          guid: f % 2 === 0 ? `${feedId(f)}-${i + 1}` : `tag:${host},2026:article-${i + 1}`,
          title: story.title,
          link: articleLink(host, publishedAt, story.slug),
          publishedAt,
          summaryHtml: story.summaryHtml,
          author: story.author,
          categories: story.categories,
        },
      });
    }
    originals.push(own);
  }

  let urlDuplicates = 0;
  let titleDuplicates = 0;
  const feeds: FixtureFeed[] = [];
  for (let f = 0; f < options.feedCount; f += 1) {
    const host = `${feedId(f)}.example`;
    const items = originals[f].map((original) => original.item);
    const covered = new Set<OriginalItem>();
    for (let d = 0; d < duplicatesPerFeed && options.feedCount > 1; d += 1) {
      const source = pickOtherOriginal(random, originals, f, covered);
      covered.add(source);
      const publishedAt = new Date(Math.min(newest, source.item.publishedAt.getTime() + random.int(0, 6 * HOUR_MS)));
      const guidSerial = originalsPerFeed + d + 1;
      if (random.chance(0.5)) {
        urlDuplicates += 1;
        items.push({
          ...source.item,
          guid: f % 2 === 0 ? `${feedId(f)}-${guidSerial}` : `tag:${host},2026:article-${guidSerial}`,
          link: `${source.item.link}${random.pick(TRACKING_SUFFIXES)}`,
          publishedAt,
          author: writer.next(source.story.label).author,
        });
      } else {
        titleDuplicates += 1;
        const rewrite = writer.next(source.story.label);
        items.push({
          guid: f % 2 === 0 ? `${feedId(f)}-${guidSerial}` : `tag:${host},2026:article-${guidSerial}`,
          title: writer.reword(source.item.title),
          link: articleLink(host, publishedAt, rewrite.slug),
          publishedAt,
          summaryHtml: rewrite.summaryHtml,
          author: rewrite.author,
          categories: source.story.categories,
        });
      }
    }
    items.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    const format: FixtureFormat = f % 2 === 0 ? 'rss' : 'atom';
    const name = `Outlet ${f + 1} AI Desk`;
    const body = format === 'rss' ? renderRss(name, host, items) : renderAtom(name, host, items, options.now);
    feeds.push({
      id: feedId(f),
      name,
      format,
      urlPath: `/${feedId(f)}.${format === 'rss' ? 'rss' : 'atom'}`,
      contentType: format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8',
      body,
      itemCount: items.length,
    });
  }
  return {
    feeds,
    itemCount: feeds.reduce((sum, feed) => sum + feed.itemCount, 0),
    expectedStories: options.feedCount * originalsPerFeed,
    urlDuplicates,
    titleDuplicates,
    totalBytes: feeds.reduce((sum, feed) => sum + Buffer.byteLength(feed.body), 0),
  };
}

/** An original story of another feed that this feed has not covered yet. */
function pickOtherOriginal(
  random: Random,
  originals: readonly OriginalItem[][],
  feedIndex: number,
  covered: ReadonlySet<OriginalItem>,
): OriginalItem {
  for (;;) {
    let other = random.int(0, originals.length - 2);
    if (other >= feedIndex) other += 1;
    const candidate = random.pick(originals[other]);
    if (!covered.has(candidate)) return candidate;
  }
}

/** Writes each feed document into `dir`, named like its URL path. */
export function writeFixtureFeeds(dir: string, set: FixtureSet): void {
  mkdirSync(dir, { recursive: true });
  for (const feed of set.feeds) writeFileSync(path.join(dir, feed.urlPath.slice(1)), feed.body, 'utf8');
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;');
}

function renderRss(name: string, host: string, items: readonly FixtureItem[]): string {
  const entries = items.map(
    (item) => `
    <item>
      <title>${xmlText(item.title)}</title>
      <link>${xmlText(item.link)}</link>
      <guid isPermaLink="false">${xmlText(item.guid)}</guid>
      <pubDate>${item.publishedAt.toUTCString()}</pubDate>
      <dc:creator>${xmlText(item.author)}</dc:creator>
${item.categories.map((category) => `      <category>${xmlText(category)}</category>`).join('\n')}
      <description><![CDATA[${item.summaryHtml}]]></description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${xmlText(name)}</title>
    <link>https://${host}/</link>
    <atom:link href="https://${host}/feed/" rel="self" type="application/rss+xml" />
    <description>AI news from ${xmlText(name)}: generative video, image models and the industry around them.</description>
    <language>en-us</language>
    <ttl>30</ttl>${entries.join('')}
  </channel>
</rss>
`;
}

function renderAtom(name: string, host: string, items: readonly FixtureItem[], updated: Date): string {
  const entries = items.map(
    (item) => `
  <entry>
    <title type="html">${xmlText(item.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlAttribute(item.link)}"/>
    <id>${xmlText(item.guid)}</id>
    <published>${item.publishedAt.toISOString()}</published>
    <updated>${item.publishedAt.toISOString()}</updated>
    <author><name>${xmlText(item.author)}</name></author>
${item.categories.map((category) => `    <category term="${xmlAttribute(category)}"/>`).join('\n')}
    <summary type="html">${xmlText(item.summaryHtml)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>${xmlText(name)}</title>
  <id>tag:${host},2026:feed</id>
  <link rel="self" href="https://${host}/feed.atom"/>
  <link rel="alternate" href="https://${host}/"/>
  <updated>${updated.toISOString()}</updated>${entries.join('')}
</feed>
`;
}
