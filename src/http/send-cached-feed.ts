/**
 * The response half of every published feed route (/feeds/:category.:format, /feeds/digest.:format):
 * content-coding negotiation, conditional GET and the cached bytes.
 *
 * Order of work, cheapest first: negotiate the coding -> look up the cache entry for the current
 * version -> answer 304 if the client holds any current representation -> send the cached bytes ->
 * only on a miss render -> compress into the coding asked for (once per entry and coding). A cache hit
 * writes prepared Buffers with res.writeHead/res.end: no string encoding, no compression, no hashing,
 * and no Express res.send (which would re-check freshness and could compute an ETag of its own).
 */
import type { Request, Response } from 'express';
import { evaluateConditional } from '../publish/etag';
import { FEED_CACHE_CONTROL } from './cache-policy';
import type { ResponseMemoLocals } from './response-memo';
import {
  encodeFeed,
  FEED_CONTENT_CODINGS,
  type EncodedFeed,
  type FeedCache,
  type FeedCacheKey,
  type FeedContentCoding,
} from '../publish/feed-cache';


export interface CachedFeedSource {
  /** Selects the cache entry; must include the current publication version. */
  key: FeedCacheKey;
  /** Media type with charset, e.g. `application/rss+xml; charset=utf-8`. */
  contentType: string;
  /** HTTP-date of the last change (publish/etag.ts httpDate), or null when unknown. */
  lastModified: string | null;
  /** Every coding's strong ETag for this key; only called when the cache has no entry. */
  etags: () => Record<FeedContentCoding, string>;
  /** The feed document; only called on a cache miss that is not answered with 304. */
  render: () => string;
}

export function sendCachedFeed(req: Request, res: Response, cache: FeedCache<EncodedFeed>, source: CachedFeedSource): void {
  const coding = negotiateContentCoding(req.headers['accept-encoding']);
  let entry = cache.get(source.key);
  // On a miss the tags are computed before rendering, so a current client still costs no render.
  const etagsByCoding = entry === undefined ? source.etags() : null;
  const currentEtags = entry?.etags ?? FEED_CONTENT_CODINGS.map((c) => etagsByCoding![c]);

  const headers: Record<string, string | number> = {
    'Cache-Control': FEED_CACHE_CONTROL,
    // Public data; lets browser-based readers fetch the JSON Feed directly.
    'Access-Control-Allow-Origin': '*',
    // The bytes depend on Accept-Encoding: shared caches must key on it (also on 304, RFC 9110 §15.4.5).
    Vary: 'Accept-Encoding',
  };
  if (source.lastModified !== null) headers['Last-Modified'] = source.lastModified;

  const conditional = evaluateConditional(
    { ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] },
    { etags: currentEtags, lastModified: source.lastModified },
  );
  if (conditional.notModified) {
    // Name the representation the client holds, so its cache refreshes that stored response.
    headers.ETag = conditional.matchedEtag ?? entry?.etag(coding) ?? etagsByCoding![coding];
    res.writeHead(304, headers);
    res.end();
    return;
  }

  if (entry === undefined) {
    entry = encodeFeed(source.render(), etagsByCoding!);
    cache.set(source.key, entry);
  }
  // The response memo keeps this body (its other codings are made when a client asks for them).
  (res.locals as ResponseMemoLocals).encodedRepresentations = entry;
  // Only the coding this client takes is compressed now (a deep page is often asked for once).
  const representation = entry.representation(coding);
  headers['Content-Type'] = source.contentType;
  headers['Content-Length'] = representation.body.length;
  headers.ETag = representation.etag;
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  res.writeHead(200, headers);
  // Node drops a HEAD body by itself; not handing it over says so and skips the copy.
  if (req.method === 'HEAD') res.end();
  else res.end(representation.body);
}

/**
 * Picks the coding to send from an Accept-Encoding value (RFC 9110 §12.5.3): the highest q among the
 * codings we keep, ties going to the smaller body (br, then gzip, then identity). Without the header,
 * or with an empty one, identity. `x-gzip` means gzip. `identity` is acceptable unless excluded by
 * `identity;q=0`, or by `*;q=0` without its own entry. Elements with a malformed q are ignored rather
 * than guessed at. When the client excludes everything we have, the header is disregarded and identity
 * sent (RFC 9110 allows that instead of a 406, and a feed reader is better served by a readable body).
 */
export function negotiateContentCoding(acceptEncoding: string | undefined): FeedContentCoding {
  if (acceptEncoding === undefined) return 'identity';
  const listed: Partial<Record<FeedContentCoding | '*', number>> = {};
  for (const element of acceptEncoding.split(',')) {
    const parts = element.split(';');
    const name = parts[0].trim().toLowerCase();
    if (name === '') continue;
    const quality = qualityOf(parts);
    if (quality === null) continue;
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (coding === '*' || isKeptCoding(coding)) {
      // A coding listed twice keeps its best weight.
      listed[coding] = Math.max(quality, listed[coding] ?? 0);
    }
  }
  const star = listed['*'];
  let best: FeedContentCoding = 'identity';
  let bestQuality = 0;
  for (const coding of FEED_CONTENT_CODINGS) {
    const quality = listed[coding] ?? star ?? (coding === 'identity' ? 1 : 0);
    if (quality > bestQuality) {
      best = coding;
      bestQuality = quality;
    }
  }
  return best;
}

function isKeptCoding(name: string): name is FeedContentCoding {
  return (FEED_CONTENT_CODINGS as readonly string[]).includes(name);
}

/** RFC 9110 qvalue: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;

/** The q parameter of one Accept-Encoding element (1 when absent), or null when it is malformed. */
function qualityOf(parts: string[]): number | null {
  for (let i = 1; i < parts.length; i++) {
    const equals = parts[i].indexOf('=');
    if (equals < 0 || parts[i].slice(0, equals).trim().toLowerCase() !== 'q') continue;
    const value = parts[i].slice(equals + 1).trim();
    return QVALUE.test(value) ? Number(value) : null;
  }
  return 1;
}
