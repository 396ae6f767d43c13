/**
 * Bounded LRU of rendered feed bodies.
 *
 * The key includes the publication version, so a change in storage makes old entries unreachable
 * (natural invalidation) and the LRU bound evicts them; no explicit purge is ever needed.
 */
import type { FeedCategory } from '../model';
import type { FeedFormat } from './feed-builder';

export interface FeedCacheKey {
  format: FeedFormat;
  category: FeedCategory;
  limit: number;
  offset: number;
  version: number;
}

export interface FeedCacheStats {
  entries: number;
  hits: number;
  misses: number;
}

export class FeedCache {
  // A Map iterates in insertion order: re-inserting on hit moves an entry to the "recent" end.
  private readonly bodies = new Map<string, string>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxEntries: number = 64) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`FeedCache maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get(key: FeedCacheKey): string | undefined {
    const id = cacheKeyId(key);
    const body = this.bodies.get(id);
    if (body === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.bodies.delete(id);
    this.bodies.set(id, body);
    return body;
  }

  set(key: FeedCacheKey, body: string): void {
    const id = cacheKeyId(key);
    this.bodies.delete(id);
    this.bodies.set(id, body);
    while (this.bodies.size > this.maxEntries) {
      const oldest = this.bodies.keys().next().value as string;
      this.bodies.delete(oldest);
    }
  }

  /** Returns the cached body, or renders, stores and returns it. */
  getOrRender(key: FeedCacheKey, render: () => string): string {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const body = render();
    this.set(key, body);
    return body;
  }

  stats(): FeedCacheStats {
    return { entries: this.bodies.size, hits: this.hits, misses: this.misses };
  }
}

function cacheKeyId(key: FeedCacheKey): string {
  return `${key.version}|${key.format}|${key.category}|${key.limit}|${key.offset}`;
}
