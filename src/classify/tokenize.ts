/**
 * Turns a title or summary into classifier terms: lowercased words split by natural's
 * WordTokenizer, stop words and bare numbers dropped, Porter-stemmed, plus bigrams of
 * neighbouring kept words ("text-to-video" -> "text video", "Stable Diffusion" -> "stabl diffus").
 *
 * Training also needs a readable form of each term for editors ("generated" rather than
 * "gener"), so `analyzeWithSurfaces` returns the lowercased text span each term came from.
 */
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
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

export class TextTokenizer {
  readonly options: TokenizerOptions;
  private readonly wordTokenizer = new WordTokenizer();
  private readonly stemCache = new Map<string, string>();

  constructor(options: TokenizerOptions) {
    this.options = options;
  }

  /** Terms only; the hot path used by classification. */
  terms(text: string): string[] {
    const words = this.wordTokenizer.tokenize(text.toLowerCase());
    const terms: string[] = [];
    let previousStem: string | null = null;
    for (const word of words) {
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
    const words = this.wordTokenizer.tokenize(lowered);
    const terms: string[] = [];
    const surfaces: string[] = [];
    let previous: { stem: string; word: string; start: number } | null = null;
    // Tokens come out in text order, so a moving cursor finds each one's offset.
    let cursor = 0;
    for (const word of words) {
      const start = lowered.indexOf(word, cursor);
      if (start >= 0) cursor = start + word.length;
      if (!isKeptWord(word)) continue;
      const stem = this.stem(word);
      terms.push(stem);
      surfaces.push(word);
      if (this.options.bigrams && previous !== null) {
        terms.push(previous.stem + BIGRAM_SEPARATOR + stem);
        const span = start >= 0 && previous.start >= 0 ? lowered.slice(previous.start, cursor) : '';
        const readableSpan = span.length > 0 && span.length <= MAX_BIGRAM_SURFACE_LENGTH && !/[.,;:!?]\s/.test(span);
        surfaces.push(readableSpan ? span.replace(/\s+/g, ' ') : `${previous.word} ${word}`);
      }
      previous = { stem, word, start };
    }
    return { terms, surfaces };
  }

  private stem(word: string): string {
    const cached = this.stemCache.get(word);
    if (cached !== undefined) return cached;
    const stem = PorterStemmer.stem(word);
    if (this.stemCache.size < MAX_CACHED_STEMS) this.stemCache.set(word, stem);
    return stem;
  }
}
