/**
 * Makes a feed document safe and digestible for a strict XML parser, or says why it cannot be.
 * Runs before rss-parser (xml2js/sax) sees the text. Every pass here is linear in the document size
 * (indexOf-driven scans, no nested or overlapping quantifiers) because the input is hostile by default.
 */
import { NextOccurrence } from './next-occurrence';

export type PreparedXml =
  | { ok: true; xml: string; rootElement: string }
  | { ok: false; error: { code: 'malformed' | 'not-a-feed' | 'empty'; message: string } };

// Characters outside the XML 1.0 Char production; with the u flag, lone surrogates are outside it too.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/**
 * A cheap pre-check for the above: any illegal character, or any surrogate (which may or may not be
 * part of a pair). Documents without either, the usual case, skip the slower Unicode-aware replace.
 */
const MAYBE_ILLEGAL_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

/** One character reference or a bare '&', at a given position (sticky). */
const ENTITY_REFERENCE = /&(?:#x([0-9a-fA-F]{1,8});|#([0-9]{1,10});|([A-Za-z][A-Za-z0-9._-]{0,40});)?/y;

const XML_PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf', 'rdf']);

/** The XML 1.0 Char production: what a character reference may denote, and what sax accepts. */
export function isLegalXmlCodePoint(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Where the root element starts and what it is called, after the declaration, comments, PIs and DOCTYPE. */
function findRootElement(xml: string): { name: string; index: number } | null {
  let i = 0;
  while (i < xml.length) {
    const code = xml.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      i++;
      continue;
    }
    if (xml[i] !== '<') return null;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (xml.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      let depth = 0;
      let j = i + 9;
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (c === '[') depth++;
        else if (c === ']') depth = Math.max(0, depth - 1);
        else if (c === '>' && depth === 0) break;
      }
      i = j + 1;
    } else {
      const name = xml.slice(i + 1, i + 200).match(/^[A-Za-z_][\w.:-]*/);
      return name ? { name: name[0], index: i } : null;
    }
  }
  return null;
}

/**
 * Applies `transform` to the text outside CDATA sections and comments, whose content is literal.
 * Returns `xml` itself when `transform` changed nothing (it returns its argument then), the usual
 * case, rather than a copy of the document.
 */
function mapOutsideLiteralSections(xml: string, transform: (text: string) => string): string {
  const parts: string[] = [];
  let changed = false;
  const transformed = (text: string): string => {
    const result = transform(text);
    if (result !== text) changed = true;
    return result;
  };
  let position = 0;
  // A document with many CDATA sections and no comments (or the reverse) is scanned once, not once per section.
  const cdataOpeners = new NextOccurrence(xml, '<![CDATA[');
  const commentOpeners = new NextOccurrence(xml, '<!--');
  while (position < xml.length) {
    const cdata = cdataOpeners.at(position);
    const comment = commentOpeners.at(position);
    const start = cdata < 0 ? comment : comment < 0 ? cdata : Math.min(cdata, comment);
    if (start < 0) break;
    const terminator = start === cdata ? ']]>' : '-->';
    const end = xml.indexOf(terminator, start + 4);
    parts.push(transformed(xml.slice(position, start)));
    if (end < 0) {
      // Unterminated: the parser will report the document as malformed; leave the rest untouched.
      parts.push(xml.slice(start));
      return changed ? parts.join('') : xml;
    }
    parts.push(xml.slice(start, end + terminator.length));
    position = end + terminator.length;
  }
  parts.push(transformed(xml.slice(position)));
  return changed ? parts.join('') : xml;
}

/**
 * Feeds routinely contain HTML entities (&nbsp; &hellip;) and bare ampersands ("AT&T") outside CDATA,
 * which a strict XML parser rejects outright. Unknown references become literal text (&amp;name;);
 * the text cleaner decodes HTML entities afterwards, so "&hellip;" still ends up as "…".
 * Numeric references to characters XML forbids (&#0;) are dropped, since sax would otherwise throw.
 */
function repairEntityReferences(text: string): string {
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  const parts: string[] = [];
  let copiedUpTo = 0;
  while (amp >= 0) {
    // The XML-predefined references, by far the most common, need no regular expression.
    const predefinedLength = predefinedReferenceLength(text, amp);
    if (predefinedLength > 0) {
      amp = text.indexOf('&', amp + predefinedLength);
      continue;
    }
    ENTITY_REFERENCE.lastIndex = amp;
    const [match, hex, decimal, name] = ENTITY_REFERENCE.exec(text) as RegExpExecArray;
    let replacement: string;
    if (hex !== undefined || decimal !== undefined) {
      const codePoint = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal as string, 10);
      replacement = isLegalXmlCodePoint(codePoint) ? match : '';
    } else if (name !== undefined) {
      replacement = XML_PREDEFINED_ENTITIES.has(name) ? match : `&amp;${name};`;
    } else {
      replacement = '&amp;';
    }
    if (replacement !== match) {
      parts.push(text.slice(copiedUpTo, amp), replacement);
      copiedUpTo = amp + match.length;
    }
    amp = text.indexOf('&', amp + match.length);
  }
  if (copiedUpTo === 0) return text;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/** Length of an &amp; &lt; &gt; or &quot; reference at `amp`, or 0. */
function predefinedReferenceLength(text: string, amp: number): number {
  const next = text.charCodeAt(amp + 1);
  if (next === 0x6c /* l */ || next === 0x67 /* g */) return text.startsWith('t;', amp + 2) ? 4 : 0;
  if (next === 0x61 /* a */) return text.startsWith('mp;', amp + 2) ? 5 : 0;
  if (next === 0x71 /* q */) return text.startsWith('uot;', amp + 2) ? 6 : 0;
  return 0;
}

const TEXT_CONSTRUCT_OPENING = /<((?:[A-Za-z_][\w.-]*:)?(?:title|summary|content|description|encoded))(\s[^>]*)?>/g;

/**
 * xml2js keeps an element's text and its child elements apart, so markup inside a text construct
 * (Atom type="xhtml", or raw HTML inside an RSS <description>) comes back with its words reordered.
 * Escaping such inner markup turns it into an HTML string, which the text cleaner reads in order.
 */
function escapeMarkupInTextConstructs(xml: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  TEXT_CONSTRUCT_OPENING.lastIndex = 0;
  for (let opening = TEXT_CONSTRUCT_OPENING.exec(xml); opening; opening = TEXT_CONSTRUCT_OPENING.exec(xml)) {
    if (opening[0].endsWith('/>')) continue;
    const tag = opening[1];
    const innerStart = opening.index + opening[0].length;
    const close = xml.indexOf(`</${tag}`, innerStart);
    // Unclosed: the document is malformed and the parser will say so; stop rather than rescan.
    if (close < 0) break;
    const inner = xml.slice(innerStart, close);
    if (inner.includes('<') && !inner.includes('<![CDATA[')) {
      parts.push(xml.slice(copiedUpTo, innerStart));
      parts.push(inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      copiedUpTo = close;
    }
    TEXT_CONSTRUCT_OPENING.lastIndex = close;
  }
  parts.push(xml.slice(copiedUpTo));
  return parts.join('');
}

const ATOM_DATE_ELEMENT = /<((?:[A-Za-z_][\w.-]*:)?(?:published|updated))(\s[^>]*)?>(?:<!\[CDATA\[([^\]<]*)\]\]>|([^<]*))<\/\1\s*>/g;

/**
 * rss-parser turns an Atom <published>/<updated> into an ISO string with Date#toISOString, which
 * throws on an unparseable date and makes it reject the whole document. Such dates are emptied so
 * the one entry falls back to the fetch time instead.
 */
function blankUnparseableAtomDates(xml: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  ATOM_DATE_ELEMENT.lastIndex = 0;
  for (let element = ATOM_DATE_ELEMENT.exec(xml); element; element = ATOM_DATE_ELEMENT.exec(xml)) {
    const [match, tag, attributes, cdata, text] = element;
    const value = (cdata ?? text ?? '').trim();
    if (!Number.isNaN(new Date(value).getTime())) continue;
    parts.push(xml.slice(copiedUpTo, element.index), `<${tag}${attributes ?? ''}></${tag}>`);
    copiedUpTo = element.index + match.length;
  }
  // Only documents with a broken date are copied.
  if (copiedUpTo === 0) return xml;
  parts.push(xml.slice(copiedUpTo));
  return parts.join('');
}

export function prepareFeedXml(raw: string): PreparedXml {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  // Same test as text.trim() === '' (\s is trim's whitespace), without copying the document.
  if (!/\S/.test(text)) return { ok: false, error: { code: 'empty', message: 'The feed document is empty' } };

  const root = findRootElement(text);
  // Entity declarations serve no purpose in a feed and are the vehicle for billion-laughs expansion
  // and XXE (external entities reading local files), so they are refused rather than parsed.
  const prolog = root ? text.slice(0, root.index) : text.slice(0, 64 * 1024);
  if (/<!ENTITY/i.test(prolog)) {
    return {
      ok: false,
      error: { code: 'malformed', message: 'Refused: the DOCTYPE declares entities (entity expansion / XXE is not allowed in feeds)' },
    };
  }
  if (!root) {
    return { ok: false, error: { code: 'not-a-feed', message: 'The document is not XML (no root element found)' } };
  }
  const rootLower = root.name.toLowerCase();
  if (!FEED_ROOTS.has(rootLower) && !rootLower.endsWith(':rdf')) {
    return { ok: false, error: { code: 'not-a-feed', message: `The document's root element is <${root.name}>, not an RSS, RDF or Atom feed` } };
  }

  const legalText = MAYBE_ILLEGAL_XML_CHAR.test(text) ? text.replace(ILLEGAL_XML_CHARS, '') : text;
  let xml = mapOutsideLiteralSections(legalText, repairEntityReferences);
  xml = escapeMarkupInTextConstructs(xml);
  if (rootLower === 'feed') xml = blankUnparseableAtomDates(xml);
  return { ok: true, xml, rootElement: root.name };
}
