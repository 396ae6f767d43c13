/**
 * The lead image of an RSS / RDF / Atom item, from the xml2js-shaped values rss-parser hands over.
 * Candidates in the order feed readers trust them: Media RSS (media:content, media:thumbnail,
 * media:group), an image enclosure, an Atom link rel="enclosure" with an image type, and last the
 * first <img> of the item's HTML.
 */
import { absoluteImageUrl, firstImageInHtml, isImageReference } from './lead-image';

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

/** The widest image among media:content elements (the first when none gives a width). */
function bestMediaContent(elements: unknown[], base: string): string | null {
  let best: { url: string; width: number } | null = null;
  for (const element of elements) {
    const attributes = attributesOf(element);
    const url = absoluteImageUrl(attributes.url, base);
    if (!url || !isImageReference(url, attributes.type, attributes.medium)) continue;
    const width = Number.parseInt(attributes.width ?? '', 10);
    const score = Number.isFinite(width) ? width : 0;
    if (best === null || score > best.width) best = { url, width: score };
  }
  return best?.url ?? null;
}

function firstThumbnail(elements: unknown[], base: string): string | null {
  for (const element of elements) {
    const url = absoluteImageUrl(attributesOf(element).url, base);
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
    const url =
      bestMediaContent(asArray(members['media:content']), base) ?? firstThumbnail(asArray(members['media:thumbnail']), base);
    if (url) return url;
  }
  return null;
}

function enclosureImage(fields: XmlImageFields, base: string): string | null {
  for (const element of asArray(fields.enclosureElements)) {
    const attributes = attributesOf(element);
    const url = absoluteImageUrl(attributes.url, base);
    if (url && isImageReference(url, attributes.type)) return url;
  }
  return null;
}

function atomEnclosureImage(fields: XmlImageFields, base: string): string | null {
  for (const element of asArray(fields.linkElements)) {
    const attributes = attributesOf(element);
    if (attributes.rel?.trim().toLowerCase() !== 'enclosure') continue;
    const url = absoluteImageUrl(attributes.href, base);
    if (url && isImageReference(url, attributes.type)) return url;
  }
  return null;
}

/** The item's lead image URL, or null. `htmlSources` are its HTML bodies, the preferred one first. */
export function xmlLeadImage(fields: XmlImageFields, htmlSources: readonly unknown[], base: string): string | null {
  const declared = mediaImage(fields, base) ?? enclosureImage(fields, base) ?? atomEnclosureImage(fields, base);
  if (declared) return declared;
  for (const source of htmlSources) {
    if (typeof source !== 'string' || !source.includes('<')) continue;
    const url = firstImageInHtml(source, base);
    if (url) return url;
  }
  return null;
}
