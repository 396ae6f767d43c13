/**
 * One item as same-event matching sees it: TF-IDF vectors of its whole text and of its headline,
 * and the ids of its names, figures and versioned names, weighted by rarity at the time it arrived.
 */
import { eventTerms, stemWord, type EventTerms } from './event-terms';
import type { TermStats } from './term-stats';

/** Term ids in increasing order with their L2-normalized weights. */
export interface SparseVector {
  ids: Int32Array;
  weights: Float32Array;
}

export interface EventDoc {
  storyId: number;
  feedId: string;
  /** Published time, epoch milliseconds. */
  time: number;
  /** Headline words counted twice, plus the summary's words. */
  text: SparseVector;
  headline: SparseVector;
  /** Ids of names ("e:"), figures ("f:") and versions ("v:"), each sorted, with the IDF of each name. */
  entities: Int32Array;
  entityIdf: Float32Array;
  /** For each name, the id of its word as the text vectors spell it (stemmed), or -1 for a two-word name. */
  entityWords: Int32Array;
  figures: Int32Array;
  /** The figures that are amounts of money ("$40m"), sorted: a different amount speaks against a match. */
  amounts: Int32Array;
  versions: string[];
  /** The "e:" id of the headline's first name (see EventTerms.subject) and its stemmed word's id; -1 when none. */
  subject: number;
  subjectWord: number;
  /** The ids an inverted index files this item under: its names, figures, versions and rarest words. */
  keys: Int32Array;
}

/** At most this many summary words (the rarest) become index keys; names, figures, versions and headline words always do. */
const MAX_BODY_KEYS = 6;

function vector(counts: Map<number, number>, stats: TermStats): SparseVector {
  const ids = Int32Array.from(counts.keys()).sort();
  const weights = new Float32Array(ids.length);
  let norm = 0;
  for (let i = 0; i < ids.length; i += 1) {
    const weight = (1 + Math.log(counts.get(ids[i])!)) * stats.idf(ids[i]);
    weights[i] = weight;
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i += 1) weights[i] /= norm;
  return { ids, weights };
}

function count(into: Map<number, number>, ids: readonly number[], times: number): void {
  for (const id of ids) into.set(id, (into.get(id) ?? 0) + times);
}

export interface EventDocInput {
  storyId: number;
  feedId: string;
  title: string;
  summary: string;
  publishedAt: string;
}

/**
 * Builds the item's vectors and, when `learn` is set, first counts it into the document
 * frequencies (every ingested item does; a lookup that only asks does not).
 */
export function buildEventDoc(input: EventDocInput, stats: TermStats, learn = true, terms?: EventTerms): EventDoc {
  const extracted = terms ?? eventTerms(input.title, input.summary, stats.isOrdinaryWord);
  if (learn) stats.noteLowercase(extracted.lowercaseWords);
  const titleIds = extracted.title.map((term) => stats.id(term));
  const bodyIds = extracted.body.map((term) => stats.id(term));
  const entityIds = extracted.entities.map((term) => stats.id(`e:${term}`));
  const figureIds = extracted.figures.map((term) => stats.id(`f:${term}`));
  const versionIds = extracted.versions.map((term) => stats.id(`v:${term}`));
  if (learn) stats.addDocument(new Set([...titleIds, ...bodyIds, ...entityIds, ...figureIds, ...versionIds]));

  const textCounts = new Map<number, number>();
  count(textCounts, titleIds, 2);
  count(textCounts, bodyIds, 1);
  const headlineCounts = new Map<number, number>();
  count(headlineCounts, titleIds, 1);

  const entities = Int32Array.from(new Set(entityIds)).sort();
  const entityIdf = Float32Array.from(entities, (id) => stats.idf(id));
  const entityWords = Int32Array.from(entities, (id) => {
    const name = stats.term(id).slice(2);
    return name.includes(' ') ? -1 : stats.id(stemWord(name));
  });
  // Words too common to find candidates with are skipped by the index (its posting-length cap),
  // so a headline word like "video" costs nothing in a busy window.
  const bodyKeys = [...new Set(bodyIds)].sort((a, b) => stats.idf(b) - stats.idf(a)).slice(0, MAX_BODY_KEYS);
  const keys = Int32Array.from(new Set([...entityIds, ...figureIds, ...versionIds, ...titleIds, ...bodyKeys]));
  const subject = extracted.subject;
  return {
    storyId: input.storyId,
    feedId: input.feedId,
    time: Date.parse(input.publishedAt),
    text: vector(textCounts, stats),
    headline: vector(headlineCounts, stats),
    entities,
    entityIdf,
    entityWords,
    figures: Int32Array.from(new Set(figureIds)).sort(),
    amounts: Int32Array.from(new Set(extracted.figures.filter((figure) => figure.startsWith('$')).map((figure) => stats.id(`f:${figure}`)))).sort(),
    versions: extracted.versions,
    subject: subject === null ? -1 : stats.id(`e:${subject}`),
    subjectWord: subject === null || subject.includes(' ') ? -1 : stats.id(stemWord(subject)),
    keys,
  };
}

export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i];
    const y = b.ids[j];
    if (x === y) {
      dot += a.weights[i] * b.weights[j];
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return dot;
}

/** Document frequencies from a background corpus, so the first items of a new store are weighted sensibly. */
export function seedTermStats(stats: TermStats, texts: Iterable<{ title: string; summary: string }>): TermStats {
  for (const text of texts) buildEventDoc({ storyId: 0, feedId: '', title: text.title, summary: text.summary, publishedAt: '1970-01-01T00:00:00Z' }, stats);
  return stats;
}
