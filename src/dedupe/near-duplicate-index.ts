import { BucketPostings } from './bucket-postings';
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
 * tokens and dates); this is a cache of one date range of it, so a lookup costs a few table
 * probes instead of SQL joins, and memory is bounded by the stories in the range, not by the archive.
 *
 * Memory is what limits the range, so a story costs one small object, an array of small integers
 * and its postings in a typed-array table; bucket ids are not kept per story (eviction recomputes them).
 */
export class NearDuplicateIndex {
  private readonly postings = new BucketPostings();
  /** Stories by slot, the small integer the postings refer to; freed slots are reused. */
  private readonly slots: (Entry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly slotByStory = new Map<number, number>();
  private lookupSerial = 0;

  get size(): number {
    return this.slotByStory.size;
  }

  add(story: IndexedStory, buckets: readonly number[] = lshBuckets(story.hashes)): void {
    if (this.slotByStory.has(story.storyId) || buckets.length === 0) return;
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = { storyId: story.storyId, hashes: story.hashes, day: story.day, visit: 0 };
    this.slotByStory.set(story.storyId, slot);
    for (const bucket of buckets) this.postings.add(bucket, slot);
  }

  /** Stories sharing a bucket with `buckets`, published within [fromDay, toDay]; at most `limit` of them. */
  candidates(buckets: readonly number[], fromDay: number, toDay: number, limit = 500): TitleCandidate[] {
    // A per-lookup serial marks visited entries, so no Set is built per lookup.
    const visit = ++this.lookupSerial;
    const found: TitleCandidate[] = [];
    for (const bucket of buckets) {
      for (let at = this.postings.next(bucket, -1); at !== -1; at = this.postings.next(bucket, at)) {
        const entry = this.slots[this.postings.slotAt(at)]!;
        if (entry.visit === visit) continue;
        entry.visit = visit;
        if (entry.day < fromDay || entry.day > toDay) continue;
        found.push(entry);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /** Forgets stories published before `day`; returns how many. */
  evictBefore(day: number): number {
    let evicted = 0;
    for (const [storyId, slot] of this.slotByStory) {
      const entry = this.slots[slot]!;
      if (entry.day >= day) continue;
      for (const bucket of lshBuckets(entry.hashes)) this.postings.remove(bucket, slot);
      this.slots[slot] = undefined;
      this.freeSlots.push(slot);
      this.slotByStory.delete(storyId);
      evicted += 1;
    }
    return evicted;
  }

  clear(): void {
    this.postings.clear();
    this.slots.length = 0;
    this.freeSlots.length = 0;
    this.slotByStory.clear();
  }
}
