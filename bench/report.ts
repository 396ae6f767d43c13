/** Turns section figures into one aligned table with each figure's target and PASS/MISS. */
import type { BenchPlan } from './bench-plan';
import type { ClassifyFigures } from './classify-bench';
import type { DedupeFigures } from './dedupe-bench';
import type { IngestFigures } from './ingest-bench';
import type { MachineInfo } from './machine';
import { MB } from './memory-sampler';
import type { ServingFigures } from './serving-bench';

export interface BenchFigures {
  plan: BenchPlan;
  machine: MachineInfo;
  ingest: IngestFigures;
  classify: ClassifyFigures;
  dedupe: DedupeFigures;
  serving: ServingFigures;
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
  servingRatio: 0.5,
  /** Per-item dedupe cost at the largest store may be at most this multiple of the smallest's. */
  dedupeGrowthFactor: 2,
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
  const ratio200 = serving.feed200.requestsPerSecond / serving.bare.requestsPerSecond;
  const ratio304 = serving.feed304.requestsPerSecond / serving.bare.requestsPerSecond;
  const ratio200Identity = serving.feed200Identity.requestsPerSecond / serving.bare.requestsPerSecond;
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
    info('   GET /feeds/all.rss, 200, identity (no Accept-Encoding)', load(serving.feed200Identity)),
    info('   GET /feeds/all.rss, 304 (gzip, If-None-Match)', load(serving.feed304)),
    info('   bare Express route', load(serving.bare)),
    info(
      '   bare Express route, same gzip bytes as the feed',
      `${load(serving.bareSameBody)}; 200 gzip feed = ${percent(serving.feed200.requestsPerSecond / serving.bareSameBody.requestsPerSecond)} of it`,
    ),
    info(
      '   bare Express route, same identity bytes as the feed',
      `${load(serving.bareSameBodyIdentity)}; 200 identity feed = ${percent(serving.feed200Identity.requestsPerSecond / serving.bareSameBodyIdentity.requestsPerSecond)} of it`,
    ),
    {
      figure: '   200 gzip throughput vs bare route (as readers ask)',
      value: percent(ratio200),
      target: `>= ${percent(TARGETS.servingRatio)}`,
      verdict: verdict(ratio200 >= TARGETS.servingRatio && serving.feed200.expectedStatusShare === 1),
    },
    info('   200 identity throughput vs bare route', percent(ratio200Identity)),
    {
      figure: '   304 throughput vs bare route',
      value: percent(ratio304),
      target: `>= ${percent(TARGETS.servingRatio)}`,
      verdict: verdict(ratio304 >= TARGETS.servingRatio && serving.feed304.expectedStatusShare === 1),
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
    '',
    line(header),
    '-'.repeat(w1 + w2 + w3 + 12),
    ...table.map(line),
  ].join('\n');
}
