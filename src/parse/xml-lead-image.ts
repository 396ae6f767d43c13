/**
 * The lead image of an RSS / RDF / Atom item, from the xml2js-shaped values rss-parser hands over.
 * Candidates in the order feed readers trust them: Media RSS (media:content, media:thumbnail,
 * media:group), an image enclosure, an Atom link rel="enclosure" with an image type, and last the
 * first <img> of the item's HTML. Each URL resolves against the item's base refined by its own
 * element's xml:base (and a media:group's).
 */
import { absoluteImageUrl, firstImageInHtml, isImageReference } from './lead-image';
import { resolveBase } from './xml-base';

/** One of an item's HTML bodies, with the base its relative URLs resolve against. */
export interface HtmlBody {
  html: unknown;
  base: string;
}

/** The item fields (rss-parser custom fields, see parse-feed.ts) that can carry an image. */
export interface XmlImageFields {
  mediaContents?: unknown;
  mediaThumbnails?: unknown;
  mediaGroup?: unknown;
  enclosureElements?: unknown;
  linkElements?: unknown;
}

type Attributes = Record<string, string | undefined>;

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function attributesOf(value: unknown): Attributes {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const attributes = (value as { $?: unknown }).$;
    if (attributes && typeof attributes === 'object') return attributes as Attributes;
  }
  return {};
}

/** The element's URL attribute resolved against `base` and the element's own xml:base. */
function elementUrl(attributes: Attributes, name: 'url' | 'href', base: string): string | null {
  return absoluteImageUrl(attributes[name], resolveBase(attributes['xml:base'], base));
}

/** The widest image among media:content elements (the first when none gives a width). */
function bestMediaContent(elements: unknown[], base: string): string | null {
  let best: { url: string; width: number } | null = null;
  for (const element of elements) {
    const attributes = attributesOf(element);
    const url = elementUrl(attributes, 'url', base);
    if (!url || !isImageReference(url, attributes.type, attributes.medium)) continue;
    const width = Number.parseInt(attributes.width ?? '', 10);
    const score = Number.isFinite(width) ? width : 0;
    if (best === null || score > best.width) best = { url, width: score };
  }
  return best?.url ?? null;
}

function firstThumbnail(elements: unknown[], base: string): string | null {
  for (const element of elements) {
    const url = elementUrl(attributesOf(element), 'url', base);
    if (url) return url;
  }
  return null;
}

function mediaImage(fields: XmlImageFields, base: string): string | null {
  const direct = bestMediaContent(asArray(fields.mediaContents), base) ?? firstThumbnail(asArray(fields.mediaThumbnails), base);
  if (direct) return direct;
  for (const group of asArray(fields.mediaGroup)) {
    if (!group || typeof group !== 'object') continue;
    const members = group as { 'media:content'?: unknown; 'media:thumbnail'?: unknown };
    const groupBase = resolveBase(attributesOf(group)['xml:base'], base);
    const url =
      bestMediaContent(asArray(members['media:content']), groupBase) ??
      firstThumbnail(asArray(members['media:thumbnail']), groupBase);
    if (url) return url;
  }
  return null;
}

function enclosureImage(fields: XmlImageFields, base: string): string | null {
  for (const element of asArray(fields.enclosureElements)) {
    const attributes = attributesOf(element);
    const url = elementUrl(attributes, 'url', base);
    if (url && isImageReference(url, attributes.type)) return url;
  }
  return null;
}

function atomEnclosureImage(fields: XmlImageFields, base: string): string | null {
  for (const element of asArray(fields.linkElements)) {
    const attributes = attributesOf(element);
    if (attributes.rel?.trim().toLowerCase() !== 'enclosure') continue;
    const url = elementUrl(attributes, 'href', base);
    if (url && isImageReference(url, attributes.type)) return url;
  }
  return null;
}

/** The item's lead image URL, or null. `bodies` are its HTML bodies, the preferred one first; `base` the item's. */
export function xmlLeadImage(fields: XmlImageFields, bodies: readonly HtmlBody[], base: string): string | null {
  const declared = mediaImage(fields, base) ?? enclosureImage(fields, base) ?? atomEnclosureImage(fields, base);
  if (declared) return declared;
  for (const { html, base: bodyBase } of bodies) {
    if (typeof html !== 'string' || !html.includes('<')) continue;
    const url = firstImageInHtml(html, bodyBase);
    if (url) return url;
  }
  return null;
}
