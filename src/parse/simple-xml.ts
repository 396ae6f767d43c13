/**
 * Reads the plain XML nearly every feed is made of, without sax: ASCII element and attribute
 * names, quoted attribute values, text and CDATA, comments, and processing instructions before
 * the root element. It feeds the same tree builder as the sax reader in xml-tree.ts, with the events
 * sax would emit for such a document, so both give the same tree.
 *
 * Everything outside that subset makes it return null, and sax reads the document instead: a
 * DOCTYPE, names with other characters, whitespace sax would accept in odd places (`< a>`, `</ a>`),
 * unquoted or duplicate attributes, references other than the five XML ones and numeric ones,
 * anything sax reports as an error (mismatched or unclosed tags, text outside the root, malformed
 * comments), and element or attribute names xml2js treats specially. Declining is always safe;
 * accepting is only done where sax would read the same events without an error (checked against
 * xml2js, on edited documents too, in test/parse.test.ts).
 *
 * sax spends most of its time on per-character state changes and string appends; this reads
 * with indexOf and slices, which is several times faster on feed documents.
 * One left-to-right pass, no backtracking: linear in the document size.
 */
import { NextOccurrence } from './next-occurrence';
import { isLegalXmlCodePoint } from './prepare-xml';
import { isSpecialName, XmlTreeBuilder, type XmlTree } from './xml-tree-builder';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const HASH = 0x23;

/** sax's whitespace: space, tab, newline, carriage return. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The ASCII part of sax's name start characters: letters, '_' and ':'. */
function isNameStart(code: number): boolean {
  return isAsciiLetter(code) || code === 0x5f || code === 0x3a;
}

/** The ASCII part of sax's name characters: name start characters, digits, '.' and '-'. */
function isNameChar(code: number): boolean {
  return isNameStart(code) || isDigit(code) || code === 0x2e || code === 0x2d;
}

/** End of the ASCII name starting at `start` (== start when there is none). */
function nameEnd(xml: string, start: number): number {
  if (!isNameStart(xml.charCodeAt(start))) return start;
  let end = start + 1;
  while (isNameChar(xml.charCodeAt(end))) end++;
  return end;
}

function skipWhitespace(xml: string, from: number): number {
  let i = from;
  while (isWhitespace(xml.charCodeAt(i))) i++;
  return i;
}

/**
 * The character of the reference whose body (between '&' and ';') is `body`, as sax decodes it,
 * or null when sax would decode it otherwise or fail. Numeric references are accepted the way sax
 * checks them: digits only (a leading 'x' or 'X' for hex), a non-zero value, an XML character.
 */
function referenceCharacter(body: string): string | null {
  switch (body) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
  }
  if (body.charCodeAt(0) !== HASH) return null;
  const hex = body.charCodeAt(1) === 0x78 || body.charCodeAt(1) === 0x58;
  const digits = body.slice(hex ? 2 : 1);
  // Longer digit strings (leading zeros) are fine for sax too, but not worth the care here.
  if (digits.length === 0 || digits.length > 7 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
  const codePoint = parseInt(digits, hex ? 16 : 10);
  return codePoint > 0 && isLegalXmlCodePoint(codePoint) ? String.fromCodePoint(codePoint) : null;
}

/** xml[start, end) with its references decoded, or null if one is not a reference this module decodes. */
function decodeReferences(xml: string, start: number, end: number, ampersands: NextOccurrence): string | null {
  let amp = ampersands.at(start);
  if (amp < 0 || amp >= end) return xml.slice(start, end);
  let decoded = '';
  let copiedUpTo = start;
  while (amp >= 0 && amp < end) {
    // sax reads a reference up to ';', and fails on any character a reference cannot hold.
    const semicolon = xml.indexOf(';', amp + 1);
    if (semicolon < 0 || semicolon >= end || semicolon - amp > 12) return null;
    const character = referenceCharacter(xml.slice(amp + 1, semicolon));
    if (character === null) return null;
    decoded += xml.slice(copiedUpTo, amp) + character;
    copiedUpTo = semicolon + 1;
    amp = ampersands.at(copiedUpTo);
  }
  return decoded + xml.slice(copiedUpTo, end);
}

/**
 * End (just past '-->') of the comment at `start`, or -1. sax ends a comment at the first '--'
 * after '<!--' and fails unless '>' follows it.
 */
function commentEnd(xml: string, start: number): number {
  const dashes = xml.indexOf('--', start + 4);
  return dashes >= 0 && xml.charCodeAt(dashes + 2) === GT ? dashes + 3 : -1;
}

/**
 * End (just past '?>') of the processing instruction at `start`, or -1. Only those without another
 * '?' are taken: sax's reading of '??>' differs from the first '?>'.
 */
function processingInstructionEnd(xml: string, start: number): number {
  const close = xml.indexOf('?>', start + 2);
  if (close < 0) return -1;
  return xml.indexOf('?', start + 2) === close ? close + 2 : -1;
}

/** Where the root element starts: after whitespace, comments and processing instructions only. -1 otherwise. */
function rootStart(xml: string): number {
  let i = skipWhitespace(xml, 0);
  while (xml.charCodeAt(i) === LT) {
    const next = xml.charCodeAt(i + 1);
    let end: number;
    if (next === QUESTION) end = processingInstructionEnd(xml, i);
    else if (next === BANG && xml.startsWith('<!--', i)) end = commentEnd(xml, i);
    else return isNameStart(next) ? i : -1;
    if (end < 0) return -1;
    i = skipWhitespace(xml, end);
  }
  return -1;
}

/**
 * Reads the attributes of the start tag whose name ends at `from`, up to its '>' or '/>'.
 * Returns the index just past the tag, negated when the tag closes itself, or null to decline.
 */
function readAttributes(xml: string, from: number, attributes: Record<string, string>, next: Searches): number | null {
  let i = from;
  for (;;) {
    const afterSpace = skipWhitespace(xml, i);
    const code = xml.charCodeAt(afterSpace);
    if (code === GT) return afterSpace + 1;
    if (code === SLASH) return xml.charCodeAt(afterSpace + 1) === GT ? -(afterSpace + 2) : null;
    // sax requires whitespace before each attribute.
    if (afterSpace === i) return null;
    const nameStop = nameEnd(xml, afterSpace);
    if (nameStop === afterSpace) return null;
    const name = xml.slice(afterSpace, nameStop);
    let j = skipWhitespace(xml, nameStop);
    if (xml.charCodeAt(j) !== EQUALS) return null;
    j = skipWhitespace(xml, j + 1);
    const quote = xml.charCodeAt(j);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return null;
    const close = xml.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", j + 1);
    if (close < 0) return null;
    const lt = next.lessThan.at(j + 1);
    if (lt >= 0 && lt < close) return null;
    const value = decodeReferences(xml, j + 1, close, next.ampersand);
    // sax keeps the first of duplicate attributes; names on Object.prototype trip its own checks.
    if (value === null || name in attributes) return null;
    attributes[name] = value;
    i = close + 1;
  }
}

interface Searches {
  ampersand: NextOccurrence;
  lessThan: NextOccurrence;
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _key in record) return true;
  return false;
}

/**
 * What the scanner says of a document that ends with its root still open (cut off, say). sax
 * would read up to the same end and then fail it ("Unclosed root tag"), so nobody needs to ask it.
 */
export const UNCLOSED_ROOT = Symbol('unclosed root');

/** The xml2js tree of a plain document (see the module comment), or null to leave it to sax. */
export function scanSimpleXml(xml: string): XmlTree | null {
  const result = readSimpleXml(xml);
  return result === UNCLOSED_ROOT ? null : result;
}

/** scanSimpleXml, telling apart the documents that certainly fail in sax because their root never closes. */
export function readSimpleXml(xml: string): XmlTree | null | typeof UNCLOSED_ROOT {
  const builder = new XmlTreeBuilder();
  const next: Searches = { ampersand: new NextOccurrence(xml, '&'), lessThan: new NextOccurrence(xml, '<') };
  let i = rootStart(xml);
  if (i < 0) return null;
  for (;;) {
    // Here xml[i] is '<'.
    const afterLt = xml.charCodeAt(i + 1);
    if (afterLt === SLASH) {
      const nameStart = i + 2;
      const nameStop = nameEnd(xml, nameStart);
      const current = builder.currentName;
      if (nameStop - nameStart !== current.length || !xml.startsWith(current, nameStart)) return null;
      const gt = skipWhitespace(xml, nameStop);
      if (xml.charCodeAt(gt) !== GT) return null;
      if (builder.close()) return builder.result;
      i = gt + 1;
    } else if (afterLt === BANG) {
      if (xml.startsWith('<![CDATA[', i)) {
        const close = xml.indexOf(']]>', i + 9);
        if (close < 0) return UNCLOSED_ROOT;
        if (close > i + 9) builder.cdata(xml.slice(i + 9, close));
        i = close + 3;
      } else if (xml.startsWith('<!--', i)) {
        i = commentEnd(xml, i);
        if (i < 0) return null;
      } else {
        return null;
      }
    } else {
      const nameStop = nameEnd(xml, i + 1);
      if (nameStop === i + 1) return null;
      const name = xml.slice(i + 1, nameStop);
      if (isSpecialName(name)) return null;
      const attributes: Record<string, string> = {};
      const end = readAttributes(xml, nameStop, attributes, next);
      if (end === null) return null;
      builder.open(name, hasKeys(attributes) ? attributes : null);
      if (end < 0 && builder.close()) return builder.result;
      i = Math.abs(end);
    }
    // Text up to the next tag; the root is still open, so a document ending here is unclosed.
    const lt = next.lessThan.at(i);
    if (lt < 0) return UNCLOSED_ROOT;
    if (lt > i) {
      const text = decodeReferences(xml, i, lt, next.ampersand);
      if (text === null) return null;
      builder.text(text);
    }
    i = lt;
  }
}
