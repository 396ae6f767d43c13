/**
 * Section 4: requests per second and p99 latency of /feeds/all.rss (200 and 304) against a bare
 * Express route, with autocannon in this process and the servers in a child process.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchPlan } from './bench-plan';
import type { ServingTargetReady } from './serving-target';

export interface LoadFigures {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  /** Responses with the status the scenario expects; anything else makes the figure meaningless. */
  expectedStatusShare: number;
  errors: number;
}

export interface ServingFigures {
  storeStories: number;
  feedBodyBytes: number;
  feed200: LoadFigures;
  feed304: LoadFigures;
  bare: LoadFigures;
  /** The bare app sending the feed's bytes as a static string. */
  bareSameBody: LoadFigures;
  connections: number;
  seconds: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  expectedStatus: number,
  seconds: number,
  connections: number,
): Promise<LoadFigures> {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  const codes = result.statusCodeStats ?? {};
  const total = Object.values(codes).reduce((sum, entry) => sum + (entry?.count ?? 0), 0);
  const expected = codes[String(expectedStatus) as `${number}`]?.count ?? 0;
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    expectedStatusShare: total === 0 ? 0 : expected / total,
    errors: result.errors + result.timeouts,
  };
}

export async function runServingBench(plan: BenchPlan, dbFile: string, storeStories: number): Promise<ServingFigures> {
  const child = fork(fileURLToPath(new URL('./serving-target.ts', import.meta.url)), [dbFile], { stdio: 'inherit' });
  try {
    const ready = await new Promise<ServingTargetReady>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ServingTargetReady));
      child.once('exit', (code) => reject(new Error(`serving target exited with ${code}`)));
    });
    const feedUrl = `${ready.appOrigin}/feeds/all.rss`;
    const first = await fetch(feedUrl);
    const body = await first.text();
    const etag = first.headers.get('etag');
    if (first.status !== 200 || !etag) throw new Error(`GET ${feedUrl} answered ${first.status}, etag ${etag}`);
    const { autocannonSeconds: seconds, autocannonConnections: connections } = plan;
    // A second of warm-up per target so JIT and caches are in the steady state being measured.
    await load(feedUrl, {}, 200, 1, connections);
    const feed200 = await load(feedUrl, {}, 200, seconds, connections);
    const feed304 = await load(feedUrl, { 'if-none-match': etag }, 304, seconds, connections);
    await load(`${ready.bareOrigin}/`, {}, 200, 1, connections);
    const bare = await load(`${ready.bareOrigin}/`, {}, 200, seconds, connections);
    const bareSameBody = await load(`${ready.bareOrigin}/same-body`, {}, 200, seconds, connections);
    return { storeStories, feedBodyBytes: Buffer.byteLength(body), feed200, feed304, bare, bareSameBody, connections, seconds };
  } finally {
    child.disconnect();
  }
}
