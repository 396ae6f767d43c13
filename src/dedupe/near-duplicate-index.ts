import { lshBuckets, type TitleCandidate } from './title-signature';

export interface IndexedStory {
  storyId: number;
  /** Word hashes of the headline (tokenHashes). */
  hashes: readonly number[];
  /** Epoch day of the story's published date. */
  day: number;
}

/** What the index keeps per story; `visit` marks it as already considered by the current lookup. */
interface Entry extends IndexedStory {
  visit: number;
}

/**
 * In-memory LSH buckets of recent headlines. The database stays the source of truth (story
 * tokens and dates); this is a cache of one date range of it, so a lookup costs a few Map probes
 * instead of SQL joins, and memory is bounded by the stories in the range, not by the archive.
 *
 * Memory is what limits the range, so a story costs one small object and an array of small
 * integers; bucket ids are not kept per story (eviction recomputes them from the hashes).
 */
export class NearDuplicateIndex {
  /** Most buckets hold one story: stored bare, an array only once a second story arrives. */
  private readonly byBucket = new Map<number, Entry | Entry[]>();
  private readonly entries = new Map<number, Entry>();
  private lookupSerial = 0;

  get size(): number {
    return this.entries.size;
  }

  add(story: IndexedStory, buckets: readonly number[] = lshBuckets(story.hashes)): void {
    if (this.entries.has(story.storyId) || buckets.length === 0) return;
    const entry: Entry = { storyId: story.storyId, hashes: story.hashes, day: story.day, visit: 0 };
    this.entries.set(story.storyId, entry);
    for (const bucket of buckets) {
      const held = this.byBucket.get(bucket);
      if (held === undefined) this.byBucket.set(bucket, entry);
      else if (Array.isArray(held)) held.push(entry);
      else this.byBucket.set(bucket, [held, entry]);
    }
  }

  /** Stories sharing a bucket with `buckets`, published within [fromDay, toDay]; at most `limit`, newest first. */
  candidates(buckets: readonly number[], fromDay: number, toDay: number, limit = 500): TitleCandidate[] {
    // A per-lookup serial marks visited entries, so no Set is built per lookup.
    const visit = ++this.lookupSerial;
    const found: TitleCandidate[] = [];
    const consider = (entry: Entry): boolean => {
      if (entry.visit === visit) return false;
      entry.visit = visit;
      if (entry.day < fromDay || entry.day > toDay) return false;
      found.push(entry);
      return found.length >= limit;
    };
    for (const bucket of buckets) {
      const held = this.byBucket.get(bucket);
      if (held === undefined) continue;
      if (!Array.isArray(held)) {
        if (consider(held)) return found;
        continue;
      }
      for (let i = held.length - 1; i >= 0; i -= 1) if (consider(held[i])) return found;
    }
    return found;
  }

  /** Forgets stories published before `day`; returns how many. */
  evictBefore(day: number): number {
    let evicted = 0;
    for (const [storyId, entry] of this.entries) {
      if (entry.day >= day) continue;
      this.entries.delete(storyId);
      for (const bucket of lshBuckets(entry.hashes)) {
        const held = this.byBucket.get(bucket);
        if (held === undefined) continue;
        if (!Array.isArray(held)) {
          if (held === entry) this.byBucket.delete(bucket);
          continue;
        }
        const kept = held.filter((other) => other !== entry);
        if (kept.length === 0) this.byBucket.delete(bucket);
        else this.byBucket.set(bucket, kept.length === 1 ? kept[0] : kept);
      }
      evicted += 1;
    }
    return evicted;
  }

  clear(): void {
    this.entries.clear();
    this.byBucket.clear();
  }
}
