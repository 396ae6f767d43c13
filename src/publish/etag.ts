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
}

/** Strong ETag, e.g. `"v42-3f9a0c1b7d2e"`. */
export function feedEtag(representation: FeedRepresentation): string {
  const { version, format, category, limit, offset, variant = '' } = representation;
  const hash = createHash('sha256')
    .update(`${format}\n${category}\n${limit}\n${offset}\n${variant}`)
    .digest('hex')
    .slice(0, 16);
  return `"v${version}-${hash}"`;
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
  if (request.ifNoneMatch !== undefined && request.ifNoneMatch.trim() !== '') {
    return etagListMatches(request.ifNoneMatch, current.etag);
  }
  if (request.ifModifiedSince !== undefined && current.lastModified !== null) {
    const since = Date.parse(request.ifModifiedSince);
    const modified = Date.parse(current.lastModified);
    if (Number.isNaN(since) || Number.isNaN(modified)) return false;
    // HTTP dates have one-second resolution; compare at that resolution.
    return Math.floor(modified / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

function etagListMatches(headerValue: string, etag: string): boolean {
  if (headerValue.trim() === '*') return true;
  const wanted = opaqueTag(etag);
  return splitEtagList(headerValue).some((candidate) => opaqueTag(candidate) === wanted);
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
