/**
 * Section 4: requests per second and p99 latency of /feeds/all.rss (200 and 304) against a bare
 * Express route, with autocannon in this process and the servers in a child process.
 *
 * The headline 200 and 304 loads send `Accept-Encoding: gzip`, as feed readers (Miniflux, FreshRSS,
 * Inoreader, NetNewsWire) do; the identity 200 (no Accept-Encoding, e.g. plain curl) is measured too.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import type { BenchPlan } from './bench-plan';
import { getRaw } from './serving-raw-get';
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
  /** The feed's identity body. */
  feedBodyBytes: number;
  /** The same feed as sent to `Accept-Encoding: gzip`. */
  feedGzipBytes: number;
  /** 200 with `Accept-Encoding: gzip`, as feed readers ask. */
  feed200: LoadFigures;
  /** 200 without Accept-Encoding (identity body). */
  feed200Identity: LoadFigures;
  /** 304: `Accept-Encoding: gzip` and the gzip representation's ETag in If-None-Match. */
  feed304: LoadFigures;
  bare: LoadFigures;
  /** The bare app sending the feed's gzip bytes as a static Buffer. */
  bareSameBody: LoadFigures;
  /** The bare app sending the feed's identity bytes as a static string. */
  bareSameBodyIdentity: LoadFigures;
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
    const gzipHeaders = { 'accept-encoding': 'gzip' };
    const identity = await getRaw(feedUrl, {});
    const gzip = await getRaw(feedUrl, gzipHeaders);
    const gzipEtag = gzip.headers.etag;
    if (identity.status !== 200 || gzip.status !== 200 || !gzipEtag) {
      throw new Error(`GET ${feedUrl} answered ${identity.status} (identity) and ${gzip.status} (gzip), gzip etag ${gzipEtag}`);
    }
    // The figures only mean something if the app really sends what a reader would get.
    if (gzip.headers['content-encoding'] !== 'gzip' || !gunzipSync(gzip.body).equals(identity.body)) {
      throw new Error(`GET ${feedUrl} with Accept-Encoding: gzip did not send the identity body gzip-compressed`);
    }
    const { autocannonSeconds: seconds, autocannonConnections: connections } = plan;
    // A second of warm-up per target so JIT and caches are in the steady state being measured.
    await load(feedUrl, gzipHeaders, 200, 1, connections);
    const feed200 = await load(feedUrl, gzipHeaders, 200, seconds, connections);
    const feed200Identity = await load(feedUrl, {}, 200, seconds, connections);
    const feed304 = await load(feedUrl, { ...gzipHeaders, 'if-none-match': gzipEtag }, 304, seconds, connections);
    await load(`${ready.bareOrigin}/`, {}, 200, 1, connections);
    const bare = await load(`${ready.bareOrigin}/`, {}, 200, seconds, connections);
    const bareSameBody = await load(`${ready.bareOrigin}/same-body-gzip`, gzipHeaders, 200, seconds, connections);
    const bareSameBodyIdentity = await load(`${ready.bareOrigin}/same-body`, {}, 200, seconds, connections);
    return {
      storeStories,
      feedBodyBytes: identity.body.length,
      feedGzipBytes: gzip.body.length,
      feed200,
      feed200Identity,
      feed304,
      bare,
      bareSameBody,
      bareSameBodyIdentity,
      connections,
      seconds,
    };
  } finally {
    child.disconnect();
  }
}
