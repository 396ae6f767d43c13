import { lshBuckets } from './title-signature';

export interface IndexedStory {
  storyId: number;
  tokens: string[];
  /** Epoch day of the story's published date. */
  day: number;
}

export interface IndexCandidate {
  storyId: number;
  tokens: string[];
}

/**
 * In-memory LSH buckets of recent headlines. The database stays the source of truth (story
 * tokens and dates); this is a cache of one date range of it, so a lookup costs a few Map probes
 * instead of SQL joins, and memory is bounded by the stories in the range, not by the archive.
 */
export class NearDuplicateIndex {
  /** Most buckets hold one story: stored as a bare id, an array only once a second story arrives. */
  private readonly storiesByBucket = new Map<number, number | number[]>();
  private readonly stories = new Map<number, { tokens: string[]; day: number; buckets: number[] }>();
  private readonly seenScratch = new Set<number>();

  get size(): number {
    return this.stories.size;
  }

  add(story: IndexedStory, buckets: readonly number[] = lshBuckets(story.tokens)): void {
    if (this.stories.has(story.storyId) || buckets.length === 0) return;
    this.stories.set(story.storyId, { tokens: story.tokens, day: story.day, buckets: [...buckets] });
    for (const bucket of buckets) {
      const entry = this.storiesByBucket.get(bucket);
      if (entry === undefined) this.storiesByBucket.set(bucket, story.storyId);
      else if (typeof entry === 'number') this.storiesByBucket.set(bucket, [entry, story.storyId]);
      else entry.push(story.storyId);
    }
  }

  /** Stories sharing a bucket with `buckets`, published within [fromDay, toDay]; at most `limit`, newest ids first. */
  candidates(buckets: readonly number[], fromDay: number, toDay: number, limit = 500): IndexCandidate[] {
    // Reused across calls: a lookup runs per ingested item, so it should not allocate per bucket.
    const seen = this.seenScratch;
    seen.clear();
    const found: IndexCandidate[] = [];
    const consider = (storyId: number): boolean => {
      if (seen.has(storyId)) return false;
      seen.add(storyId);
      const story = this.stories.get(storyId)!;
      if (story.day < fromDay || story.day > toDay) return false;
      found.push({ storyId, tokens: story.tokens });
      return found.length >= limit;
    };
    for (const bucket of buckets) {
      const entry = this.storiesByBucket.get(bucket);
      if (entry === undefined) continue;
      if (typeof entry === 'number') {
        if (consider(entry)) return found;
        continue;
      }
      for (let i = entry.length - 1; i >= 0; i -= 1) if (consider(entry[i])) return found;
    }
    return found;
  }

  /** Forgets stories published before `day`; returns how many. */
  evictBefore(day: number): number {
    let evicted = 0;
    for (const [storyId, story] of this.stories) {
      if (story.day >= day) continue;
      this.stories.delete(storyId);
      for (const bucket of story.buckets) {
        const entry = this.storiesByBucket.get(bucket);
        if (entry === undefined) continue;
        const kept = typeof entry === 'number' ? [] : entry.filter((id) => id !== storyId);
        if (kept.length === 0) this.storiesByBucket.delete(bucket);
        else this.storiesByBucket.set(bucket, kept.length === 1 ? kept[0] : kept);
      }
      evicted += 1;
    }
    return evicted;
  }

  clear(): void {
    this.stories.clear();
    this.storiesByBucket.clear();
  }
}
