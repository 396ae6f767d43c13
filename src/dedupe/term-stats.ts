/**
 * Vocabulary and document frequencies for same-event matching: terms become small integer ids
 * (vectors are sorted id lists, compared by merge), and a term's weight is its rarity (IDF) across
 * a background corpus plus every item seen so far, so "Ideogram" outweighs "model" on its own.
 *
 * Words, names, figures and versions share one id space but each kind has its own table, so
 * "veo" the word and "veo" the name are different terms without building prefixed strings for
 * every lookup (this runs for every term of every ingested item).
 */
import { stemWord, type Stem } from './event-terms';

export class TermStats {
  private readonly words = new Map<string, number>();
  private readonly names = new Map<string, number>();
  private readonly figures = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  private nextId = 0;
  private documentFrequency = new Int32Array(1024);
  /** For a name's id: the id of its word as text vectors spell it (stemmed), or -1 for a two-word name. */
  private nameWord = new Int32Array(1024);
  /** The document that last counted each id, so a term repeated in a document counts once. */
  private countedIn = new Int32Array(1024);
  /** Each id's IDF as last computed, and the document count (plus one) it was computed at. */
  private idfValue = new Float64Array(1024);
  private idfAt = new Int32Array(1024);
  private documents = 0;
  /** Words seen written in lower case mid-sentence: ordinary words, not names. */
  private readonly lowercase = new Set<string>();
  private static readonly MAX_LOWERCASE_WORDS = 200_000;

  /**
   * Makes this (new, empty) instance count exactly what `source` counts, leaving `source` as it
   * is: the background corpus is counted once per process and copied for each window.
   */
  copyFrom(source: TermStats): this {
    if (this.nextId !== 0 || this.documents !== 0) throw new Error('TermStats.copyFrom needs an empty instance');
    for (const [mine, theirs] of [
      [this.words, source.words],
      [this.names, source.names],
      [this.figures, source.figures],
      [this.versions, source.versions],
    ] as const) {
      for (const [term, id] of theirs) mine.set(term, id);
    }
    this.nextId = source.nextId;
    this.documents = source.documents;
    this.documentFrequency = source.documentFrequency.slice();
    this.nameWord = source.nameWord.slice();
    this.countedIn = source.countedIn.slice();
    this.idfValue = new Float64Array(source.idfValue.length);
    this.idfAt = new Int32Array(source.idfAt.length);
    for (const word of source.lowercase) this.lowercase.add(word);
    return this;
  }

  /** The id of a (stemmed) word, assigning one if it is new. */
  wordId(word: string): number {
    return this.words.get(word) ?? this.assign(this.words, word);
  }

  /** The id of a stem (as wordId), remembered on the stem for this vocabulary. */
  stemId(stem: Stem): number {
    if (stem.vocabulary === this) return stem.id;
    const id = this.wordId(stem.text);
    stem.vocabulary = this;
    stem.id = id;
    return id;
  }

  /** The id of a name ("ideogram", "stable diffusion"). */
  nameId(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) {
      const word = name.includes(' ') ? -1 : this.wordId(stemWord(name));
      id = this.assign(this.names, name);
      this.nameWord[id] = word;
    }
    return id;
  }

  /** The id of a normalized figure ("$40m", "1080p"). */
  figureId(figure: string): number {
    return this.figures.get(figure) ?? this.assign(this.figures, figure);
  }

  /** The id of a versioned name ("veo 3"). */
  versionId(version: string): number {
    return this.versions.get(version) ?? this.assign(this.versions, version);
  }

  /** The word id a name is spelled with in text vectors, or -1 (see nameWord). */
  wordOfName(nameId: number): number {
    return this.nameWord[nameId];
  }

  private assign(table: Map<string, number>, term: string): number {
    const id = this.nextId;
    this.nextId += 1;
    table.set(term, id);
    if (id >= this.documentFrequency.length) {
      this.documentFrequency = grow(this.documentFrequency);
      this.nameWord = grow(this.nameWord);
      this.countedIn = grow(this.countedIn);
      this.idfAt = grow(this.idfAt);
      const values = new Float64Array(this.idfValue.length * 2);
      values.set(this.idfValue);
      this.idfValue = values;
    }
    return id;
  }

  /** Starts counting one more document: call countTerm for each of its term ids (repeats count once). */
  beginDocument(): void {
    this.documents += 1;
  }

  countTerm(id: number): void {
    if (this.countedIn[id] === this.documents) return;
    this.countedIn[id] = this.documents;
    this.documentFrequency[id] += 1;
    this.idfAt[id] = 0;
  }

  noteLowercase(words: readonly string[]): void {
    if (this.lowercase.size >= TermStats.MAX_LOWERCASE_WORDS) return;
    for (const word of words) this.lowercase.add(word);
  }

  isOrdinaryWord = (word: string): boolean => this.lowercase.has(word);

  /** Smoothed inverse document frequency: 1 for a term in every document, ~ln(N) for a new one. */
  idf(id: number): number {
    if (id >= this.documentFrequency.length) return Math.log(this.documents + 1) + 1;
    // Matching a report asks for the same words' rarity dozens of times before the next arrives.
    if (this.idfAt[id] === this.documents + 1) return this.idfValue[id];
    const value = Math.log((this.documents + 1) / (this.documentFrequency[id] + 1)) + 1;
    this.idfValue[id] = value;
    this.idfAt[id] = this.documents + 1;
    return value;
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
