/**
 * Section 3: near-duplicate detection cost as the store grows.
 *
 * The store is filled through the real ingest path (StoriesRepository.ingestFeedItems, 500 items
 * per transaction) with stories dated like a site's archive: `storiesPerDay` new stories a day, so
 * the dedupe window (±windowDays) always holds about the same number of stories, as in production.
 * At each size a batch of new items (15% duplicates of the last days' stories: tracking-parameter
 * URLs and reworded headlines) is ingested the way a fetch run does it, 100 items per feed
 * transaction, and timed. The store at `servingStoreSize` is copied for the serving section.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Classify } from '../src/jobs/fetch-run';
import type { NormalizedItem } from '../src/model';
import type { Services } from '../src/services';
import type { IngestCandidate } from '../src/store/stories-repository';
import { openBenchServices } from './bench-services';
import type { BenchPlan } from './bench-plan';
import { StoryWriter, type SyntheticStory } from './headlines';
import { startMemorySampler, type MemoryPeak } from './memory-sampler';
import { seededRandom, type Random } from './random';
import { storyLink, syntheticItem } from './synthetic-items';
import { TRACKING_SUFFIXES } from './vocabulary';

export interface DedupeSizeFigures {
  /** Store size when the batches were measured. */
  storedStories: number;
  storedItems: number;
  /** Stories within windowDays before the batch's dates: what one lookup can be compared against. */
  storiesInWindow: number;
  dbBytes: number;
  /** Median over repeats of (batch ingest time / batch items). */
  microsPerItem: number;
  batchJoined: number;
  batchDuplicates: number;
}

export interface DedupeFigures {
  sizes: DedupeSizeFigures[];
  fillItemsPerSecond: number;
  /** Memory once `memoryAtStories` stories are stored. */
  memoryAtStories: number;
  rssAfterBytes: number;
  peak: MemoryPeak;
  servingDbFile: string;
}

/** Items per fill transaction: a feed's largest fetch (maxItemsPerFeed), as the service stores it. */
const FILL_CHUNK = 500;
const ARCHIVE_FEEDS = 20;
const INCOMING_FEEDS = 10;
const DAY_MS = 86_400_000;
/** Recent stories kept in memory as duplicate sources for the measured batches. */
const RECENT_KEPT = 3_000;

interface StoredStory {
  story: SyntheticStory;
  feedId: string;
  publishedAt: Date;
}

const archiveFeed = (index: number) => `archive-${String(index + 1).padStart(2, '0')}`;
const incomingFeed = (index: number) => `incoming-${String(index + 1).padStart(2, '0')}`;

function dbBytes(file: string): number {
  const size = (name: string) => {
    try {
      return statSync(name).size;
    } catch {
      return 0;
    }
  };
  return size(file) + size(`${file}-wal`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function classified(items: readonly NormalizedItem[], classify: Classify): IngestCandidate[] {
  return items.map((item) => ({ item, classification: classify({ title: item.title, summary: item.summary }) }));
}

/** One measured batch: new stories plus duplicates of recent ones, ingested 100 items per feed as a fetch run does. */
function ingestBatch(
  services: Services,
  writer: StoryWriter,
  random: Random,
  recent: readonly StoredStory[],
  present: Date,
  size: number,
  duplicateShare: number,
  batchSerial: number,
): { ms: number; joined: number; duplicates: number } {
  const perFeed = Math.ceil(size / INCOMING_FEEDS);
  const feeds: { feedId: string; candidates: IngestCandidate[] }[] = [];
  let duplicates = 0;
  let made = 0;
  const coveredByFeed = new Map<string, Set<StoredStory>>();
  for (let f = 0; f < INCOMING_FEEDS && made < size; f += 1) {
    const feedId = incomingFeed(f);
    const covered = coveredByFeed.get(feedId) ?? new Set<StoredStory>();
    coveredByFeed.set(feedId, covered);
    const items: NormalizedItem[] = [];
    for (let i = 0; i < perFeed && made < size; i += 1, made += 1) {
      const publishedAt = new Date(present.getTime() - random.int(0, 6 * 3_600_000));
      const guid = `${feedId}-b${batchSerial}-${i}`;
      if (random.chance(duplicateShare)) {
        let source = random.pick(recent);
        while (covered.has(source)) source = random.pick(recent);
        covered.add(source);
        duplicates += 1;
        items.push(
          random.chance(0.5)
            ? syntheticItem(feedId, source.story, publishedAt, {
                guid,
                link: `${storyLink(source.feedId, source.story)}${random.pick(TRACKING_SUFFIXES)}`,
              })
            : syntheticItem(feedId, writer.next(source.story.label), publishedAt, {
                guid,
                title: writer.reword(source.story.title),
              }),
        );
      } else {
        items.push(syntheticItem(feedId, writer.next(), publishedAt, { guid }));
      }
    }
    // Classification is section 2's figure; here only dedupe + store is timed.
    feeds.push({ feedId, candidates: classified(items, services.classifier.classify) });
  }
  let joined = 0;
  const started = performance.now();
  for (const { feedId, candidates } of feeds) {
    const result = services.stories.ingestFeedItems(
      feedId,
      candidates,
      { feedId, at: present.toISOString(), etag: null, lastModified: null },
      {},
    );
    joined += result.joined;
  }
  return { ms: performance.now() - started, joined, duplicates };
}

export async function runDedupeBench(plan: BenchPlan, workDir: string, modelPath: string): Promise<DedupeFigures> {
  const dbFile = path.join(workDir, 'dedupe.db');
  const feeds = [
    ...Array.from({ length: ARCHIVE_FEEDS }, (_, i) => archiveFeed(i)),
    ...Array.from({ length: INCOMING_FEEDS }, (_, i) => incomingFeed(i)),
  ].map((id) => ({ id, name: id, url: `https://${id}.example/feed` }));
  const services = openBenchServices({ dbFile, modelPath, feeds });
  const random = seededRandom(7_2026);
  const writer = new StoryWriter(random);
  const largest = plan.dedupeSizes[plan.dedupeSizes.length - 1];
  const dayMs = DAY_MS / plan.storiesPerDay;
  // The archive ends about now when the largest size is reached.
  const archiveStart = Date.now() - Math.ceil(largest / plan.storiesPerDay) * DAY_MS;
  const windowDays = services.config.dedupe.windowDays;

  const sampler = startMemorySampler(50);
  const recent: StoredStory[] = [];
  let storedStories = 0;
  let fillItems = 0;
  let fillMs = 0;
  let chunkSerial = 0;
  const sizes: DedupeSizeFigures[] = [];
  let memory: { rssAfterBytes: number; peak: MemoryPeak } | null = null;
  let servingDbFile = '';

  for (const target of plan.dedupeSizes) {
    while (storedStories < target) {
      const count = Math.min(FILL_CHUNK, target - storedStories);
      const feedId = archiveFeed(chunkSerial % ARCHIVE_FEEDS);
      chunkSerial += 1;
      const items: NormalizedItem[] = [];
      for (let i = 0; i < count; i += 1) {
        const story = writer.next();
        const publishedAt = new Date(archiveStart + (storedStories + i) * dayMs);
        items.push(syntheticItem(feedId, story, publishedAt));
        recent.push({ story, feedId, publishedAt });
      }
      if (recent.length > RECENT_KEPT * 2) recent.splice(0, recent.length - RECENT_KEPT);
      const candidates = classified(items, services.classifier.classify);
      const started = performance.now();
      const result = services.stories.ingestFeedItems(
        feedId,
        candidates,
        { feedId, at: new Date().toISOString(), etag: null, lastModified: null },
        {},
      );
      fillMs += performance.now() - started;
      fillItems += count;
      storedStories += result.newStories;
      sampler.sample();
    }

    const before = services.stories.counts();
    const present = new Date(archiveStart + storedStories * dayMs);
    const fromDay = Math.floor(present.getTime() / DAY_MS) - windowDays;
    const storiesInWindow = (
      services.db
        .prepare('SELECT COUNT(*) AS n FROM stories WHERE published_at >= ?')
        .get(new Date(fromDay * DAY_MS).toISOString()) as { n: number }
    ).n;
    const recentForBatch = recent.slice(-Math.min(RECENT_KEPT, recent.length));
    const repeats: number[] = [];
    let batchJoined = 0;
    let batchDuplicates = 0;
    for (let r = 0; r < plan.batchRepeats; r += 1) {
      const batch = ingestBatch(services, writer, random, recentForBatch, present, plan.batchSize, plan.duplicateShare, sizes.length * 10 + r);
      repeats.push((batch.ms * 1000) / plan.batchSize);
      batchJoined += batch.joined;
      batchDuplicates += batch.duplicates;
    }
    storedStories = services.stories.counts().stories;
    sizes.push({
      storedStories: before.stories,
      storedItems: before.items,
      storiesInWindow,
      dbBytes: dbBytes(dbFile),
      microsPerItem: median(repeats),
      batchJoined,
      batchDuplicates,
    });

    if (target === plan.servingStoreSize) {
      global.gc?.();
      memory = { rssAfterBytes: process.memoryUsage().rss, peak: sampler.stop() };
      servingDbFile = path.join(workDir, 'serving.db');
      services.db.exec(`VACUUM INTO '${servingDbFile.replace(/'/g, "''")}'`);
    }
  }
  services.close();
  if (!memory) throw new Error(`servingStoreSize ${plan.servingStoreSize} is not one of dedupeSizes`);
  return {
    sizes,
    fillItemsPerSecond: fillItems / (fillMs / 1000),
    memoryAtStories: plan.servingStoreSize,
    rssAfterBytes: memory.rssAfterBytes,
    peak: memory.peak,
    servingDbFile,
  };
}
