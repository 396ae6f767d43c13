/**
 * A faster stand-in for the xml2js parse inside rss-parser: the same sax parser in the same strict
 * mode, building the object tree xml2js builds with rss-parser's options (xml2js defaults: `_` for
 * text, `$` for attributes, every child in an array, the root wrapped in an object), but without
 * xml2js's per-node bookkeeping (property deletes, defineProperty, event emitters).
 *
 * It only answers for well-formed documents it can build exactly. For anything else (a sax error,
 * element names xml2js treats specially) it returns null and the caller falls back to xml2js itself,
 * so error results and messages stay xml2js's own.
 */
import sax from 'sax';

export type XmlTree = Record<string, unknown>;

/** What xml2js builds for one element: its text, or an object with `_`, `$` and child arrays. */
type XmlValue = string | Record<string, unknown>;

interface OpenElement {
  name: string;
  attributes: Record<string, string> | null;
  text: string;
  /** xml2js keeps the text of an element that had a CDATA section even when it is only whitespace. */
  hadCdata: boolean;
  /** Child values by element name, in order of first appearance. */
  children: Record<string, XmlValue[]> | null;
}

const WHITESPACE_ONLY = /^\s*$/;

/**
 * Element names whose xml2js handling collides with its own keys or with Object.prototype
 * (`_`, `$`, `cdata`, `constructor`, `__proto__`...): rare enough to leave to xml2js.
 */
function isSpecialName(name: string): boolean {
  return name === '_' || name === '$' || name === 'cdata' || name in Object.prototype;
}

function hasOwnKeys(record: Record<string, string>): boolean {
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  return false;
}

/** The value xml2js gives a closed element (its onclosetag, with the default options). */
function elementValue(element: OpenElement): XmlValue {
  const keepText = element.hadCdata || !WHITESPACE_ONLY.test(element.text);
  if (element.attributes === null && element.children === null) return element.text;
  const value: Record<string, unknown> = {};
  if (keepText) value._ = element.text;
  if (element.attributes !== null) value.$ = element.attributes;
  if (element.children !== null) Object.assign(value, element.children);
  return value;
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
    const semicolon = xml.indexOf(';', amp + 1);
    if (semicolon < 0 || semicolon >= end || semicolon - amp > 5) return null;
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
  // xml2js strips a byte-order mark and answers null for blank input; leave both to it.
  if (xml.charCodeAt(0) === 0xfeff || xml.includes('__proto__') || !/\S/.test(xml)) return null;

  // Line/column tracking only feeds error messages, and on any error xml2js parses again anyway.
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: false });
  const stack: OpenElement[] = [];
  let result: XmlTree | null = null;
  let usable = true;

  parser.onopentag = (tag) => {
    if (isSpecialName(tag.name)) {
      usable = false;
      throw OUTCOME_KNOWN;
    }
    stack.push({
      name: tag.name,
      attributes: hasOwnKeys(tag.attributes) ? tag.attributes : null,
      text: '',
      hadCdata: false,
      children: null,
    });
  };
  parser.onclosetag = () => {
    const element = stack.pop() as OpenElement;
    const value = elementValue(element);
    const parent = stack[stack.length - 1];
    if (!parent) {
      // The root is complete: xml2js reports the document here and ignores whatever follows.
      result = { [element.name]: value };
      throw OUTCOME_KNOWN;
    }
    if (parent.children === null) parent.children = {};
    const siblings = parent.children[element.name];
    if (siblings) siblings.push(value);
    else parent.children[element.name] = [value];
  };
  parser.ontext = (text) => {
    const element = stack[stack.length - 1];
    if (element) element.text += text;
  };
  parser.oncdata = (text) => {
    const element = stack[stack.length - 1];
    if (element) {
      element.text += text;
      element.hadCdata = true;
    }
  };
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
      const element = stack[stack.length - 1];
      if (parser.state === TEXT_STATE && parser.textNode === '' && element) {
        element.text += decoded;
        written = runEnd;
      }
    }
    parser.write(xml.slice(written)).close();
  } catch (thrown) {
    // Anything but the handlers' own signal is unexpected: xml2js gets the last word.
    if (thrown !== OUTCOME_KNOWN) return null;
  }
  return usable ? result : null;
}
