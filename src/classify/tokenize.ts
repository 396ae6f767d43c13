/**
 * Turns a title or summary into classifier terms: lowercased words split the way natural's
 * WordTokenizer splits them, stop words and bare numbers dropped, Porter-stemmed, plus bigrams of
 * neighbouring kept words ("text-to-video" -> "text video", "Stable Diffusion" -> "stabl diffus").
 *
 * Training also needs a readable form of each term for editors ("generated" rather than
 * "gener"), so `analyzeWithSurfaces` returns the lowercased text span each term came from.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';

export interface TokenizerOptions {
  /** Emit a term for each pair of neighbouring kept words. */
  bigrams: boolean;
}

export interface AnalyzedText {
  /** Stems and "stem stem" bigrams, in text order. */
  terms: string[];
  /** For each term, the lowercased text it came from (same length as `terms`). */
  surfaces: string[];
}

/** The separator between the two stems of a bigram term; never produced by the word tokenizer. */
export const BIGRAM_SEPARATOR = ' ';

const STOP_WORDS: ReadonlySet<string> = new Set(naturalStopWords);
const DIGITS_ONLY = /^[0-9_]+$/;
/** Bigram surfaces longer than this are spans across punctuation soup; show the stems' words instead. */
const MAX_BIGRAM_SURFACE_LENGTH = 40;
/**
 * Porter stemming dominates classification time (~2 µs a word), and news text repeats
 * words, so each tokenizer memoizes stems. The cap bounds memory on adversarial input.
 */
const MAX_CACHED_STEMS = 50_000;

function isKeptWord(word: string): boolean {
  return word.length > 1 && !STOP_WORDS.has(word) && !DIGITS_ONLY.test(word);
}

/** The code units natural's WordTokenizer keeps: it splits on /[^A-Za-zА-Яа-я0-9_]+/ (no flags). */
function isWordCodeUnit(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    code === 0x5f || // _
    (code >= 0x410 && code <= 0x44f) // А-Я and а-я, which are adjacent
  );
}

/**
 * Yields the words natural's WordTokenizer would return, in order, with their offsets.
 *
 * WordTokenizer splits on runs of non-word code units and then drops empty strings, so its
 * tokens are exactly the maximal runs of word code units. Scanning for those runs gives the
 * same words without split's array, the filter's second array and a regex call (they cost
 * ~6 of ~20 µs per classified item). It was checked against natural 8.1.1's tokenizer on the
 * corpus, the benchmark fixture feeds and fuzzed mixed-script strings. A scanner is reused,
 * so it allocates nothing but the words themselves.
 */
export class WordScanner {
  private text = '';
  private position = 0;
  /** Offset in the text of the word `next` last returned. */
  start = 0;

  reset(text: string): void {
    this.text = text;
    this.position = 0;
    this.start = 0;
  }

  /** The next word, or null at the end of the text. */
  next(): string | null {
    const text = this.text;
    const length = text.length;
    let position = this.position;
    while (position < length && !isWordCodeUnit(text.charCodeAt(position))) position += 1;
    if (position === length) {
      this.position = position;
      return null;
    }
    const start = position;
    while (position < length && isWordCodeUnit(text.charCodeAt(position))) position += 1;
    this.position = position;
    this.start = start;
    return text.slice(start, position);
  }
}

export class TextTokenizer {
  readonly options: TokenizerOptions;
  private readonly scanner = new WordScanner();
  private readonly stemCache = new Map<string, string>();

  constructor(options: TokenizerOptions) {
    this.options = options;
  }

  /** Terms only; the hot path used by classification. */
  terms(text: string): string[] {
    const scanner = this.scanner;
    scanner.reset(text.toLowerCase());
    const terms: string[] = [];
    let previousStem: string | null = null;
    for (let word = scanner.next(); word !== null; word = scanner.next()) {
      if (!isKeptWord(word)) continue;
      const stem = this.stem(word);
      terms.push(stem);
      if (this.options.bigrams && previousStem !== null) {
        terms.push(previousStem + BIGRAM_SEPARATOR + stem);
      }
      previousStem = stem;
    }
    return terms;
  }

  /** Terms plus the text each came from; used at training time to build readable term names. */
  analyzeWithSurfaces(text: string): AnalyzedText {
    const lowered = text.toLowerCase();
    const scanner = this.scanner;
    scanner.reset(lowered);
    const terms: string[] = [];
    const surfaces: string[] = [];
    let previous: { stem: string; word: string; start: number } | null = null;
    for (let word = scanner.next(); word !== null; word = scanner.next()) {
      const start = scanner.start;
      const end = start + word.length;
      if (!isKeptWord(word)) continue;
      const stem = this.stem(word);
      terms.push(stem);
      surfaces.push(word);
      if (this.options.bigrams && previous !== null) {
        terms.push(previous.stem + BIGRAM_SEPARATOR + stem);
        const span = lowered.slice(previous.start, end);
        const readableSpan = span.length > 0 && span.length <= MAX_BIGRAM_SURFACE_LENGTH && !/[.,;:!?]\s/.test(span);
        surfaces.push(readableSpan ? span.replace(/\s+/g, ' ') : `${previous.word} ${word}`);
      }
      previous = { stem, word, start };
    }
    return { terms, surfaces };
  }

  /** The stem of a lowercased word, or null when the word is not a term (stop word, number, one letter). */
  keptStem(word: string): string | null {
    return isKeptWord(word) ? this.stem(word) : null;
  }

  private stem(word: string): string {
    const cached = this.stemCache.get(word);
    if (cached !== undefined) return cached;
    const stem = PorterStemmer.stem(word);
    if (this.stemCache.size < MAX_CACHED_STEMS) this.stemCache.set(word, stem);
    return stem;
  }
}
