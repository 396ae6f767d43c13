/**
 * The media type of a published lead image, from its URL's file extension. RSS enclosures must say
 * their type and Atom enclosure links should; a URL without a known extension gets none, and RSS
 * and Atom then publish it as Media RSS (media-rss.ts) rather than state a wrong type.
 */
const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

export function imageMediaType(url: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const dot = pathname.lastIndexOf('.');
  if (dot < 0 || dot < pathname.lastIndexOf('/')) return null;
  return TYPES_BY_EXTENSION[pathname.slice(dot + 1).toLowerCase()] ?? null;
}
