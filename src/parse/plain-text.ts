import { compile } from 'html-to-text';
import { simpleHtmlToText } from './simple-html-text';

/** Media, embeds, scripts, forms and rules: none of them is text a reader should see in a summary. */
const SKIPPED_ELEMENTS = [
  'img', 'picture', 'video', 'audio', 'iframe', 'svg', 'object', 'embed',
  'script', 'style', 'noscript', 'form', 'hr',
];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Feed HTML is untrusted: nothing of it survives but its text, and no URL of a link or image. */
const htmlFragmentToText = compile({
  wordwrap: false,
  preserveNewlines: false,
  limits: { maxInputLength: 100_000, maxDepth: 64, maxChildNodes: 2_000, ellipsis: '…' },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    ...SKIPPED_ELEMENTS.map((selector) => ({ selector, format: 'skip' })),
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', options: { uppercaseHeaderCells: false } },
    { selector: 'ul', options: { itemPrefix: ' ' } },
  ],
});

/**
 * A skipped element that is not void in HTML, written self-closed as XHTML does (`<video …/>`):
 * HTML parsing ignores the '/', so the element would stay open and take every later word with it.
 * The attribute run stops at '<' and '>', so each match scans one tag.
 */
const SELF_CLOSED_SKIPPED = /<(video|audio|iframe|svg|object|picture|script|style|noscript|form)(\s[^<>]*)?\/>/gi;

/** `html` with self-closed skipped elements closed the HTML way; `html` itself when it has none. */
function closeSelfClosedSkipped(html: string): string {
  if (!html.includes('/>')) return html;
  return html.replace(SELF_CLOSED_SKIPPED, (_, name: string, attributes: string | undefined) => `<${name}${attributes ?? ''}></${name}>`);
}

/** Longest HTML input worth converting; only the first few hundred characters of text are kept. */
const MAX_HTML_INPUT = 40_000;

/**
 * Whitespace runs that need rewriting to one space: two or more characters, or a single one that is
 * not a plain space. Single spaces, most of the whitespace in ordinary text, are left where they are.
 */
const WHITESPACE_TO_COLLAPSE = /[\s\u00A0\u200B\uFEFF]{2,}|[^\S ]|\u200B/g;

/** Every run of whitespace (including no-break and zero-width spaces) becomes one space; ends trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
}

/**
 * Plain text from an HTML fragment (or from text with entities): tags dropped, entities decoded, whitespace collapsed.
 * Text without markup skips HTML parsing, and simple fragments (the usual feed summary) are read in one
 * pass; both give exactly what the full converter gives, which handles everything else.
 */
export function htmlToPlainText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  const input = closeSelfClosedSkipped(html.slice(0, MAX_HTML_INPUT));
  return collapseWhitespace(simpleHtmlToText(input) ?? htmlFragmentToText(input));
}

/** htmlToPlainText without the shortcuts: always the full html-to-text conversion. The reference the shortcuts must match. */
export function htmlToPlainTextByConverter(html: string): string {
  return collapseWhitespace(htmlFragmentToText(closeSelfClosedSkipped(html.slice(0, MAX_HTML_INPUT))));
}

/** Cuts text to at most maxChars, on a word boundary when one is near, ending with an ellipsis. */
export function truncateOnWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = text.slice(0, maxChars - 1);
  // Never leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace >= maxChars * 0.6) cut = cut.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.\-–—]+$/, '')}…`;
}
