/**
 * Bounded LRU of rendered feed bodies, and the encoded form the HTTP routes keep in it.
 *
 * The key includes the publication version, so a change in storage makes old entries unreachable
 * (natural invalidation) and the LRU bound evicts them; no explicit purge is ever needed.
 *
 * Feed readers poll the same few URLs all day and nearly all send `Accept-Encoding: gzip`, so each
 * cache entry holds the body as bytes per content coding, each compressed once, the first time a
 * client asks for it: a cache hit then costs no encoding, compression or hashing at all.
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

/**
 * gzip level 6 is zlib's own default (the usual size/CPU balance). Brotli quality 5 compresses text
 * smaller than gzip 6 in about the same time (under a millisecond for 100 KB here); the maximum, 11,
 * took about 60 times as long for roughly 15% fewer bytes, paid on every cache miss.
 */
const GZIP_LEVEL = 6;
const BROTLI_QUALITY = 5;

/**
 * A rendered body and its representations. Every coding's ETag is known at once (a client holding any
 * of them gets a 304 without any compression), but a coding's bytes are made the first time a client
 * asks for that coding, then kept: a page requested once (a crawler paging deep) costs one
 * compression, not two, and the popular feeds still pay each compression only once per version.
 */
export class EncodedFeed {
  /** Every representation's ETag: a client holding any of them has the current version. */
  readonly etags: readonly string[];
  private readonly bodies: Partial<Record<FeedContentCoding, Buffer>>;

  constructor(identity: Buffer, private readonly etagByCoding: Record<FeedContentCoding, string>) {
    this.bodies = { identity };
    this.etags = FEED_CONTENT_CODINGS.map((coding) => etagByCoding[coding]);
  }

  etag(coding: FeedContentCoding): string {
    return this.etagByCoding[coding];
  }

  /** The body in `coding`, compressed on the first request for it. */
  body(coding: FeedContentCoding): Buffer {
    let body = this.bodies[coding];
    if (body === undefined) {
      body = compress(this.bodies.identity!, coding);
      this.bodies[coding] = body;
    }
    return body;
  }

  representation(coding: FeedContentCoding): FeedRepresentationBytes {
    return { body: this.body(coding), etag: this.etagByCoding[coding] };
  }

  /** Whether `coding`'s bytes are made already (a send of it costs no compression). */
  has(coding: FeedContentCoding): boolean {
    return this.bodies[coding] !== undefined;
  }

  /** Bytes held over the codings made so far. */
  heldBytes(): number {
    let bytes = 0;
    for (const coding of FEED_CONTENT_CODINGS) bytes += this.bodies[coding]?.length ?? 0;
    return bytes;
  }
}

function compress(identity: Buffer, coding: FeedContentCoding): Buffer {
  if (coding === 'gzip') return gzipSync(identity, { level: GZIP_LEVEL });
  if (coding === 'br') {
    return brotliCompressSync(identity, {
      params: {
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    });
  }
  return identity;
}

/** A rendered body ready to be sent in any coding; `etags` names each representation (publish/etag.ts feedEtags). */
export function encodeFeed(text: string | Buffer, etags: Record<FeedContentCoding, string>): EncodedFeed {
  return new EncodedFeed(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, etags);
}
