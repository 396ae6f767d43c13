/**
 * Section 1: a full fetch run over synthetic outlets served from 127.0.0.1, into a fresh SQLite file.
 *
 * Two measurements:
 *  - end to end: `runFetchCycle` exactly as the scheduler calls it (fetch, parse, dedupe, classify, store);
 *  - once fetched: the same documents pre-fetched, then the stages runOne performs timed one by one
 *    (parse -> classify -> ingest transaction, and the run's closing WAL checkpoint), into a second fresh
 *    database, after the first run warmed the JIT.
 */
import path from 'node:path';
import { fetchFeedDocument } from '../src/fetch/fetch-document';
import { runFetchCycle } from '../src/jobs/fetch-run';
import type { FeedSource, NormalizedItem } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { activeSources } from '../src/services';
import { fetchRunDeps, openBenchServices } from './bench-services';
import type { FixtureManifest } from './fixture-manifest';
import { startMemorySampler, type MemoryPeak } from './memory-sampler';

export interface IngestFigures {
  feeds: number;
  items: number;
  fixtureBytes: number;
  concurrency: number;
  endToEnd: {
    seconds: number;
    itemsPerSecond: number;
    inserted: number;
    failedFeeds: number;
    memory: MemoryPeak;
    /** RSS before the run started: runtime, libraries, model, open database. */
    rssBeforeBytes: number;
  };
  onceFetched: {
    fetchSeconds: number;
    parseSeconds: number;
    classifySeconds: number;
    storeSeconds: number;
    itemsPerSecond: number;
  };
  dedupe: {
    expectedStories: number;
    storedStories: number;
    storedItems: number;
    urlDuplicates: number;
    titleDuplicates: number;
  };
}

/** Runs `task` over `items` with at most `limit` in flight, keeping result order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await task(items[index]);
      }
    }),
  );
  return results;
}

/**
 * `feedOrigin` serves the manifest's feeds from another process, as outlets would: the peak
 * memory measured here is the pipeline's, not the fixture server's.
 */
export async function runIngestBench(
  manifest: FixtureManifest,
  feedOrigin: string,
  workDir: string,
  modelPath: string,
): Promise<IngestFigures> {
  const feedConfig = manifest.feeds.map((feed) => ({ id: feed.id, name: feed.name, url: `${feedOrigin}${feed.urlPath}` }));
  // End to end, exactly as the scheduler runs it.
  const endToEndServices = openBenchServices({ dbFile: path.join(workDir, 'ingest-e2e.db'), modelPath, feeds: feedConfig });
  const deps = fetchRunDeps(endToEndServices);
  const sources = activeSources(endToEndServices.feeds);

  const rssBeforeBytes = process.memoryUsage().rss;
  const sampler = startMemorySampler(50);
  const started = performance.now();
  const summary = await runFetchCycle(sources, deps, { force: true });
  const seconds = (performance.now() - started) / 1000;
  const memory = sampler.stop();
  const counts = endToEndServices.stories.counts();
  endToEndServices.close();

  // Once fetched: same documents, stages timed separately, fresh database.
  const phasedServices = openBenchServices({ dbFile: path.join(workDir, 'ingest-phased.db'), modelPath, feeds: feedConfig });
  const phasedDeps = fetchRunDeps(phasedServices);
  const phasedSources = activeSources(phasedServices.feeds);
  const fetchStarted = performance.now();
  const documents = await mapLimited(phasedSources, phasedDeps.settings.concurrency, async (source: FeedSource) => ({
    source,
    outcome: await fetchFeedDocument(source.url, { etag: null, lastModified: null }, phasedDeps.settings.fetch),
  }));
  const fetchSeconds = (performance.now() - fetchStarted) / 1000;

  let parseMs = 0;
  let classifyMs = 0;
  let storeMs = 0;
  let items = 0;
  for (const { source, outcome } of documents) {
    if (outcome.kind !== 'fetched') throw new Error(`pre-fetch of ${source.url} failed: ${JSON.stringify(outcome)}`);
    const fetchedAt = new Date();
    let t = performance.now();
    const parsed = await parseFeedDocument(outcome.body, source, fetchedAt, outcome.finalUrl, {
      maxItems: phasedDeps.settings.maxItemsPerFeed,
    });
    parseMs += performance.now() - t;
    if (!parsed.ok) throw new Error(`parse of ${source.url} failed: ${parsed.error.message}`);
    t = performance.now();
    const candidates = parsed.items.map((item: NormalizedItem) => ({
      item,
      classification: phasedDeps.classify({ title: item.title, summary: item.summary }),
    }));
    classifyMs += performance.now() - t;
    t = performance.now();
    phasedDeps.stories.ingestFeedItems(
      source.id,
      candidates,
      { feedId: source.id, at: fetchedAt.toISOString(), etag: outcome.etag, lastModified: outcome.lastModified },
      { categoryHint: source.categoryHint },
    );
    storeMs += performance.now() - t;
    items += parsed.items.length;
  }
  // runFetchCycle ends with a checkpoint of the write-ahead log: part of storing.
  const checkpointStarted = performance.now();
  phasedDeps.stories.checkpoint();
  storeMs += performance.now() - checkpointStarted;
  phasedServices.close();

  return {
    feeds: manifest.feeds.length,
    items: manifest.itemCount,
    fixtureBytes: manifest.totalBytes,
    concurrency: deps.settings.concurrency,
    endToEnd: {
      seconds,
      itemsPerSecond: manifest.itemCount / seconds,
      inserted: summary.inserted,
      failedFeeds: summary.failed,
      memory,
      rssBeforeBytes,
    },
    onceFetched: {
      fetchSeconds,
      parseSeconds: parseMs / 1000,
      classifySeconds: classifyMs / 1000,
      storeSeconds: storeMs / 1000,
      itemsPerSecond: items / ((parseMs + classifyMs + storeMs) / 1000),
    },
    dedupe: {
      expectedStories: manifest.expectedStories,
      storedStories: counts.stories,
      storedItems: counts.items,
      urlDuplicates: manifest.urlDuplicates,
      titleDuplicates: manifest.titleDuplicates,
    },
  };
}
