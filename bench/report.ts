/** Turns section figures into one aligned table with each figure's target and PASS/MISS. */
import type { BenchPlan } from './bench-plan';
import type { ClassifyFigures } from './classify-bench';
import type { DedupeFigures } from './dedupe-bench';
import type { IngestFigures } from './ingest-bench';
import type { MachineInfo } from './machine';
import { MB } from './memory-sampler';
import type { NewsboatFigures } from './newsboat-bench';
import type { ParseHostileFigures } from './parse-hostile-bench';
import type { ServingFigures } from './serving-bench';
import type { StartupFigures, StartupSection } from './startup-bench';

export interface BenchFigures {
  plan: BenchPlan;
  machine: MachineInfo;
  ingest: IngestFigures;
  classify: ClassifyFigures;
  dedupe: DedupeFigures;
  serving: ServingFigures;
  newsboat: NewsboatFigures;
  parseHostile: ParseHostileFigures;
  startup: StartupSection;
  totalSeconds: number;
}

type Verdict = 'PASS' | 'MISS' | '';

interface Row {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
}

export const TARGETS = {
  onceFetchedItemsPerSecond: 5_000,
  classifyMicrosPerItem: 200,
  memoryFor100kBytes: 300 * MB,
  /** 200 gzip and 304 of the feed as a share of a bare node:http server sending the same bytes. */
  feed200VsNode: 0.7,
  feed304VsNode: 0.5,
  /** Story pages as a share of the cached feed's rate. */
  storyVsFeed: 0.5,
  /** Per-item dedupe cost at the largest store may be at most this multiple of the smallest's. */
  dedupeGrowthFactor: 2,
  /** `npm start` to the first response, and the idle resident memory of its whole process tree. */
  startupSeconds: 0.6,
  startupTreeBytes: 120 * 1024 * 1024,
};

const integer = (n: number) => Math.round(n).toLocaleString('en-US');
const decimal = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const megabytes = (bytes: number) => `${integer(bytes / MB)} MB`;
const percent = (share: number) => `${decimal(share * 100, 0)}%`;
const verdict = (pass: boolean): Verdict => (pass ? 'PASS' : 'MISS');
const info = (figure: string, value: string): Row => ({ figure, value, target: '', verdict: '' });

function rows(f: BenchFigures): Row[] {
  const { ingest, classify, dedupe, serving } = f;
  const once = ingest.onceFetched;
  const perItem = (seconds: number) => `${decimal((seconds * 1e6) / ingest.items)} µs/item`;
  const smallest = dedupe.sizes[0];
  const largest = dedupe.sizes[dedupe.sizes.length - 1];
  const memoryForStore = Math.max(dedupe.peak.maxRssBytes, dedupe.peak.sampledPeakBytes);
  const ratio200 = serving.feed200.requestsPerSecond / serving.node200.requestsPerSecond;
  const ratio304 = serving.feed304.requestsPerSecond / serving.node304.requestsPerSecond;
  const ratioStory = serving.storyPages.requestsPerSecond / serving.feed200.requestsPerSecond;
  const load = (figures: ServingFigures['bare']) =>
    `${integer(figures.requestsPerSecond)} req/s, p99 ${integer(figures.p99Ms)} ms` +
    (figures.expectedStatusShare < 1 || figures.errors > 0
      ? ` (${percent(figures.expectedStatusShare)} expected status, ${figures.errors} errors)`
      : '');
  return [
    info(
      `1. Fixture: ${ingest.feeds} feeds × ${f.plan.itemsPerFeed} items (RSS 2.0 + Atom)`,
      `${integer(ingest.items)} items, ${decimal(ingest.fixtureBytes / MB)} MB, ${integer(ingest.dedupe.urlDuplicates + ingest.dedupe.titleDuplicates)} cross-feed duplicates`,
    ),
    info(
      `   runFetchCycle end to end (concurrency ${ingest.concurrency})`,
      `${integer(ingest.endToEnd.itemsPerSecond)} items/s (${decimal(ingest.endToEnd.seconds, 2)} s)`,
    ),
    {
      figure: '   once fetched: parse + dedupe + classify + store',
      value: `${integer(once.itemsPerSecond)} items/s`,
      target: `>= ${integer(TARGETS.onceFetchedItemsPerSecond)} items/s`,
      verdict: verdict(once.itemsPerSecond >= TARGETS.onceFetchedItemsPerSecond),
    },
    info('     parse', perItem(once.parseSeconds)),
    info('     classify', perItem(once.classifySeconds)),
    info('     dedupe + store (one transaction per feed)', perItem(once.storeSeconds)),
    info('     network: fetching all documents', `${decimal(once.fetchSeconds, 2)} s`),
    info(
      '   peak RSS during the run (sampled 50 ms / maxRSS)',
      `${megabytes(ingest.endToEnd.memory.sampledPeakBytes)} / ${megabytes(ingest.endToEnd.memory.maxRssBytes)} (${megabytes(ingest.endToEnd.rssBeforeBytes)} before)`,
    ),
    info(
      '   stories after dedupe (expected)',
      `${integer(ingest.dedupe.storedStories)} (${integer(ingest.dedupe.expectedStories)}), ${integer(ingest.dedupe.storedItems)} items`,
    ),
    {
      figure: `2. Classification, warm (${integer(classify.items)} items)`,
      value: `${decimal(classify.warmMicrosPerItem)} µs/item, p99 ${decimal(classify.warmP99Micros)} µs`,
      target: `< ${TARGETS.classifyMicrosPerItem} µs/item`,
      verdict: verdict(classify.warmMicrosPerItem < TARGETS.classifyMicrosPerItem),
    },
    info('   first pass on a freshly loaded model', `${decimal(classify.coldMicrosPerItem)} µs/item`),
    ...dedupe.sizes.map((size, index) => {
      const row = info(
        `${index === 0 ? '3.' : '  '} Dedupe + store, ${integer(size.storedStories)} stored stories`,
        `${decimal(size.microsPerItem)} µs/item (${integer(size.storiesInWindow)} in window, ${size.batchJoined}/${size.batchDuplicates} dups joined, db ${megabytes(size.dbBytes)})`,
      );
      if (size === largest && dedupe.sizes.length > 1) {
        row.target = `<= ${TARGETS.dedupeGrowthFactor}× the ${integer(smallest.storedStories)} figure`;
        row.verdict = verdict(largest.microsPerItem <= smallest.microsPerItem * TARGETS.dedupeGrowthFactor);
      }
      return row;
    }),
    info('   filling the store (ingest, 500 items per transaction)', `${integer(dedupe.fillItemsPerSecond)} items/s`),
    {
      figure: `   peak RSS while storing ${integer(dedupe.memoryAtStories)} stories (maxRSS)`,
      value: `${megabytes(memoryForStore)} (${megabytes(dedupe.rssAfterBytes)} after)`,
      target: `< ${megabytes(TARGETS.memoryFor100kBytes)}`,
      verdict: verdict(memoryForStore < TARGETS.memoryFor100kBytes),
    },
    info(
      `4. GET /feeds/all.rss, 200, gzip (${integer(serving.storeStories)}-story store, ${decimal(serving.feedBodyBytes / 1024)} KB, ${decimal(serving.feedGzipBytes / 1024)} KB gzip)`,
      load(serving.feed200),
    ),
    info('   bare node:http, the same gzip bytes', load(serving.node200)),
    {
      figure: '   200 gzip feed vs bare node:http',
      value: percent(ratio200),
      target: `>= ${percent(TARGETS.feed200VsNode)}`,
      verdict: verdict(ratio200 >= TARGETS.feed200VsNode && serving.feed200.expectedStatusShare === 1),
    },
    info('   GET /feeds/all.rss, 304 (gzip, If-None-Match)', load(serving.feed304)),
    info('   bare node:http, 304 for the same ETag', load(serving.node304)),
    {
      figure: '   304 feed vs bare node:http',
      value: percent(ratio304),
      target: `>= ${percent(TARGETS.feed304VsNode)}`,
      verdict: verdict(ratio304 >= TARGETS.feed304VsNode && serving.feed304.expectedStatusShare === 1),
    },
    info('   GET /feeds/all.rss, 200, identity (no Accept-Encoding)', load(serving.feed200Identity)),
    info(
      `   GET /stories/:id over ${serving.storyPageCount} stories, gzip`,
      `${load(serving.storyPages)}; first render of each: ${decimal((serving.storyFirstRenderSeconds * 1000) / serving.storyPageCount)} ms`,
    ),
    {
      figure: '   story pages vs the cached feed (200 gzip)',
      value: percent(ratioStory),
      target: `>= ${percent(TARGETS.storyVsFeed)}`,
      verdict: verdict(ratioStory >= TARGETS.storyVsFeed && serving.storyPages.expectedStatusShare === 1),
    },
    info('   GET /feeds/all.rss?page=<random 1..1000> (uncached renders), gzip', load(serving.randomPages)),
    info(
      '   random pages vs the cached feed (200 gzip)',
      `${percent(serving.randomPages.requestsPerSecond / serving.feed200.requestsPerSecond)} (one render + one gzip per request vs none)`,
    ),
    info('   GET /health', load(serving.health)),
    info('   bare Express route ("ok"), for comparison with earlier runs', load(serving.bare)),
    ...newsboatRows(f.newsboat),
    ...parseHostileRows(f.parseHostile),
    ...startupRows(f.startup),
  ];
}

/** `npm start` against its targets, next to its node process alone and the unbundled build. */
function startupRows(s: StartupSection): Row[] {
  if (!s.ran) return [info('7. Start-up (npm start)', `not run: ${s.reason}`)];
  const mib = (bytes: number) => `${integer(bytes / 1024 / 1024)} MiB`;
  const tree = (f: StartupFigures) => `${f.perProcess.map((p) => `${p.name} ${integer(p.rssBytes / 1024 / 1024)}`).join(', ')}; PSS ${mib(f.idleTreePssBytes)}`;
  return [
    {
      figure: `7. npm start to the first response (restart over the demo feeds, median of ${s.rounds}, load ${decimal(s.loadAverage[0])}–${decimal(s.loadAverage[1])})`,
      value: `${decimal(s.npmStart.firstResponseSeconds, 2)} s`,
      target: `<= ${decimal(TARGETS.startupSeconds)} s`,
      verdict: verdict(s.npmStart.firstResponseSeconds <= TARGETS.startupSeconds),
    },
    {
      figure: '   idle RSS of its process tree after the demo fetch',
      value: `${mib(s.npmStart.idleTreeRssBytes)} (${tree(s.npmStart)})`,
      target: `<= ${mib(TARGETS.startupTreeBytes)}`,
      verdict: verdict(s.npmStart.idleTreeRssBytes <= TARGETS.startupTreeBytes),
    },
    info('   its node process alone (dist/bundle/server.js)', `${decimal(s.nodeOnly.firstResponseSeconds, 2)} s, ${mib(s.nodeOnly.idleTreeRssBytes)}`),
    info('   the same code unbundled (node dist/server.js)', `${decimal(s.unbundled.firstResponseSeconds, 2)} s, ${mib(s.unbundled.idleTreeRssBytes)}`),
  ];
}

/** Each hostile document's parse time next to an ordinary feed of its size (median of 5 each). */
function parseHostileRows(p: ParseHostileFigures): Row[] {
  return p.documents.map((d, index) => ({
    figure: `${index === 0 ? '6. Parse, hostile:' : '   hostile:'} ${d.name} (${decimal(d.bytes / MB, 2)} MB)`,
    value: `${decimal(d.hostileMs, 1)} ms vs ${decimal(d.ordinaryMs, 1)} ms ordinary feed, same size`,
    target: '<= the ordinary feed',
    verdict: verdict(d.hostileMs <= d.ordinaryMs),
  }));
}

function newsboatRows(n: NewsboatFigures): Row[] {
  if (!n.ran) return [info('5. fetch-now --force vs newsboat -x reload', `not run: ${n.reason}`)];
  const ratio = n.newsboatSeconds / n.cliSeconds;
  return [
    info(
      `5. fetch-now --force, process start included (${n.feeds} feeds, ${integer(n.items)} items, median of ${n.rounds})`,
      `${decimal(n.cliSeconds, 2)} s, ${integer(n.items / n.cliSeconds)} items/s; ${integer(n.cliStoredItems)} items stored`,
    ),
    info(
      '   newsboat -x reload, same feeds, 4 reload threads',
      `${decimal(n.newsboatSeconds, 2)} s, ${integer(n.items / n.newsboatSeconds)} items/s; ${integer(n.newsboatStoredItems)} items stored`,
    ),
    {
      figure: '   fetch-now speed vs newsboat',
      value: `${decimal(ratio, 2)}×`,
      target: '>= 1.00×',
      verdict: verdict(ratio >= 1 && n.cliStoredItems === n.items),
    },
  ];
}

export function renderTable(f: BenchFigures): string {
  const table = rows(f);
  const header: Row = { figure: 'Figure', value: 'Measured', target: 'Target', verdict: '' };
  const width = (key: keyof Row) => Math.max(...[header, ...table].map((row) => row[key].length));
  const [w1, w2, w3] = [width('figure'), width('value'), width('target')];
  const line = (row: Row) =>
    `${row.figure.padEnd(w1)}  ${row.value.padEnd(w2)}  ${row.target.padEnd(w3)}  ${row.verdict}`.trimEnd();
  const m = f.machine;
  return [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${decimal(m.ramBytes / 1024 ** 3)} GB RAM, Node ${m.node} (heap limit ${integer(m.heapLimitBytes / MB)} MB), ${m.platform}`,
    `Mode: ${f.plan.quick ? 'BENCH_QUICK (reduced sizes)' : 'full'}; autocannon ${f.serving.connections} connections × ${f.serving.seconds} s; total ${decimal(f.totalSeconds, 0)} s`,
    `Load average (1 min) during the serving loads: ${decimal(f.serving.loadAverage[0])} at the start, ${decimal(f.serving.loadAverage[1])} at the end (2 shared cores: compare ratios, not absolute rates)`,
    '',
    line(header),
    '-'.repeat(w1 + w2 + w3 + 12),
    ...table.map(line),
  ].join('\n');
}
