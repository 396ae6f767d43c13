/**
 * Validators for conditional GET of published feeds.
 *
 * The ETag is derived from the publication version (bumped by storage on any change that can alter a
 * feed) plus everything else that selects the representation, so it is known *before* reading or
 * rendering anything: a matching If-None-Match is answered with 304 at the cost of one version lookup.
 */
import { createHash } from 'node:crypto';
import type { FeedCategory } from '../model';
import type { FeedFormat } from './feed-builder';
import { FEED_CONTENT_CODINGS, type FeedContentCoding } from './feed-cache';

export interface FeedRepresentation {
  version: number;
  format: FeedFormat;
  category: FeedCategory;
  limit: number;
  offset: number;
  /**
   * Anything else that changes the bytes for the same data (site base URL/title, renderer revision),
   * so a redeploy with a different configuration never revalidates stale bodies.
   */
  variant?: string;
  /**
   * Content coding of the bytes (default identity). A gzip body is a different representation from the
   * identity body and must have its own strong ETag (RFC 9110 §8.8.3), or a cache could answer a
   * range or validation for one with the other. Identity adds nothing to the hash, so identity tags are
   * the same as before compression existed and clients' stored validators stay good.
   */
  coding?: FeedContentCoding;
}

/**
 * Strong ETag, e.g. `"v42-3f9a0c1b7d2e4a61"`: the version in clear (so a log shows which publication a
 * client has), then a hash of everything else that selects the bytes. Every coding keeps this one shape,
 * `"v<version>-<16 hex>"` (the coding goes into the hash rather than a suffix), so nothing that reads
 * tags has to know about codings.
 */
export function feedEtag(representation: FeedRepresentation): string {
  const { version, format, category, limit, offset, variant = '', coding = 'identity' } = representation;
  const codingPart = coding === 'identity' ? '' : `\n${coding}`;
  const hash = createHash('sha256')
    .update(`${format}\n${category}\n${limit}\n${offset}\n${variant}${codingPart}`)
    .digest('hex')
    .slice(0, 16);
  return `"v${version}-${hash}"`;
}

/** The ETag of every content coding of one feed representation (the bytes differ, so the tags do). */
export function feedEtags(representation: Omit<FeedRepresentation, 'coding'>): Record<FeedContentCoding, string> {
  const etags = {} as Record<FeedContentCoding, string>;
  for (const coding of FEED_CONTENT_CODINGS) etags[coding] = feedEtag({ ...representation, coding });
  return etags;
}

/** HTTP-date (RFC 9110 IMF-fixdate) for Last-Modified, or null when there is no usable timestamp. */
export function httpDate(iso: string | null): string | null {
  if (iso === null) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time).toUTCString();
}

export interface ConditionalHeaders {
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

/**
 * RFC 9110 §13.2.2 evaluation for GET/HEAD: If-None-Match wins when present (weak comparison, list
 * and `*` aware); If-Modified-Since is only consulted without it. True means "answer 304".
 */
export function isNotModified(
  request: ConditionalHeaders,
  current: { etag: string; lastModified: string | null },
): boolean {
  return evaluateConditional(request, { etags: [current.etag], lastModified: current.lastModified }).notModified;
}

/**
 * `matchedEtag` is the client's tag that matched, so a 304 can name the representation the client
 * actually holds (caches update the stored response whose validator the 304 carries); null when the
 * 304 comes from `*` or If-Modified-Since.
 */
export type ConditionalOutcome = { notModified: false } | { notModified: true; matchedEtag: string | null };

/**
 * Like isNotModified, for a resource with several current representations (one per content coding):
 * a client holding any of their tags is up to date, whichever coding it asks for now.
 */
export function evaluateConditional(
  request: ConditionalHeaders,
  current: { etags: readonly string[]; lastModified: string | null },
): ConditionalOutcome {
  const { ifNoneMatch, ifModifiedSince } = request;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '') {
    // Fast path: a feed reader sends back exactly the one tag it was given.
    if (current.etags.includes(ifNoneMatch)) return { notModified: true, matchedEtag: ifNoneMatch };
    if (ifNoneMatch.trim() === '*') return { notModified: true, matchedEtag: null };
    for (const candidate of splitEtagList(ifNoneMatch)) {
      const opaque = opaqueTag(candidate);
      const matched = current.etags.find((etag) => opaqueTag(etag) === opaque);
      if (matched !== undefined) return { notModified: true, matchedEtag: matched };
    }
    return { notModified: false };
  }
  if (ifModifiedSince !== undefined && current.lastModified !== null) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(current.lastModified);
    if (Number.isNaN(since) || Number.isNaN(modified)) return { notModified: false };
    // HTTP dates have one-second resolution; compare at that resolution.
    return Math.floor(modified / 1000) <= Math.floor(since / 1000)
      ? { notModified: true, matchedEtag: null }
      : { notModified: false };
  }
  return { notModified: false };
}

/** Splits on commas outside quotes (an entity-tag may itself contain a comma). */
function splitEtagList(headerValue: string): string[] {
  const tags: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of headerValue) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      tags.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  tags.push(current.trim());
  return tags.filter((tag) => tag !== '');
}

/** Weak comparison: `W/"x"` and `"x"` are the same tag. */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}
