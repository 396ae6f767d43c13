import normalizeUrl, { type Options as NormalizeUrlOptions } from 'normalize-url';

/**
 * Query parameters that identify a campaign or a click, never the article itself.
 * Two links that differ only in these point to the same story.
 */
const TRACKING_PARAMETERS: RegExp[] = [
  /^utm_\w+$/i,
  /^mc_(cid|eid)$/i,
  /^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mkt_tok)$/i,
  /^(ref|ref_src|ref_url|source|cmpid|ncid|sr_share|_hsenc|_hsmi|vero_id|oly_anon_id|oly_enc_id)$/i,
];

/** Built once: normalize-url copies its options and never changes the parameter list. */
const NORMALIZE_OPTIONS: Readonly<NormalizeUrlOptions> = Object.freeze({
  stripHash: true,
  stripWWW: false,
  removeTrailingSlash: true,
  removeSingleSlash: true,
  sortQueryParameters: true,
  removeQueryParameters: TRACKING_PARAMETERS,
  stripTextFragment: true,
});

function isTrackingParameter(name: string): boolean {
  return TRACKING_PARAMETERS.some((pattern) => pattern.test(name));
}

/** `href` without its query, when the query holds only tracking parameters; null otherwise. */
function withoutTrackingOnlyQuery(url: URL, href: string): string | null {
  let keys = 0;
  for (const key of url.searchParams.keys()) {
    if (!isTrackingParameter(key)) return null;
    keys++;
  }
  return keys > 0 ? href.slice(0, href.indexOf('?')) : null;
}

/**
 * What normalize-url returns for this URL, computed without it for the common shape where every
 * one of its steps is a no-op: no credentials, fragment or '#', no query or one made only of
 * tracking parameters, a path without '%' (which it would decode) or '//' (which it would merge),
 * no trailing slash but the root's, no trailing dot on the host. normalize-url spends most of its
 * time re-parsing and re-serializing the URL through setters that change nothing for such URLs.
 * null means the URL has some other shape and normalize-url must decide.
 * Tested against canonicalizeUrlByLibrary (test/dedupe.test.ts).
 */
function canonicalHrefShortcut(url: URL): string | null {
  let href = url.href;
  if (url.username !== '' || url.password !== '' || href.includes('#')) return null;
  if (href.includes('?')) {
    const stripped = withoutTrackingOnlyQuery(url, href);
    if (stripped === null) return null;
    href = stripped;
  }
  const path = url.pathname;
  if (path.includes('%') || path.includes('//') || url.hostname.endsWith('.')) return null;
  if (path === '/') return href.slice(0, -1);
  return path.endsWith('/') ? null : href;
}

function parseHttpUrl(raw: string | null | undefined, base: string | undefined): URL | null {
  if (!raw) return null;
  let absolute: URL;
  try {
    absolute = base ? new URL(raw.trim(), base) : new URL(raw.trim());
  } catch {
    return null;
  }
  return absolute.protocol === 'http:' || absolute.protocol === 'https:' ? absolute : null;
}

function normalizeWithLibrary(url: URL): string | null {
  try {
    return normalizeUrl(url.href, NORMALIZE_OPTIONS);
  } catch {
    return null;
  }
}

/**
 * Canonical form of an article URL, used as the dedupe key across outlets and re-fetches:
 * lower-cased scheme and host, no fragment, no tracking parameters, sorted query, no trailing
 * slash, default ports dropped. `www.` is kept because some sites serve different content without it.
 * Returns null for anything that is not an absolute http(s) URL.
 */
export function canonicalizeUrl(raw: string | null | undefined, base?: string): string | null {
  const url = parseHttpUrl(raw, base);
  return url === null ? null : canonicalizeParsedUrl(url);
}

/** canonicalizeUrl for a URL the caller has already parsed (the parse stage has), saving a second parse. */
export function canonicalizeParsedUrl(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return canonicalHrefShortcut(url) ?? normalizeWithLibrary(url);
}

/** canonicalizeUrl without the shortcut: always through normalize-url. The reference the shortcut must match. */
export function canonicalizeUrlByLibrary(raw: string | null | undefined, base?: string): string | null {
  const url = parseHttpUrl(raw, base);
  return url === null ? null : normalizeWithLibrary(url);
}
