/**
 * TF-IDF cosine similarity between one text and a pool of texts.
 *
 * IDF is computed over the pool plus the target (so "similar" means "shares words that are rare in this
 * pool", e.g. a model name, not "video", which every video story mentions):
 *   idf(t) = ln(N / df(t))        N = pool size + 1, df = texts containing t
 *   w(t, d) = (1 + ln tf(t, d)) × idf(t)
 *   similarity = cosine of the two weight vectors, in [0, 1]
 * A term found in every text has idf 0 and never counts.
 */

export interface TermDocument {
  id: number;
  terms: readonly string[];
}

type Vector = Map<string, number>;

function termFrequencies(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function weigh(frequencies: Map<string, number>, idf: Map<string, number>): { vector: Vector; norm: number } {
  const vector: Vector = new Map();
  let squares = 0;
  for (const [term, count] of frequencies) {
    const weight = (1 + Math.log(count)) * (idf.get(term) ?? 0);
    if (weight === 0) continue;
    vector.set(term, weight);
    squares += weight * weight;
  }
  return { vector, norm: Math.sqrt(squares) };
}

/** Cosine similarity of `target` to each pool document, by document id. */
export function tfidfSimilarities(target: readonly string[], pool: readonly TermDocument[]): Map<number, number> {
  const targetFrequencies = termFrequencies(target);
  const poolFrequencies = pool.map((document) => ({ id: document.id, frequencies: termFrequencies(document.terms) }));

  const documentFrequency = new Map<string, number>();
  for (const frequencies of [targetFrequencies, ...poolFrequencies.map((entry) => entry.frequencies)]) {
    for (const term of frequencies.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const documentCount = pool.length + 1;
  const idf = new Map<string, number>();
  for (const [term, df] of documentFrequency) idf.set(term, Math.log(documentCount / df));

  const targetVector = weigh(targetFrequencies, idf);
  const similarities = new Map<number, number>();
  for (const { id, frequencies } of poolFrequencies) {
    const candidate = weigh(frequencies, idf);
    if (targetVector.norm === 0 || candidate.norm === 0) {
      similarities.set(id, 0);
      continue;
    }
    // Iterate the smaller vector: titles+summaries are short, but the pool can hold long ones.
    const [small, large] =
      targetVector.vector.size <= candidate.vector.size
        ? [targetVector.vector, candidate.vector]
        : [candidate.vector, targetVector.vector];
    let dot = 0;
    for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
    similarities.set(id, dot / (targetVector.norm * candidate.norm));
  }
  return similarities;
}

/**
 * The same similarities for a target that is itself one of the pool's documents, with everything that
 * depends only on the pool computed once: then the pool plus the target is the pool, so IDF and every
 * document's weights are fixed, and a query is one sparse dot product per document. Gives exactly what
 * tfidfSimilarities(target's terms, the other documents) gives.
 */
export class TfidfPoolIndex {
  private readonly weighted = new Map<number, { vector: Vector; norm: number }>();
  private readonly order: number[] = [];

  constructor(pool: readonly TermDocument[]) {
    const frequencies = pool.map((document) => ({ id: document.id, frequencies: termFrequencies(document.terms) }));
    const documentFrequency = new Map<string, number>();
    for (const entry of frequencies) {
      for (const term of entry.frequencies.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    const idf = new Map<string, number>();
    for (const [term, df] of documentFrequency) idf.set(term, Math.log(pool.length / df));
    for (const { id, frequencies: counts } of frequencies) {
      this.weighted.set(id, weigh(counts, idf));
      this.order.push(id);
    }
  }

  has(id: number): boolean {
    return this.weighted.has(id);
  }

  /** Cosine similarity of pool document `targetId` to every other pool document, by id. */
  similaritiesOf(targetId: number): Map<number, number> {
    const target = this.weighted.get(targetId);
    if (target === undefined) throw new RangeError(`document ${targetId} is not in the pool`);
    const similarities = new Map<number, number>();
    for (const id of this.order) {
      if (id === targetId) continue;
      const candidate = this.weighted.get(id)!;
      if (target.norm === 0 || candidate.norm === 0) {
        similarities.set(id, 0);
        continue;
      }
      const [small, large] =
        target.vector.size <= candidate.vector.size ? [target.vector, candidate.vector] : [candidate.vector, target.vector];
      let dot = 0;
      for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
      similarities.set(id, dot / (target.norm * candidate.norm));
    }
    return similarities;
  }
}
