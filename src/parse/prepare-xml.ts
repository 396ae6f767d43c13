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
 * Removes comments outside CDATA sections. A comment carries nothing a reader shows, but its text
 * ("every <item> needs a <title>") looks like markup to the passes below, which would then rewrite
 * it and break the document. Returns `xml` itself when it has no comment. An unterminated comment
 * is left in place for the parser to report.
 */
function dropComments(xml: string): string {
  const commentOpeners = new NextOccurrence(xml, '<!--');
  if (commentOpeners.at(0) < 0) return xml;
  const cdataOpeners = new NextOccurrence(xml, '<![CDATA[');
  const parts: string[] = [];
  let position = 0;
  while (position < xml.length) {
    const comment = commentOpeners.at(position);
    if (comment < 0) break;
    const cdata = cdataOpeners.at(position);
    if (cdata >= 0 && cdata < comment) {
      const cdataEnd = xml.indexOf(']]>', cdata + 9);
      if (cdataEnd < 0) break;
      parts.push(xml.slice(position, cdataEnd + 3));
      position = cdataEnd + 3;
      continue;
    }
    const end = xml.indexOf('-->', comment + 4);
    if (end < 0) break;
    parts.push(xml.slice(position, comment));
    position = end + 3;
  }
  parts.push(xml.slice(position));
  return parts.join('');
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
  // A "<title>" inside a CDATA section (HTML quoted in a description) is text, not an opening tag.
  const cdataOpeners = new NextOccurrence(xml, '<![CDATA[');
  let cdataEnd = 0;
  TEXT_CONSTRUCT_OPENING.lastIndex = 0;
  for (let opening = TEXT_CONSTRUCT_OPENING.exec(xml); opening; opening = TEXT_CONSTRUCT_OPENING.exec(xml)) {
    // Step over the CDATA sections before this opening; skip the opening if one contains it.
    for (let cdata = cdataOpeners.at(cdataEnd); cdata >= 0 && cdata < opening.index; cdata = cdataOpeners.at(cdataEnd)) {
      const end = xml.indexOf(']]>', cdata + 9);
      // Unterminated CDATA: the parser will report the document; nothing after it is markup.
      cdataEnd = end < 0 ? xml.length : end + 3;
    }
    if (opening.index < cdataEnd) {
      TEXT_CONSTRUCT_OPENING.lastIndex = cdataEnd;
      continue;
    }
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

/** The opening tag of a feed root inside another document. */
const EMBEDDED_FEED_ROOT = /<(feed|rss|rdf:RDF)[\s>]/;

/**
 * An Atom (or RSS) feed served inside an XHTML page, as some sites do to make the feed look like a
 * page in browsers: the feed element itself, or null when there is none.
 */
function embeddedFeed(text: string, from: number): string | null {
  const opening = EMBEDDED_FEED_ROOT.exec(text.slice(from, from + 64 * 1024));
  if (!opening) return null;
  const start = from + opening.index;
  const closing = `</${opening[1]}>`;
  const end = text.lastIndexOf(closing);
  return end > start ? text.slice(start, end + closing.length) : null;
}

export function prepareFeedXml(raw: string): PreparedXml {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  // Same test as text.trim() === '' (\s is trim's whitespace), without copying the document.
  if (!/\S/.test(text)) return { ok: false, error: { code: 'empty', message: 'The feed document is empty' } };

  let root = findRootElement(text);
  if (root && /^(?:[\w.-]+:)?html$/i.test(root.name)) {
    const feed = embeddedFeed(text, root.index);
    if (feed !== null) {
      text = feed;
      root = findRootElement(text);
    }
  }
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
  let xml = mapOutsideLiteralSections(dropComments(legalText), repairEntityReferences);
  xml = escapeMarkupInTextConstructs(xml);
  return { ok: true, xml, rootElement: root.name };
}
