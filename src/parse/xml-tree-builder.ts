/**
 * Builds the object tree xml2js builds with rss-parser's options (xml2js defaults: `_` for text,
 * `$` for attributes, every child in an array, the root wrapped in an object) from a stream of
 * parse events. Both readers in xml-tree.ts (sax, and the scanner for plain documents in
 * simple-xml.ts) feed it, so the two cannot disagree on the tree, only on the events.
 */

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
 * Object.prototype has no prototype of its own, so its own keys are exactly the names `in` would
 * find there; the own-key lookup is the cheaper of the two.
 */
export function isSpecialName(name: string): boolean {
  return name === '_' || name === '$' || name === 'cdata' || Object.hasOwn(Object.prototype, name);
}

/** The value xml2js gives a closed element (its onclosetag, with the default options). */
function elementValue(element: OpenElement): XmlValue {
  if (element.attributes === null && element.children === null) return element.text;
  const value: Record<string, unknown> = {};
  if (element.hadCdata || !WHITESPACE_ONLY.test(element.text)) value._ = element.text;
  if (element.attributes !== null) value.$ = element.attributes;
  if (element.children !== null) Object.assign(value, element.children);
  return value;
}

export class XmlTreeBuilder {
  private readonly stack: OpenElement[] = [];
  /** The document's tree, set when its root element closes (xml2js reads nothing after that). */
  result: XmlTree | null = null;

  /** How many elements are open. */
  get depth(): number {
    return this.stack.length;
  }

  /** Name of the innermost open element; only called while one is open. */
  get currentName(): string {
    return this.stack[this.stack.length - 1].name;
  }

  /** `attributes` null means none; the builder keeps the object, so it must not be reused. */
  open(name: string, attributes: Record<string, string> | null): void {
    this.stack.push({ name, attributes, text: '', hadCdata: false, children: null });
  }

  /** Text (references already decoded) of the innermost open element; ignored outside the root. */
  text(text: string): void {
    const element = this.stack[this.stack.length - 1];
    if (element) element.text += text;
  }

  /** A CDATA section's content; sax reports only non-empty ones, and so must every caller. */
  cdata(text: string): void {
    const element = this.stack[this.stack.length - 1];
    if (element) {
      element.text += text;
      element.hadCdata = true;
    }
  }

  /** Closes the innermost element; true when that was the root and `result` is set. */
  close(): boolean {
    const element = this.stack.pop() as OpenElement;
    const value = elementValue(element);
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.result = { [element.name]: value };
      return true;
    }
    if (parent.children === null) parent.children = {};
    const siblings = parent.children[element.name];
    if (siblings) siblings.push(value);
    else parent.children[element.name] = [value];
    return false;
  }
}
