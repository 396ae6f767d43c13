/**
 * Text of a "simple" HTML fragment without building a DOM: the common shape of feed summaries
 * (<p>, <br>, <a>, <em>, <strong>, <img> and a few well-known entities). Returns null for anything
 * outside that subset, and the caller then runs the full html-to-text converter.
 *
 * The result is meant to go through collapseWhitespace, and equals what html-to-text (with this
 * project's options) gives after the same collapse: inline tags vanish, <img> is skipped, and <p>
 * and <br> break words apart. Every construct whose html-to-text rendering is not exactly that
 * (other tags, comments, unknown or semicolon-less entities, <p> inside an inline element,
 * mis-nested closing tags, anything near html-to-text's limits) makes this return null.
 * One left-to-right pass, no backtracking: linear in the input length.
 */

/** Elements html-to-text renders with the default 'inline' format: only their text survives. */
const INLINE_ELEMENTS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var',
]);

/**
 * Named references decoded here; with a semicolon, they mean the same in every HTML decoder.
 * Anything else (including these names without ';') is left to the full converter.
 */
const NAMED_REFERENCES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['nbsp', '\u00A0'],
  ['hellip', '\u2026'], ['mdash', '\u2014'], ['ndash', '\u2013'], ['lsquo', '\u2018'], ['rsquo', '\u2019'],
  ['ldquo', '\u201C'], ['rdquo', '\u201D'], ['laquo', '\u00AB'], ['raquo', '\u00BB'], ['copy', '\u00A9'],
  ['reg', '\u00AE'], ['trade', '\u2122'], ['bull', '\u2022'], ['middot', '\u00B7'], ['euro', '\u20AC'],
  ['pound', '\u00A3'], ['eacute', '\u00E9'], ['times', '\u00D7'], ['rarr', '\u2192'], ['larr', '\u2190'],
]);

/** html-to-text's limits are maxDepth 64 and maxChildNodes 2,000; stay well inside both. */
const MAX_INLINE_DEPTH = 48;
const MAX_TAGS = 600;
const MAX_NAME_LENGTH = 12;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHtmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isAttributeNameChar(code: number): boolean {
  return isAsciiLetter(code) || isAsciiDigit(code) || code === 0x2d || code === 0x5f || code === 0x3a || code === 0x2e;
}

/** A code point every decoder returns as itself (no NUL, C1 remapping, surrogate or out-of-range fix-up). */
function isPlainCodePoint(codePoint: number): boolean {
  return (
    (codePoint >= 0x01 && codePoint <= 0x7f) ||
    (codePoint >= 0xa0 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0x10ffff)
  );
}

/** Decodes the character reference at `amp`; null when it is not one this module can decode exactly. */
function decodeReference(html: string, amp: number): { text: string; end: number } | null {
  const semicolon = html.indexOf(';', amp + 1);
  if (semicolon < 0 || semicolon - amp > 10) return null;
  const body = html.slice(amp + 1, semicolon);
  let codePoint: number;
  if (body.charCodeAt(0) === 0x23 /* # */) {
    const hex = body.charCodeAt(1) === 0x78 || body.charCodeAt(1) === 0x58;
    const digits = body.slice(hex ? 2 : 1);
    if (digits.length === 0 || digits.length > 7 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
    codePoint = parseInt(digits, hex ? 16 : 10);
    if (!isPlainCodePoint(codePoint)) return null;
    return { text: String.fromCodePoint(codePoint), end: semicolon + 1 };
  }
  const named = NAMED_REFERENCES.get(body);
  return named === undefined ? null : { text: named, end: semicolon + 1 };
}

/**
 * Appends the text in html[start, end) with its character references decoded; false when a
 * reference is not decodable exactly here. A '&' not followed by a letter or '#' is literal.
 */
function appendText(html: string, start: number, end: number, out: string[]): boolean {
  let copied = start;
  for (let amp = html.indexOf('&', start); amp >= 0 && amp < end; amp = html.indexOf('&', amp + 1)) {
    const next = html.charCodeAt(amp + 1);
    if (!(isAsciiLetter(next) || next === 0x23)) continue;
    const reference = decodeReference(html, amp);
    if (!reference || reference.end > end) return false;
    out.push(html.slice(copied, amp), reference.text);
    copied = reference.end;
    amp = reference.end - 1;
  }
  out.push(html.slice(copied, end));
  return true;
}

/**
 * Where the attributes of a start tag end (the index of its '>'), for attributes of the plain
 * form name, name=value, name="value" or name='value'; -1 for anything else.
 */
function endOfAttributes(html: string, from: number): number {
  let i = from;
  for (;;) {
    const spaceStart = i;
    while (isHtmlSpace(html.charCodeAt(i))) i++;
    const code = html.charCodeAt(i);
    if (code === 0x3e /* > */) return i;
    if (code === 0x2f /* / */) return html.charCodeAt(i + 1) === 0x3e ? i + 1 : -1;
    // Attributes must be separated from the tag name and from each other by whitespace.
    if (i === spaceStart || !(isAsciiLetter(code) || code === 0x5f || code === 0x3a)) return -1;
    while (isAttributeNameChar(html.charCodeAt(i))) i++;
    let j = i;
    while (isHtmlSpace(html.charCodeAt(j))) j++;
    if (html.charCodeAt(j) !== 0x3d /* = */) continue;
    j++;
    while (isHtmlSpace(html.charCodeAt(j))) j++;
    const quote = html.charCodeAt(j);
    if (quote === 0x22 || quote === 0x27) {
      const close = html.indexOf(quote === 0x22 ? '"' : "'", j + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else {
      const valueStart = j;
      for (let c = html.charCodeAt(j); j < html.length && !isHtmlSpace(c) && c !== 0x3e; c = html.charCodeAt(++j)) {
        if (c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3d || c === 0x60) return -1;
      }
      if (j === valueStart) return -1;
      i = j;
    }
  }
}

/**
 * The fragment's text with tags removed, character references decoded and a space wherever
 * html-to-text would break a line; null when the fragment is not simple enough to be sure.
 */
export function simpleHtmlToText(html: string): string | null {
  const out: string[] = [];
  const openInline: string[] = [];
  let tags = 0;
  let position = 0;
  for (let lt = html.indexOf('<'); lt >= 0; lt = html.indexOf('<', position)) {
    if (!appendText(html, position, lt, out)) return null;
    if (++tags > MAX_TAGS) return null;
    const closing = html.charCodeAt(lt + 1) === 0x2f;
    const nameStart = lt + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd - nameStart <= MAX_NAME_LENGTH && (isAsciiLetter(html.charCodeAt(nameEnd)) || isAsciiDigit(html.charCodeAt(nameEnd)))) nameEnd++;
    if (nameEnd === nameStart || !isAsciiLetter(html.charCodeAt(nameStart)) || nameEnd - nameStart > MAX_NAME_LENGTH) return null;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    let tagEnd: number;
    if (closing) {
      tagEnd = nameEnd;
      while (isHtmlSpace(html.charCodeAt(tagEnd))) tagEnd++;
      if (html.charCodeAt(tagEnd) !== 0x3e) return null;
    } else {
      tagEnd = endOfAttributes(html, nameEnd);
      if (tagEnd < 0) return null;
    }
    position = tagEnd + 1;

    if (name === 'p') {
      // A paragraph inside an inline element would be closed by that element's end tag.
      if (openInline.length > 0) return null;
      out.push(' ');
    } else if (name === 'br') {
      out.push(' ');
    } else if (name === 'img') {
      if (closing) return null;
    } else if (INLINE_ELEMENTS.has(name)) {
      if (closing) {
        if (openInline.pop() !== name) return null;
      } else {
        if (openInline.length >= MAX_INLINE_DEPTH) return null;
        openInline.push(name);
      }
    } else {
      return null;
    }
  }
  if (!appendText(html, position, html.length, out)) return null;
  return out.join('');
}
