/**
 * Vocabulary and document frequencies for same-event matching: terms become small integer ids
 * (vectors are typed arrays, compared by merge), and a term's weight is its rarity (IDF) across
 * a background corpus plus every item seen so far, so "Ideogram" outweighs "model" on its own.
 */
export class TermStats {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private documentFrequency = new Int32Array(1024);
  private documents = 0;
  /** Words seen written in lower case mid-sentence: ordinary words, not names. */
  private readonly lowercase = new Set<string>();
  private static readonly MAX_LOWERCASE_WORDS = 200_000;

  /** The id of a term, assigning one if it is new. */
  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id >= this.documentFrequency.length) {
        const grown = new Int32Array(this.documentFrequency.length * 2);
        grown.set(this.documentFrequency);
        this.documentFrequency = grown;
      }
    }
    return id;
  }

  /** The term an id stands for. */
  term(id: number): string {
    return this.terms[id] ?? '';
  }

  /** Counts one document containing each of these (distinct) term ids. */
  addDocument(distinctIds: Iterable<number>): void {
    this.documents += 1;
    for (const id of distinctIds) this.documentFrequency[id] += 1;
  }

  noteLowercase(words: readonly string[]): void {
    if (this.lowercase.size >= TermStats.MAX_LOWERCASE_WORDS) return;
    for (const word of words) this.lowercase.add(word);
  }

  isOrdinaryWord = (word: string): boolean => this.lowercase.has(word);

  /** Smoothed inverse document frequency: 1 for a term in every document, ~ln(N) for a new one. */
  idf(id: number): number {
    const df = id < this.documentFrequency.length ? this.documentFrequency[id] : 0;
    return Math.log((this.documents + 1) / (df + 1)) + 1;
  }
}
