/**
 * An item's lead image: the helpers every input format uses to turn what a feed offers into one
 * absolute http(s) URL. Which candidates a format offers, and in which order, is the format
 * adapter's business (see xml-lead-image.ts and json-feed.ts); this module only validates.
 *
 * The URL is hotlinked by readers, never fetched here, so it only has to be a well-formed
 * http(s) URL; it is attribute-escaped wherever it is written out.
 */

/** Longer URLs are almost always data stuffed into a query string; readers and caches choke on them. */
const MAX_IMAGE_URL_CHARS = 2048;
/** Only this much of an item's HTML is searched for an <img>: the lead image is near the top. */
const MAX_HTML_SEARCH = 40_000;
const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])/i;

/** `raw` resolved against `base` when it is an http(s) URL of sane length, else null. */
export function absoluteImageUrl(raw: unknown, base: string): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (!trimmed || trimmed.length > MAX_IMAGE_URL_CHARS) return null;
  try {
    const url = new URL(trimmed, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname) return null;
    return url.href.length > MAX_IMAGE_URL_CHARS ? null : url.href;
  } catch {
    return null;
  }
}

/**
 * Whether a media reference with this MIME type (and, failing that, medium or file name) is a
 * still image. `medium` is Media RSS's; `type` a MIME type as in enclosures.
 */
export function isImageReference(url: string, type: string | undefined, medium?: string): boolean {
  const mime = type?.trim().toLowerCase();
  if (mime) return mime.startsWith('image/');
  const kind = medium?.trim().toLowerCase();
  if (kind) return kind === 'image';
  return IMAGE_EXTENSION.test(url);
}

// Quoted values are bounded so that a tag with an unterminated quote cannot make each attribute rescan the rest.
const ATTRIBUTE = /[\s/]*([^\s=>/"']+)(?:\s*=\s*(?:"([^"]{0,4096})"|'([^']{0,4096})'|([^\s"'>]+)))?/y;
const IMG_OPENING = /<img[\s/>]/gi;

/** The five XML references and numeric ones: enough for the URLs of an <img> attribute. */
function decodeAttribute(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(?:#x([0-9a-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/gi, (match, hex, decimal, name) => {
    if (hex || decimal) {
      const code = parseInt(hex ?? decimal, hex ? 16 : 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[(name as string).toLowerCase()] ?? match;
  });
}

/**
 * Attributes of the tag whose name ends at `from` (lower-cased names), read up to its '>' (one
 * inside a quoted value does not end it), and the index of that '>', or -1 when the tag never closes.
 */
function readTagAttributes(html: string, from: number): { attributes: Record<string, string>; end: number } {
  const attributes: Record<string, string> = {};
  let i = from;
  while (i < html.length) {
    const code = html.charCodeAt(i);
    if (code === 0x3e /* > */) return { attributes, end: i };
    ATTRIBUTE.lastIndex = i;
    const match = ATTRIBUTE.exec(html);
    if (!match) {
      i += 1;
      continue;
    }
    const name = match[1].toLowerCase();
    if (!(name in attributes)) attributes[name] = decodeAttribute(match[2] ?? match[3] ?? match[4] ?? '');
    i = match.index + match[0].length;
    while (i < html.length && /\s/.test(html[i])) i += 1;
  }
  return { attributes, end: -1 };
}

/** A 1×1 (or 0×0) image is a tracking pixel, not a picture. */
function isTrackingPixel(attributes: Record<string, string>): boolean {
  const tiny = (value: string | undefined) => value !== undefined && /^\s*[01](?:px)?\s*$/i.test(value);
  return tiny(attributes.width) || tiny(attributes.height);
}

/**
 * The src of the first real <img> in an HTML fragment (tracking pixels skipped), resolved against
 * `base`, or null. Linear: each tag is read once up to its '>'.
 */
export function firstImageInHtml(html: string, base: string): string | null {
  const text = html.length > MAX_HTML_SEARCH ? html.slice(0, MAX_HTML_SEARCH) : html;
  IMG_OPENING.lastIndex = 0;
  for (let opening = IMG_OPENING.exec(text); opening; opening = IMG_OPENING.exec(text)) {
    const { attributes, end } = readTagAttributes(text, opening.index + 4);
    if (end < 0) return null;
    IMG_OPENING.lastIndex = end;
    if (isTrackingPixel(attributes)) continue;
    const url = absoluteImageUrl(attributes.src, base);
    if (url) return url;
  }
  return null;
}
