/**
 * What caches may do with public responses, in one place.
 *
 * `max-age` is how long a browser, feed reader, CDN or nginx may reuse a response without asking;
 * `stale-while-revalidate` lets a shared cache keep answering from its copy for that much longer while
 * it fetches the new one in the background, so a burst of readers costs this service one request.
 * Revalidation is cheap here (strong ETags, 304 from the response memo), so the ages stay short enough
 * that a new story shows within minutes.
 */

/** /feeds/...: readers poll every 15-60 minutes; five minutes of reuse loses them nothing. */
export const FEED_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=3600';

/** The index and story pages: people expect the newest stories within a minute. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

/**
 * /digests/:date: an issue does not change by itself, but an operator can rebuild or remove it
 * (`digest --rebuild`, `digest-remove`). Caches keep it as long as the digest feed that links to it,
 * then revalidate: the page's ETag is a hash of its bytes, so that costs a 304 until the issue changes.
 */
export const DIGEST_PAGE_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=3600';

/** /health is for operators and monitors: never reused downstream, but memoized here for a moment. */
export const HEALTH_CACHE_CONTROL = 'no-store';
export const HEALTH_MEMO_TTL_MS = 1_000;

/** Paths whose public GET responses the response memo may keep (response-memo.ts). */
export function isMemoizablePath(path: string): boolean {
  return (
    path === '/' ||
    path === '/health' ||
    path.startsWith('/feeds/') ||
    path.startsWith('/stories/') ||
    path.startsWith('/digests/')
  );
}
