/**
 * True when a decoded body is an HTML page rather than a feed: a site's home page, a login wall,
 * a CDN error page or a "this domain is for sale" page served with 200 OK.
 * Judged by what the document starts with once the XML prolog (declaration, comments, processing
 * instructions such as an XSL stylesheet) is skipped, so HTML quoted inside a feed's CDATA never
 * counts. An XHTML doctype or <html> wrapper around a feed element (sites that style their feed as
 * a page) is a feed: the parser reads the feed inside.
 */
const FEED_ELEMENT = /<(?:feed|rss|rdf:RDF)[\s>]/;

export function looksLikeHtmlPage(text: string): boolean {
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  let rest = head;
  for (;;) {
    const trimmed = rest.trimStart();
    const prolog = trimmed.match(/^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/);
    if (!prolog) {
      rest = trimmed;
      break;
    }
    rest = trimmed.slice(prolog[0].length);
  }
  if (!/^(<!doctype\s+html[\s>]|<html[\s>])/i.test(rest)) return false;
  return !FEED_ELEMENT.test(rest);
}
