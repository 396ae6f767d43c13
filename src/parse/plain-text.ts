import { compile } from 'html-to-text';

/** Feed HTML is untrusted: nothing of it survives but its text, and no URL of a link or image. */
const htmlFragmentToText = compile({
  wordwrap: false,
  preserveNewlines: false,
  limits: { maxInputLength: 100_000, maxDepth: 64, maxChildNodes: 2_000, ellipsis: '…' },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'picture', format: 'skip' },
    { selector: 'video', format: 'skip' },
    { selector: 'audio', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'embed', format: 'skip' },
    { selector: 'form', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', options: { uppercaseHeaderCells: false } },
    { selector: 'ul', options: { itemPrefix: ' ' } },
    { selector: 'hr', format: 'skip' },
  ],
});

/** Longest HTML input worth converting; only the first few hundred characters of text are kept. */
const MAX_HTML_INPUT = 40_000;

export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00A0\u200B\uFEFF]+/g, ' ').trim();
}

/** Plain text from an HTML fragment (or from text with entities): tags dropped, entities decoded, whitespace collapsed. */
export function htmlToPlainText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  return collapseWhitespace(htmlFragmentToText(html.slice(0, MAX_HTML_INPUT)));
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
