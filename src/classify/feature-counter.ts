/**
 * Turns text into a model's TF-IDF vector without building term strings or term arrays.
 *
 * Classification used to tokenize into an array of stems (and "stem stem" bigrams), then look
 * each one up in the term index and count it in a Map. News text repeats a small vocabulary, so
 * here each distinct lowercased word is resolved once to its feature index (stop-word test,
 * Porter stem and term-index lookup all cached together) and counts go into a dense array.
 *
 * The vector is the same, bit for bit, as counting `TextTokenizer.terms`: features are counted in
 * the order the old term arrays listed them (a stem, then the bigram it ends) and come out in
 * first-seen order, which is the order the old Map iterated, so every floating-point sum adds the
 * same numbers in the same order.
 */
import type { GazetteerMatcher } from './gazetteer';
import { BIGRAM_SEPARATOR, TextTokenizer, WordScanner } from './tokenize';

/** The gazetteer's matcher and the feature index of each medium's hit (-1: no such feature). */
export interface GazetteerFeatures {
  matcher: GazetteerMatcher;
  video: number;
  image: number;
}

export interface SparseVector {
  /** Entries in use; the arrays may be longer when they are reused scratch buffers. */
  length: number;
  indices: Int32Array;
  values: Float64Array;
}

/** Word-cache value for a word that is no term at all (stop word, number, single letter). */
const NOT_A_TERM = -2;
/** Word-cache value for a term the model has no feature for. */
const NO_FEATURE = -1;
/** Bounds the word cache on adversarial input, like the tokenizer's stem cache. */
const MAX_CACHED_WORDS = 50_000;

/** Stems that begin some bigram feature, so pairs that cannot be features skip building "a b". */
function bigramFirstStems(termIndex: ReadonlyMap<string, number>): Set<string> {
  const firstStems = new Set<string>();
  for (const term of termIndex.keys()) {
    const separator = term.indexOf(BIGRAM_SEPARATOR);
    // Stems never contain the separator, so a bigram "a b" is found only under its first stem a.
    if (separator >= 0) firstStems.add(term.slice(0, separator));
  }
  return firstStems;
}

/**
 * One per model (and one per training run). Not reentrant: `add` calls for one text vector must
 * be followed by `takeVector` before the next vector starts, which synchronous callers guarantee.
 */
export class FeatureCounter {
  private readonly wordFeatures = new Map<string, number>();
  /** Null when the tokenizer emits no bigrams. */
  private readonly bigramStarts: ReadonlySet<string> | null;
  private readonly scanner = new WordScanner();
  /** Feature index -> weighted count of the current text; zero outside the `seen` entries. */
  private readonly counts: Float64Array;
  /** Features counted for the current text, in first-seen order. */
  private readonly seen: Int32Array;
  private seenCount = 0;
  private readonly scratch: SparseVector;

  constructor(
    private readonly termIndex: ReadonlyMap<string, number>,
    private readonly tokenizer: TextTokenizer,
    featureCount: number,
    private readonly gazetteer: GazetteerFeatures | null = null,
  ) {
    this.bigramStarts = tokenizer.options.bigrams ? bigramFirstStems(termIndex) : null;
    this.counts = new Float64Array(featureCount);
    this.seen = new Int32Array(featureCount);
    this.scratch = { length: 0, indices: new Int32Array(featureCount), values: new Float64Array(featureCount) };
  }

  /** Counts each feature term of `text` `weight` times (weight > 0). */
  add(text: string, weight: number): void {
    const scanner = this.scanner;
    scanner.reset(text.toLowerCase());
    let previousStem: string | null = null;
    const gazetteer = this.gazetteer;
    gazetteer?.matcher.reset();
    for (let word = scanner.next(); word !== null; word = scanner.next()) {
      if (gazetteer !== null) {
        // Every word, stop words and numbers included: names such as "Gen 4" or "The Frost" need them.
        const medium = gazetteer.matcher.push(word);
        if (medium !== null && gazetteer[medium] >= 0) this.count(gazetteer[medium], weight);
      }
      const feature = this.featureOf(word);
      if (feature === NOT_A_TERM) continue;
      if (feature !== NO_FEATURE) this.count(feature, weight);
      if (this.bigramStarts !== null) {
        const stem = this.tokenizer.keptStem(word) as string;
        if (previousStem !== null && this.bigramStarts.has(previousStem)) {
          const bigram = this.termIndex.get(previousStem + BIGRAM_SEPARATOR + stem);
          if (bigram !== undefined) this.count(bigram, weight);
        }
        previousStem = stem;
      }
    }
  }

  /**
   * The counted features as sublinear TF (1 + ln tf) x IDF, L2-normalised, in first-seen order;
   * clears the counts for the next text. With `reuse` the vector lives in scratch buffers that
   * the next call overwrites (classification); without, it is freshly allocated (training keeps it).
   */
  takeVector(idf: Float64Array, reuse: boolean): SparseVector {
    const size = this.seenCount;
    const vector: SparseVector = reuse
      ? this.scratch
      : { length: size, indices: new Int32Array(size), values: new Float64Array(size) };
    vector.length = size;
    const { indices, values } = vector;
    let squaredNorm = 0;
    for (let position = 0; position < size; position++) {
      const index = this.seen[position];
      const value = (1 + Math.log(this.counts[index])) * idf[index];
      this.counts[index] = 0;
      indices[position] = index;
      values[position] = value;
      squaredNorm += value * value;
    }
    this.seenCount = 0;
    if (squaredNorm > 0) {
      const norm = Math.sqrt(squaredNorm);
      for (let i = 0; i < size; i++) values[i] /= norm;
    }
    return vector;
  }

  private count(feature: number, weight: number): void {
    const previous = this.counts[feature];
    // Weights are positive, so a zero count means the feature is new to this text.
    if (previous === 0) this.seen[this.seenCount++] = feature;
    this.counts[feature] = previous + weight;
  }

  private featureOf(word: string): number {
    const cached = this.wordFeatures.get(word);
    if (cached !== undefined) return cached;
    const stem = this.tokenizer.keptStem(word);
    const feature = stem === null ? NOT_A_TERM : (this.termIndex.get(stem) ?? NO_FEATURE);
    if (this.wordFeatures.size < MAX_CACHED_WORDS) this.wordFeatures.set(word, feature);
    return feature;
  }
}
