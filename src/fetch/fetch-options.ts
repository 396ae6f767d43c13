/** Limits and identity for fetching one feed document. */
export interface FetchOptions {
  /** Overall deadline for the whole fetch (all redirect hops, headers and body), not an idle timeout. */
  timeoutMs: number;
  /** Cap on the decoded (decompressed) body size in bytes. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Allow loopback/private/link-local targets; only for trusted, local deployments and tests. */
  allowPrivateNetworks: boolean;
  /** `host` or `host:port` entries that are always allowed (fetch.allowedHosts in the config). */
  allowedHosts: string[];
  /**
   * Exact URLs allowed even on a private address: set per feed, only for a configured demo feed and
   * only to that feed's own URL on this service's origin, so no redirect can ride on the exception.
   */
  allowedUrls?: readonly string[];
}

export const DEFAULT_FETCH_OPTIONS: Readonly<FetchOptions> = Object.freeze({
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'genai-media-feeds/0.1 (+feed aggregator; RSS/Atom reader)',
  allowPrivateNetworks: false,
  allowedHosts: [],
  allowedUrls: [],
});
