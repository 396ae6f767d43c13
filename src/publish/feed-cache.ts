/**
 * Bounded LRU of rendered feed bodies, and the encoded form the HTTP routes keep in it.
 *
 * The key includes the publication version, so a change in storage makes old entries unreachable
 * (natural invalidation) and the LRU bound evicts them; no explicit purge is ever needed.
 *
 * Feed readers poll the same few URLs all day and nearly all send `Accept-Encoding: gzip`, so each
 * cache entry holds the body as bytes once per content coding, compressed once when the entry is
 * made: a cache hit then costs no encoding, compression or hashing at all.
 */
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
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

/** Generic over what is stored per key: the routes store an EncodedFeed, plain uses a string. */
export class FeedCache<T = string> {
  // A Map iterates in insertion order: re-inserting on hit moves an entry to the "recent" end.
  private readonly bodies = new Map<string, T>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxEntries: number = 64) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`FeedCache maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get(key: FeedCacheKey): T | undefined {
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

  set(key: FeedCacheKey, body: T): void {
    const id = cacheKeyId(key);
    this.bodies.delete(id);
    this.bodies.set(id, body);
    while (this.bodies.size > this.maxEntries) {
      const oldest = this.bodies.keys().next().value as string;
      this.bodies.delete(oldest);
    }
  }

  /** Returns the cached body, or renders, stores and returns it. */
  getOrRender(key: FeedCacheKey, render: () => T): T {
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

/** Content codings a feed is kept in, in the server's order of preference when a client ranks them equally. */
export const FEED_CONTENT_CODINGS = ['br', 'gzip', 'identity'] as const;
export type FeedContentCoding = (typeof FEED_CONTENT_CODINGS)[number];

/** One representation of a feed: the exact bytes sent and their strong validator. */
export interface FeedRepresentationBytes {
  body: Buffer;
  etag: string;
}

export interface EncodedFeed {
  representations: Record<FeedContentCoding, FeedRepresentationBytes>;
  /** Every representation's ETag: a client holding any of them has the current version. */
  etags: readonly string[];
}

/**
 * gzip level 6 is zlib's own default (the usual size/CPU balance). Brotli quality 5 compresses text
 * smaller than gzip 6 in about the same time (under a millisecond for 100 KB here); the maximum, 11,
 * took about 60 times as long for roughly 15% fewer bytes, paid on every cache miss.
 */
const GZIP_LEVEL = 6;
const BROTLI_QUALITY = 5;

/** Encodes a rendered body once per coding; `etags` names each representation (publish/etag.ts feedEtags). */
export function encodeFeed(text: string | Buffer, etags: Record<FeedContentCoding, string>): EncodedFeed {
  const identity = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const gzip = gzipSync(identity, { level: GZIP_LEVEL });
  const br = brotliCompressSync(identity, {
    params: {
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length,
    },
  });
  const representations: Record<FeedContentCoding, FeedRepresentationBytes> = {
    br: { body: br, etag: etags.br },
    gzip: { body: gzip, etag: etags.gzip },
    identity: { body: identity, etag: etags.identity },
  };
  return { representations, etags: FEED_CONTENT_CODINGS.map((coding) => representations[coding].etag) };
}
