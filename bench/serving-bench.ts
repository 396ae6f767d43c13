/**
 * Section 4: requests per second and p99 latency of /feeds/all.rss (200 and 304) against a bare
 * node:http server sending the same bytes, story pages against the cached feed, and the uncached
 * path (random feed pages) and /health, with autocannon in this process and the servers in a child.
 *
 * The headline 200 and 304 loads send `Accept-Encoding: gzip`, as feed readers (Miniflux, FreshRSS,
 * Inoreader, NetNewsWire) do; the identity 200 (no Accept-Encoding, e.g. plain curl) is measured too.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
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
  /** Bare node:http sending the feed's gzip bytes. */
  node200: LoadFigures;
  /** Bare node:http answering 304 to the same ETag. */
  node304: LoadFigures;
  /** Bare Express route sending "ok". */
  bare: LoadFigures;
  /** /stories/:id over `storyPages` different published stories, gzip, after each was requested once. */
  storyPages: LoadFigures;
  storyPageCount: number;
  /** Seconds to request each of those story pages once with the memo empty (render + related + compress). */
  storyFirstRenderSeconds: number;
  /** /feeds/all.rss?page=<random 1..1000>: mostly renders, as a crawler paging through would cause. */
  randomPages: LoadFigures;
  /** /health under the same load. */
  health: LoadFigures;
  connections: number;
  seconds: number;
  /** 1-minute load average when the loads started and ended (the 2 cores are shared with other work). */
  loadAverage: [number, number];
}

async function load(
  url: string,
  headers: Record<string, string>,
  expectedStatus: number,
  seconds: number,
  connections: number,
  requests?: autocannon.Request[],
): Promise<LoadFigures> {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1, requests });
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

const COMPARISON_ROUNDS = 3;

/** The round with the median request rate. */
function medianRound(rounds: LoadFigures[]): LoadFigures {
  return [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(rounds.length / 2)];
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
    const loadAtStart = os.loadavg()[0];
    // Warm-up per target so JIT and caches are in the steady state being measured; then the app and its
    // yardstick alternately, three rounds each, and the median round (the machine is shared: a burst of
    // someone else's work should not land on one side of a ratio only).
    const feed304Headers = { ...gzipHeaders, 'if-none-match': gzipEtag };
    const nodeUrl = (path: string) => `${ready.nodeOrigin}${path}`;
    for (const url of [feedUrl, nodeUrl('/gzip')]) await load(url, gzipHeaders, 200, 2, connections);
    const rounds: Record<'feed200' | 'node200' | 'feed304' | 'node304', LoadFigures[]> = { feed200: [], node200: [], feed304: [], node304: [] };
    for (let round = 0; round < COMPARISON_ROUNDS; round++) {
      rounds.feed200.push(await load(feedUrl, gzipHeaders, 200, seconds, connections));
      rounds.node200.push(await load(nodeUrl('/gzip'), gzipHeaders, 200, seconds, connections));
      rounds.feed304.push(await load(feedUrl, feed304Headers, 304, seconds, connections));
      rounds.node304.push(await load(nodeUrl('/conditional'), feed304Headers, 304, seconds, connections));
    }
    const feed200 = medianRound(rounds.feed200);
    const node200 = medianRound(rounds.node200);
    const feed304 = medianRound(rounds.feed304);
    const node304 = medianRound(rounds.node304);
    const feed200Identity = await load(feedUrl, {}, 200, seconds, connections);

    // Story pages: each requested once (the first render, with "Your next read"), then under load.
    const storyPaths = ready.storyIds.map((id) => `/stories/${id}`);
    const firstRenderStarted = performance.now();
    for (const storyPath of storyPaths) {
      const page = await getRaw(`${ready.appOrigin}${storyPath}`, gzipHeaders);
      if (page.status !== 200) throw new Error(`GET ${storyPath} answered ${page.status}`);
    }
    const storyFirstRenderSeconds = (performance.now() - firstRenderStarted) / 1000;
    const storyPages = await load(ready.appOrigin, gzipHeaders, 200, seconds, connections, storyPaths.map((p) => ({ path: p })));

    const randomPages = await load(ready.appOrigin, gzipHeaders, 200, seconds, connections, [
      { setupRequest: (request) => ({ ...request, path: `/feeds/all.rss?page=${1 + Math.floor(Math.random() * 1000)}` }) },
    ]);
    const health = await load(`${ready.appOrigin}/health`, gzipHeaders, 200, seconds, connections);
    await load(`${ready.expressOrigin}/`, {}, 200, 1, connections);
    const bare = await load(`${ready.expressOrigin}/`, {}, 200, seconds, connections);
    return {
      storeStories,
      feedBodyBytes: identity.body.length,
      feedGzipBytes: gzip.body.length,
      feed200,
      feed200Identity,
      feed304,
      node200,
      node304,
      bare,
      storyPages,
      storyPageCount: storyPaths.length,
      storyFirstRenderSeconds,
      randomPages,
      health,
      connections,
      seconds,
      loadAverage: [loadAtStart, os.loadavg()[0]],
    };
  } finally {
    child.disconnect();
  }
}
