/**
 * A faster stand-in for the xml2js parse inside rss-parser, building the object tree xml2js builds
 * with rss-parser's options (see xml-tree-builder.ts) but without xml2js's per-node bookkeeping
 * (property deletes, defineProperty, event emitters). Plain documents, nearly every feed, are read
 * by the scanner in simple-xml.ts; everything it declines is read by the same sax parser xml2js
 * uses, in the same strict mode.
 *
 * It only answers for well-formed documents it can build exactly. For anything else (a sax error,
 * element names xml2js treats specially) it returns null and the caller falls back to xml2js itself,
 * so error results and messages stay xml2js's own.
 */
import sax from 'sax';
import { readSimpleXml, UNCLOSED_ROOT } from './simple-xml';
import { isSpecialName, XmlTreeBuilder, type XmlTree } from './xml-tree-builder';

export type { XmlTree } from './xml-tree-builder';

function hasOwnKeys(record: Record<string, string>): boolean {
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  return false;
}

const TEXT_STATE = sax.STATE.TEXT;

/** Thrown from a sax handler once the outcome is known: xml2js reads nothing after it either. */
const OUTCOME_KNOWN = Symbol('outcome known');

/** The character each XML-predefined reference stands for (sax decodes these to the same). */
const XML_REFERENCES: ReadonlyMap<string, string> = new Map([
  ['lt;', '<'],
  ['gt;', '>'],
  ['amp;', '&'],
  ['quot;', '"'],
  ['apos;', "'"],
]);

/**
 * Start of the text run holding the '&' at `amp`: just after the nearest '>' before it, when no
 * '<' comes between. -1 when there is none at or after `floor` (the scan never goes below it, so
 * that successive runs are scanned once in all).
 */
function textRunStart(xml: string, amp: number, floor: number): number {
  for (let i = amp - 1; i >= floor; i--) {
    const code = xml.charCodeAt(i);
    if (code === 0x3e /* > */) return i + 1;
    if (code === 0x3c /* < */) return -1;
  }
  return -1;
}

/** xml[start, end) with its references decoded, or null if it has any but the five XML-predefined ones. */
function decodeXmlReferences(xml: string, start: number, end: number): string | null {
  const parts: string[] = [];
  let copiedUpTo = start;
  for (let amp = xml.indexOf('&', start); amp >= 0 && amp < end; amp = xml.indexOf('&', copiedUpTo)) {
    // The five references end within five characters; a search without that bound would read the
    // rest of the document again for each '&' of runs that have no ';'.
    const offset = xml.slice(amp + 1, Math.min(end, amp + 6)).indexOf(';');
    if (offset < 0) return null;
    const semicolon = amp + 1 + offset;
    const character = XML_REFERENCES.get(xml.slice(amp + 1, semicolon + 1));
    if (character === undefined) return null;
    parts.push(xml.slice(copiedUpTo, amp), character);
    copiedUpTo = semicolon + 1;
  }
  parts.push(xml.slice(copiedUpTo, end));
  return parts.join('');
}

/**
 * The xml2js tree of `xml` (as `new xml2js.Parser().parseString` would give it), or null when
 * this builder cannot vouch for an identical result and xml2js must parse it instead.
 */
export function parseXmlTree(xml: string): XmlTree | null {
  const result = readXmlTree(xml);
  return result instanceof Error ? null : result;
}

/**
 * parseXmlTree, or for a document that certainly fails in xml2js because its root never closes
 * (a body cut off in transit), the error xml2js would report, without the two slower passes
 * (sax, then xml2js) that would only end in that same error.
 */
export function readXmlTree(xml: string): XmlTree | Error | null {
  // xml2js strips a byte-order mark and answers null for blank input; leave both to it.
  if (xml.charCodeAt(0) === 0xfeff || xml.includes('__proto__') || !/\S/.test(xml)) return null;
  // Plain documents, nearly every feed, are read by the scanner; sax reads whatever it declines.
  const scanned = readSimpleXml(xml);
  if (scanned === UNCLOSED_ROOT) return unclosedRootError(xml);
  return scanned ?? parseXmlTreeWithSax(xml);
}

/**
 * The error sax reports (and xml2js passes on) at the end of a document whose root is still open,
 * worded as sax words it: its line counter counts '\n', its column the code units after the last
 * one, and the current character is empty once the input is exhausted.
 */
function unclosedRootError(xml: string): Error {
  let line = 0;
  let lastNewline = -1;
  for (let i = xml.indexOf('\n'); i >= 0; i = xml.indexOf('\n', i + 1)) {
    line++;
    lastNewline = i;
  }
  return new Error(`Unclosed root tag\nLine: ${line}\nColumn: ${xml.length - lastNewline - 1}\nChar: `);
}

/** parseXmlTree through sax, for any document. */
export function parseXmlTreeWithSax(xml: string): XmlTree | null {
  // Line/column tracking only feeds error messages, and on any error xml2js parses again anyway.
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: false });
  const builder = new XmlTreeBuilder();
  let usable = true;

  parser.onopentag = (tag) => {
    if (isSpecialName(tag.name)) {
      usable = false;
      throw OUTCOME_KNOWN;
    }
    builder.open(tag.name, hasOwnKeys(tag.attributes) ? tag.attributes : null);
  };
  parser.onclosetag = () => {
    // The root is complete: xml2js reports the document here and ignores whatever follows.
    if (builder.close()) throw OUTCOME_KNOWN;
  };
  parser.ontext = (text) => builder.text(text);
  parser.oncdata = (text) => builder.cdata(text);
  parser.onerror = () => {
    // The first error fails the document in xml2js (errors after the root closed are never reached).
    usable = false;
    throw OUTCOME_KNOWN;
  };

  try {
    // Character references in element text are the slowest thing sax reads (one state change per
    // character). Runs of text whose only references are the five XML ones are decoded here instead,
    // when sax, having read everything before the run, says it is reading element text.
    let written = 0;
    let searchFrom = 0;
    for (let amp = xml.indexOf('&'); amp >= 0; amp = xml.indexOf('&', searchFrom)) {
      const runEnd = xml.indexOf('<', amp);
      if (runEnd < 0) break;
      searchFrom = runEnd;
      const runStart = textRunStart(xml, amp, written);
      if (runStart < 0) continue;
      const decoded = decodeXmlReferences(xml, runStart, runEnd);
      if (decoded === null) continue;
      parser.write(xml.slice(written, runStart));
      written = runStart;
      if (parser.state === TEXT_STATE && parser.textNode === '' && builder.depth > 0) {
        builder.text(decoded);
        written = runEnd;
      }
    }
    parser.write(xml.slice(written)).close();
  } catch (thrown) {
    // Anything but the handlers' own signal is unexpected: xml2js gets the last word.
    if (thrown !== OUTCOME_KNOWN) return null;
  }
  return usable ? builder.result : null;
}
