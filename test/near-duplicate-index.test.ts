import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BucketPostings } from '../src/dedupe/bucket-postings';
import { NearDuplicateIndex } from '../src/dedupe/near-duplicate-index';
import { lshBuckets, titleTokens, tokenHashes } from '../src/dedupe/title-signature';
import { FeedsRepository } from '../src/store/feeds-repository';
import { StoriesRepository } from '../src/store/stories-repository';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const feeds = ['framewire', 'pixelpost', 'modelbeat'].map((id) => ({ id, name: id, url: `https://${id}.example/feed` }));

describe('the in-memory near-duplicate index', () => {
  it('finds headlines sharing a bucket within the date range only, and forgets evicted days', () => {
    const index = new NearDuplicateIndex();
    const hashesOf = (title: string) => tokenHashes(titleTokens(title));
    index.add({ storyId: 1, hashes: hashesOf('Google unveils Veo 4 with native audio and 4K output'), day: 100 });
    index.add({ storyId: 2, hashes: hashesOf('Midjourney V8 renders legible typography on posters'), day: 100 });
    const query = hashesOf('Google unveils Veo 4, adding native audio and 4K output');
    const buckets = lshBuckets(query);
    expect(index.candidates(buckets, 95, 105).map((c) => c.storyId)).toEqual([1]);
    expect(index.candidates(buckets, 101, 110)).toEqual([]);
    expect(index.evictBefore(101)).toBe(2);
    expect(index.candidates(buckets, 0, 200)).toEqual([]);
    expect(index.size).toBe(0);
  });
});

describe('the postings table behind the index', () => {
  it('agrees with a plain Map through growth, colliding buckets and deletions', () => {
    const table = new BucketPostings();
    const reference = new Map<number, number[]>();
    // A deterministic mix of few distinct buckets (long probe runs) and slots reused after removal.
    let state = 12345;
    const random = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const slotsOf = (bucket: number) => {
      const found: number[] = [];
      for (let at = table.next(bucket, -1); at !== -1; at = table.next(bucket, at)) found.push(table.slotAt(at));
      return found.sort((a, b) => a - b);
    };
    for (let step = 0; step < 20_000; step += 1) {
      // Buckets that share low bits collide in the table: home positions coincide.
      const bucket = random(64) * 4096 + random(3);
      const held = reference.get(bucket) ?? [];
      if (held.length > 0 && random(3) === 0) {
        const slot = held.splice(random(held.length), 1)[0];
        table.remove(bucket, slot);
      } else {
        const slot = random(5000);
        if (held.includes(slot)) continue;
        held.push(slot);
        table.add(bucket, slot);
      }
      reference.set(bucket, held);
    }
    let total = 0;
    for (const [bucket, held] of reference) {
      expect(slotsOf(bucket)).toEqual([...held].sort((a, b) => a - b));
      total += held.length;
    }
    expect(table.size).toBe(total);
    expect(slotsOf(7)).toEqual([]);
  });
});

describe('near-duplicate detection through the store', () => {
  let services: TestServices | undefined;
  afterEach(() => services?.dispose());

  it('sees stories another process stored (CLI and server share the database file)', () => {
    services = createTestServices({ feeds });
    // Warm this process's index, then let a second connection (another process) store a story.
    ingest(services, 'framewire', [
      { guid: 'a', title: 'Runway ships Gen-5 with minute-long shots', publishedAt: '2026-11-20T10:00:00.000Z', label: 'video' },
    ]);
    const other = new Database(services.config.database.path);
    const otherFeeds = new FeedsRepository(other);
    const otherStories = new StoriesRepository(other, otherFeeds, 0.6);
    const item = {
      feedId: 'pixelpost',
      guid: 'b',
      originalUrl: 'https://pixelpost.example/veo-4',
      canonicalUrl: 'https://pixelpost.example/veo-4',
      title: 'Google unveils Veo 4 with native audio and 4K output',
      summary: '',
      author: null,
      publishedAt: '2026-11-21T10:00:00.000Z',
      hasFeedDate: true,
      categories: [],
      imageUrl: null,
    };
    otherStories.ingestFeedItems(
      'pixelpost',
      [{ item, classification: { label: 'video', confidence: 0.9, terms: [] } }],
      { feedId: 'pixelpost', at: item.publishedAt, etag: null, lastModified: null },
      services.config.dedupe,
    );
    other.close();

    ingest(services, 'modelbeat', [
      { guid: 'c', title: 'Google unveils Veo 4, adding native audio and 4K output', publishedAt: '2026-11-21T12:00:00.000Z', label: 'video' },
    ]);
    const veo = services.stories.listForReview({ limit: 10, offset: 0 }).filter((story) => /Veo 4/.test(story.title));
    expect(veo).toHaveLength(1);
    expect(veo[0].outlets.map((outlet) => outlet.feedId).sort()).toEqual(['modelbeat', 'pixelpost']);
  });

  it('an item older than everything in memory still joins its old story, and far-apart dates never join', () => {
    services = createTestServices({ feeds });
    ingest(services, 'framewire', [
      { guid: 'old', title: 'Pika pivots to a social app built around AI video remixes', publishedAt: '2026-06-01T09:00:00.000Z', label: 'video' },
      { guid: 'new', title: 'Luma Ray4 generates twenty-second clips with consistent characters', publishedAt: '2026-11-20T09:00:00.000Z', label: 'video' },
    ]);
    ingest(services, 'pixelpost', [
      // Newer stories push the in-memory range forward...
      { guid: 'n2', title: 'Krea real-time canvas turns sketches into finished renders', publishedAt: '2026-11-22T09:00:00.000Z', label: 'image' },
      // ...and this backfilled item must still find June's story,
      { guid: 'back', title: 'Pika pivots to a social app built around AI video remixes', publishedAt: '2026-06-02T09:00:00.000Z', label: 'video' },
    ]);
    ingest(services, 'modelbeat', [
      // while the same headline months later is a new story (outside the ±7-day window).
      { guid: 'later', title: 'Pika pivots to a social app built around AI video remixes', publishedAt: '2026-10-01T09:00:00.000Z', label: 'video' },
    ]);
    const pika = services.stories.listForReview({ limit: 10, offset: 0 }).filter((story) => /Pika/.test(story.title));
    expect(pika.map((story) => story.outlets.map((outlet) => outlet.feedId).sort())).toEqual([['modelbeat'], ['framewire', 'pixelpost']]);
  });
});
