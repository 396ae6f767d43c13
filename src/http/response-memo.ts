/**
 * Public responses kept ready to send, per data version, and the hot path that sends them before
 * Express sees the request.
 *
 * How an entry is made: `capture()` is an Express middleware at the top of the app. For a GET of a
 * memoizable path it watches the response the normal routers produce; a 200 with `Cache-Control:
 * public` (no cookie, no per-request Vary) is kept, compressed at most once per content coding, under
 * Host + URL and stamped with the data version (store/data-version.ts) read when the request came in.
 * A coding's bytes are made when a client first asks for that coding (publish/feed-cache.ts EncodedFeed).
 * The routers stay as they are: the memo wraps their output, it does not re-implement them.
 * Feeds hand over their already-encoded representations (res.locals, see send-cached-feed.ts) so their
 * ETags stay the ones derived from the publication version.
 *
 * How it is used: `serve()` runs in the node:http request listener (withHotPath) before Express. An
 * entry whose stamp is current (and, for /health, younger than its TTL) is answered there: 304 for a
 * matching If-None-Match / If-Modified-Since, else the prepared bytes. Anything else falls through to
 * Express, which makes a fresh entry. A data change makes every entry's stamp stale at once.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { evaluateConditional } from '../publish/etag';
import { encodeFeed, FEED_CONTENT_CODINGS, type EncodedFeed, type FeedContentCoding } from '../publish/feed-cache';
import { negotiateContentCoding } from './send-cached-feed';

/** res.locals keys routers may set. */
export interface ResponseMemoLocals {
  /** The body ready to be sent in every coding (feeds), instead of the captured bytes. */
  encodedRepresentations?: EncodedFeed;
  /** Keep the response at most this long even if the data version does not change (e.g. /health). */
  responseMemoTtlMs?: number;
}

export interface ResponseMemoOptions {
  /** Current data version stamp (DataVersionWatcher.current). */
  dataStamp: () => string;
  /** Paths whose public responses may be kept; others always go to the routers. */
  isMemoizablePath: (path: string) => boolean;
  maxEntries?: number;
  /** Total body bytes over all codings; the least recently used entries go first. */
  maxBytes?: number;
  now?: () => number;
}

export interface ResponseMemoStats {
  entries: number;
  bytes: number;
  hits: number;
  notModified: number;
  misses: number;
  stored: number;
}

interface MemoEntry {
  stamp: string;
  /** When the entry last moved to the recent end of the LRU order. */
  touchedAt: number;
  expiresAt: number;
  /** Body bytes counted against maxBytes: the codings made so far. */
  bytes: number;
  encoded: EncodedFeed;
  lastModified: string | null;
  /** The 200 headers every coding shares (no ETag, length or coding yet). */
  okBase: OutgoingHttpHeaders;
  /** 304 headers without an ETag, for a client that matched another coding's tag or `*`. */
  notModifiedBase: OutgoingHttpHeaders;
  /** Per coding, made when a client first asks for it: the body, its 200 headers, its 304 headers. */
  representations: Partial<Record<FeedContentCoding, Representation>>;
  /** Per coding: the 304 headers naming that representation (no body needed). */
  notModifiedHeaders: Partial<Record<FeedContentCoding, OutgoingHttpHeaders>>;
}

interface Representation {
  body: Buffer;
  ok: OutgoingHttpHeaders;
}

/** Headers the memo sets itself, or that describe one connection or one message rather than the resource. */
const DROPPED_HEADERS = new Set([
  'etag',
  'content-length',
  'content-encoding',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'last-modified',
  'vary',
]);
/** Headers a 304 repeats (RFC 9110 §15.4.5: those a 200 would have sent that caches update). */
const NOT_MODIFIED_HEADERS = ['cache-control', 'expires', 'content-location', 'access-control-allow-origin'];

const DEFAULT_MAX_ENTRIES = 2_000;
const TOUCH_INTERVAL_MS = 1_000;
const DEFAULT_MAX_BYTES = 48 * 1024 * 1024;
/** Distinct Accept-Encoding values remembered; browsers and feed readers send a handful. */
const MAX_NEGOTIATIONS = 64;

export class ResponseMemo {
  private readonly entries = new Map<string, MemoEntry>();
  private readonly negotiated = new Map<string, FeedContentCoding>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private bytes = 0;
  private hits = 0;
  private notModified = 0;
  private misses = 0;
  private stored = 0;

  constructor(private readonly options: ResponseMemoOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
  }

  /** Answers a GET/HEAD from a current entry; false when the request must go to the routers. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const key = memoKey(req.headers.host, req.url ?? '');
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses += 1;
      return false;
    }
    const now = this.now();
    if (entry.stamp !== this.options.dataStamp() || entry.expiresAt <= now) {
      this.remove(key, entry);
      this.misses += 1;
      return false;
    }
    // Most recently used goes to the end of the Map's order; at most once a second per entry, as
    // re-inserting on every hit costs the hottest URLs the most for an order that barely changes.
    if (now - entry.touchedAt >= TOUCH_INTERVAL_MS) {
      entry.touchedAt = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    const coding = this.negotiate(req.headers['accept-encoding']);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    if (ifNoneMatch !== undefined || ifModifiedSince !== undefined) {
      const outcome = evaluateConditional({ ifNoneMatch, ifModifiedSince }, { etags: entry.encoded.etags, lastModified: entry.lastModified });
      if (outcome.notModified) {
        this.notModified += 1;
        const held = outcome.matchedEtag;
        res.writeHead(
          304,
          held === null || held === entry.encoded.etag(coding)
            ? notModifiedHeaders(entry, coding)
            : { ...entry.notModifiedBase, etag: held },
        );
        res.end();
        return true;
      }
    }
    this.hits += 1;
    const representation = entry.representations[coding] ?? this.makeRepresentation(key, entry, coding);
    res.writeHead(200, representation.ok);
    if (req.method === 'HEAD') res.end();
    else res.end(representation.body);
    return true;
  }

  /**
   * The first request for a coding of an entry: compress (unless another request for the same body
   * did already) and count the bytes; older entries make room if the memo is over its byte budget.
   */
  private makeRepresentation(key: string, entry: MemoEntry, coding: FeedContentCoding): Representation {
    const body = entry.encoded.body(coding);
    const ok: OutgoingHttpHeaders = { ...entry.okBase, etag: entry.encoded.etag(coding), 'content-length': body.length };
    if (coding !== 'identity') ok['content-encoding'] = coding;
    const representation = { body, ok };
    entry.representations[coding] = representation;
    const held = entry.encoded.heldBytes();
    if (this.entries.get(key) === entry) {
      this.bytes += held - entry.bytes;
      entry.bytes = held;
      this.evictOverBudget();
    }
    return representation;
  }

  /** Express middleware: keeps what the routers answer for memoizable GETs. Mount first. */
  capture() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.method !== 'GET' || !this.options.isMemoizablePath(req.path)) return next();
      // Read before the routers read the data, so an entry is never stamped newer than its body.
      const stamp = this.options.dataStamp();
      const startedAt = this.now();
      const key = memoKey(req.headers.host, req.originalUrl);
      let streamed = false;
      const write = res.write;
      res.write = function (this: Response, ...args: unknown[]) {
        streamed = true;
        return (write as (...a: unknown[]) => boolean).apply(this, args);
      } as typeof res.write;
      const end = res.end;
      const memo = this;
      res.end = function (this: Response, ...args: unknown[]) {
        const chunk = typeof args[0] === 'function' ? undefined : args[0];
        if (!streamed) {
          try {
            memo.consider(key, stamp, startedAt, res, chunk);
          } catch {
            // Keeping a copy is an optimisation: whatever goes wrong there, the response itself goes out.
          }
        }
        return (end as (...a: unknown[]) => Response).apply(this, args);
      } as typeof res.end;
      next();
    };
  }

  stats(): ResponseMemoStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      hits: this.hits,
      notModified: this.notModified,
      misses: this.misses,
      stored: this.stored,
    };
  }

  private consider(key: string, stamp: string, startedAt: number, res: Response, chunk: unknown): void {
    if (res.statusCode !== 200) return;
    const headers = res.getHeaders();
    const locals = res.locals as ResponseMemoLocals;
    const ttl = locals.responseMemoTtlMs;
    // Public responses are kept; a route may also opt in with a TTL (e.g. /health, no-store downstream).
    const cacheControl = String(headers['cache-control'] ?? '');
    const isPublic = /\bpublic\b/.test(cacheControl) && !/\b(?:no-store|private|no-cache)\b/.test(cacheControl);
    if (!isPublic && ttl === undefined) return;
    if (headers['set-cookie'] !== undefined) return;
    const vary = String(headers.vary ?? '').toLowerCase();
    if (vary !== '' && vary.split(',').some((name) => name.trim() !== 'accept-encoding')) return;
    let encoded = locals.encodedRepresentations;
    if (encoded === undefined) {
      // A body compressed by someone else, or no body, is not something the memo can re-serve.
      if (headers['content-encoding'] !== undefined) return;
      const body = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : null;
      if (body === null || body.length === 0) return;
      encoded = encodeFeed(body, pageEtags(body));
      // This first response goes out uncompressed: give it the tag later answers carry (Express would
      // send its own weak one), so a client revalidating with it gets a 304 from the memo, not the page again.
      if (!res.headersSent) res.setHeader('ETag', encoded.etag('identity'));
    }
    this.store(key, {
      stamp,
      expiresAt: ttl === undefined ? Number.POSITIVE_INFINITY : startedAt + ttl,
      headers,
      encoded,
      lastModified: typeof headers['last-modified'] === 'string' ? headers['last-modified'] : null,
    });
  }

  private store(
    key: string,
    made: { stamp: string; expiresAt: number; headers: OutgoingHttpHeaders; encoded: EncodedFeed; lastModified: string | null },
  ): void {
    const kept: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(made.headers)) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) kept[name] = value;
    }
    if (made.lastModified !== null) kept['last-modified'] = made.lastModified;
    const notModifiedBase: OutgoingHttpHeaders = { vary: 'Accept-Encoding' };
    for (const name of NOT_MODIFIED_HEADERS) if (kept[name] !== undefined) notModifiedBase[name] = kept[name];
    if (made.lastModified !== null) notModifiedBase['last-modified'] = made.lastModified;

    const bytes = made.encoded.heldBytes();
    if (bytes > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    this.entries.set(key, {
      stamp: made.stamp,
      touchedAt: this.now(),
      expiresAt: made.expiresAt,
      bytes,
      encoded: made.encoded,
      lastModified: made.lastModified,
      okBase: { ...kept, vary: 'Accept-Encoding' },
      notModifiedBase,
      representations: {},
      notModifiedHeaders: {},
    });
    this.bytes += bytes;
    this.stored += 1;
    this.evictOverBudget();
  }

  /** Least recently used entries go until the memo is within both bounds. */
  private evictOverBudget(): void {
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(oldKey, oldEntry);
    }
  }

  private remove(key: string, entry: MemoEntry): void {
    if (this.entries.delete(key)) this.bytes -= entry.bytes;
  }

  private negotiate(acceptEncoding: string | undefined): FeedContentCoding {
    if (acceptEncoding === undefined) return 'identity';
    let coding = this.negotiated.get(acceptEncoding);
    if (coding === undefined) {
      coding = negotiateContentCoding(acceptEncoding);
      if (this.negotiated.size >= MAX_NEGOTIATIONS) this.negotiated.clear();
      this.negotiated.set(acceptEncoding, coding);
    }
    return coding;
  }
}

function notModifiedHeaders(entry: MemoEntry, coding: FeedContentCoding): OutgoingHttpHeaders {
  let headers = entry.notModifiedHeaders[coding];
  if (headers === undefined) {
    headers = { ...entry.notModifiedBase, etag: entry.encoded.etag(coding) };
    entry.notModifiedHeaders[coding] = headers;
  }
  return headers;
}

function memoKey(host: string | undefined, url: string): string {
  return `${host ?? ''} ${url}`;
}

/** Strong ETags for a captured page: a hash of its bytes, so an unchanged page keeps its tag across versions. */
function pageEtags(body: Buffer): Record<FeedContentCoding, string> {
  const digest = createHash('sha256').update(body).digest('hex');
  const etags = {} as Record<FeedContentCoding, string>;
  for (const coding of FEED_CONTENT_CODINGS) {
    const suffix = coding === 'identity' ? '' : `-${coding}`;
    etags[coding] = `"p${digest.slice(0, 20)}${suffix}"`;
  }
  return etags;
}

/** The server's request listener: the memo answers what it can, Express the rest. */
export function withHotPath(memo: ResponseMemo, app: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method;
    if ((method === 'GET' || method === 'HEAD') && memo.serve(req, res)) return;
    app(req, res);
  };
}
