/**
 * The part of `sax` (installed with xml2js, which rss-parser parses with) that xml-tree.ts and recover-items.ts use.
 * sax ships no type declarations.
 */
declare module 'sax' {
  export interface Tag {
    name: string;
    attributes: Record<string, string>;
    isSelfClosing: boolean;
  }

  export interface SAXOptions {
    trim?: boolean;
    normalize?: boolean;
    xmlns?: boolean;
    /** Line/column tracking, used only for error messages; on by default. */
    position?: boolean;
  }

  export interface SAXParser {
    /** The tokenizer state, one of the values of STATE. */
    state: number;
    /** Characters read so far (with `position: true`): just past the '>' inside onclosetag. */
    position: number;
    /** Text read but not yet reported through ontext. */
    textNode: string;
    onopentag: ((tag: Tag) => void) | null;
    onclosetag: ((name: string) => void) | null;
    ontext: ((text: string) => void) | null;
    oncdata: ((text: string) => void) | null;
    onerror: ((error: Error) => void) | null;
    onend: (() => void) | null;
    write(chunk: string): SAXParser;
    close(): SAXParser;
    resume(): SAXParser;
  }

  export function parser(strict: boolean, options?: SAXOptions): SAXParser;

  /** Tokenizer states by name (TEXT: between tags, inside an element or around the root). */
  export const STATE: Record<string, number>;

  const sax: { parser: typeof parser; STATE: typeof STATE };
  export default sax;
}
