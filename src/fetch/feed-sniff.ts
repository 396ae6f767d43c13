/**
 * True when a decoded body is an HTML page rather than a feed: a site's home page, a login wall,
 * a CDN error page or a "this domain is for sale" page served with 200 OK.
 * Judged by what the document starts with once the XML prolog (declaration, comments, processing
 * instructions) is skipped, so HTML quoted inside a feed's CDATA never counts.
 */
export function looksLikeHtmlPage(text: string): boolean {
  let rest = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  for (;;) {
    const trimmed = rest.trimStart();
    const prolog = trimmed.match(/^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/);
    if (!prolog) {
      rest = trimmed;
      break;
    }
    rest = trimmed.slice(prolog[0].length);
  }
  return /^(<!doctype\s+html[\s>]|<html[\s>])/i.test(rest);
}
