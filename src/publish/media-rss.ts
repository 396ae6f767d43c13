/**
 * Media RSS (http://search.yahoo.com/mrss/) for lead images whose media type is unknown: an image
 * CDN URL such as https://img.example/resize?id=88&w=1200 has no file extension, and RSS
 * enclosures must state a type (Atom ones should). `<media:content url medium="image">` needs
 * none: medium="image" says what it is (Miniflux maps it to image/* in RSS and Atom entries alike;
 * our own parser reads it back), and Media RSS is what most image-carrying feeds already use.
 */

export const MEDIA_RSS_NAMESPACE = 'http://search.yahoo.com/mrss/';

/** An attribute value for markup written by hand or through xml-js (which only escapes `"`). */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The xml-js object for `<media:content url="…" medium="image"/>`, as a `feed` item extension. */
export function mediaImageExtension(url: string): { name: string; objects: { _attributes: Record<string, string> } } {
  return { name: 'media:content', objects: { _attributes: { url: escapeAttribute(url), medium: 'image' } } };
}

/** `<media:content url="…" medium="image"/>` as markup. */
export function mediaImageElement(url: string): string {
  return `<media:content url="${escapeAttribute(url)}" medium="image"/>`;
}

/**
 * `xml` with the media prefix declared on its root element `<root …>`, the first element of
 * `feed`'s output after the XML declaration.
 */
export function declareMediaNamespace(xml: string, root: 'rss' | 'feed'): string {
  const opening = `<${root} `;
  const at = xml.indexOf(opening);
  if (at < 0) return xml;
  return `${xml.slice(0, at)}${opening}xmlns:media="${MEDIA_RSS_NAMESPACE}" ${xml.slice(at + opening.length)}`;
}
