/**
 * Parse time of documents built to make regular expressions backtrack (or a scanner rescan),
 * each next to an ordinary feed document of the same size: the hostile ones must not cost more
 * than real feeds do. Formerly a timed unit test; timings belong here, where they are printed
 * rather than asserted (test/parse.test.ts keeps the behaviour: each gets a result).
 */
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';

export interface HostileParseFigure {
  name: string;
  bytes: number;
  hostileMs: number;
  ordinaryMs: number;
}

export interface ParseHostileFigures {
  documents: HostileParseFigure[];
}

const source: FeedSource = { id: 'bench', name: 'Bench', url: 'https://bench.example/feed.xml', enabled: true };

/** The documents of the former unit test, named for the table. */
export function hostileDocuments(): Array<{ name: string; xml: string }> {
  return [
    { name: 'declaration, 200k spaces, junk', xml: `<?xml version="1.0"?>${' '.repeat(200_000)}x` },
    { name: '100k unclosed <description>', xml: `<rss version="2.0"><channel>${'<description>'.repeat(100_000)}` },
    { name: '100k unterminated CDATA openers', xml: `<rss version="2.0"><channel>${'<![CDATA['.repeat(100_000)}` },
    { name: 'Atom date of 200k spaces', xml: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><published>${' '.repeat(200_000)}x` },
    { name: 'DOCTYPE with 100k [', xml: `<!DOCTYPE rss ${'['.repeat(100_000)}<rss version="2.0"/>` },
    {
      name: 'author of 50k "a@"',
      xml: `<rss version="2.0"><channel><item><title>t</title><author>${'a@'.repeat(50_000)}</author></item></channel></rss>`,
    },
  ];
}

/** An ordinary RSS document of at least `bytes` characters: items like an outlet's, repeated. */
function ordinaryDocument(bytes: number): string {
  const items: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = `<item><title>Runway ships Gen-${i % 9} with longer shots and better hands</title><link>https://outlet.example/2026/05/story-${i}</link><guid>https://outlet.example/2026/05/story-${i}</guid><pubDate>Mon, 04 May 2026 09:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate><description>&lt;p&gt;The new model renders ten-second clips at 1080p &amp;amp; keeps characters consistent.&lt;/p&gt;</description></item>`;
    items.push(item);
    size += item.length;
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>${items.join('')}</channel></rss>`;
}

async function medianParseMs(xml: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await parseFeedDocument(xml, source, new Date(), source.url, { maxItems: 100_000 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function runParseHostileBench(runs = 5): Promise<ParseHostileFigures> {
  const documents: HostileParseFigure[] = [];
  for (const { name, xml } of hostileDocuments()) {
    const ordinary = ordinaryDocument(xml.length);
    // Warm both paths once, then alternate so a burst of other work hits both sides alike.
    await medianParseMs(xml, 1);
    await medianParseMs(ordinary, 1);
    const hostileMs = await medianParseMs(xml, runs);
    const ordinaryMs = await medianParseMs(ordinary, runs);
    documents.push({ name, bytes: xml.length, hostileMs, ordinaryMs });
  }
  return { documents };
}
