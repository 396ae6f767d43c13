import normalizeUrl from 'normalize-url';

/**
 * Query parameters that identify a campaign or a click, never the article itself.
 * Two links that differ only in these point to the same story.
 */
const TRACKING_PARAMETERS: ReadonlyArray<RegExp | string> = [
  /^utm_\w+$/i,
  /^mc_(cid|eid)$/i,
  /^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mkt_tok)$/i,
  /^(ref|ref_src|ref_url|source|cmpid|ncid|sr_share|_hsenc|_hsmi|vero_id|oly_anon_id|oly_enc_id)$/i,
];

/**
 * Canonical form of an article URL, used as the dedupe key across outlets and re-fetches:
 * lower-cased scheme and host, no fragment, no tracking parameters, sorted query, no trailing
 * slash, default ports dropped. `www.` is kept because some sites serve different content without it.
 * Returns null for anything that is not an absolute http(s) URL.
 */
export function canonicalizeUrl(raw: string | null | undefined, base?: string): string | null {
  if (!raw) return null;
  let absolute: URL;
  try {
    absolute = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return null;
  }
  if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return null;
  try {
    return normalizeUrl(absolute.href, {
      stripHash: true,
      stripWWW: false,
      removeTrailingSlash: true,
      removeSingleSlash: true,
      sortQueryParameters: true,
      removeQueryParameters: [...TRACKING_PARAMETERS],
      stripTextFragment: true,
    });
  } catch {
    return null;
  }
}
