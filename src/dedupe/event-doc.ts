/**
 * One item as same-event matching sees it: TF-IDF vectors of its whole text and of its headline,
 * and the ids of its names, figures and versioned names, weighted by rarity at the time it arrived.
 */
import { eventTerms, type EventTerms } from './event-terms';
import type { TermStats } from './term-stats';

/**
 * Term ids in increasing order with their L2-normalized weights (rounded to single precision).
 * Plain arrays, not typed ones: a window holds thousands of documents of a dozen short lists
 * each, and a small typed array costs two objects and a buffer (measured: ~30 MB of a 83 MB heap).
 */
export interface SparseVector {
  ids: readonly number[];
  weights: readonly number[];
}

/** Shared by every document with nothing in a list (most have no amount, many no version). */
// Not frozen: a frozen array has another hidden class, which would make every loop over these
// lists polymorphic; `readonly` keeps them unchanged.
export const NO_IDS: readonly number[] = [];
const NO_VERSION_PARTS: EventDoc['versionParts'] = [];

export interface EventDoc {
  storyId: number;
  feedId: string;
  /** Published time, epoch milliseconds. */
  time: number;
  /** Headline words counted twice, plus the summary's words. */
  text: SparseVector;
  headline: SparseVector;
  /** Ids of names and figures (see TermStats), each sorted. */
  entities: readonly number[];
  figures: readonly number[];
  /** The figures that are amounts of money ("$40m"), sorted: a different amount speaks against a match. */
  amounts: readonly number[];
  /** Ids of its versioned names ("veo 3"), sorted. */
  versions: readonly number[];
  /** Each version split into what it versions and its number: "stable diffusion 3.5" -> ["stable diffusion", "3.5"]. */
  versionParts: readonly (readonly [name: string, number: string])[];
  /** The name id of the headline's first name (see EventTerms.subject) and its stemmed word's id; -1 when none. */
  subject: number;
  subjectWord: number;
  /**
   * Only while the report is being matched (EventIndex.add drops them): the IDF of each name, the
   * id of each name's word as text vectors spell it (-1 for a two-word name), and the ids the
   * inverted index files it under (names, figures, versions, rarest words), rarest first.
   */
  entityIdf: readonly number[];
  entityWords: readonly number[];
  keys: readonly number[];
}

/** At most this many summary words (the rarest) become index keys; names, figures, versions and headline words always do. */
const MAX_BODY_KEYS = 6;

/**
 * Scratch space for building one document, indexed by term id: how often the term occurs, and
 * which build last saw it (so each array needs no clearing). Grown with the vocabulary.
 */
let termCounts = new Float64Array(4096);
let seenInBuild = new Int32Array(4096);
let buildSerial = 0;

function reserve(id: number): void {
  if (id < termCounts.length) return;
  let size = termCounts.length;
  while (size <= id) size *= 2;
  const counts = new Float64Array(size);
  counts.set(termCounts);
  termCounts = counts;
  const seen = new Int32Array(size);
  seen.set(seenInBuild);
  seenInBuild = seen;
}

/** Adds `times` occurrences of each id to the scratch counts; returns the ids first seen in this build. */
function count(ids: readonly number[], times: number, firstSeen: number[]): void {
  for (const id of ids) {
    reserve(id);
    if (seenInBuild[id] !== buildSerial) {
      seenInBuild[id] = buildSerial;
      termCounts[id] = 0;
      firstSeen.push(id);
    }
    termCounts[id] += times;
  }
}

/** The L2-normalized TF-IDF vector of the counted ids. */
function vector(distinctIds: readonly number[], stats: TermStats): SparseVector {
  const ids = sortedIds(distinctIds);
  const weights = new Array<number>(ids.length);
  let norm = 0;
  for (let i = 0; i < ids.length; i += 1) {
    const weight = Math.fround((1 + Math.log(termCounts[ids[i]])) * stats.idf(ids[i]));
    weights[i] = weight;
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i += 1) weights[i] = Math.fround(weights[i] / norm);
  return { ids, weights };
}

/*
 * A document's lists are short (a few to some dozens of ids), and Array.prototype.sort allocates a
 * work array on every call: a quarter of what matching allocated per item, all of it for the young
 * generation's collector to sweep. Insertion sort sorts them where they are.
 */

/** The ids in increasing order, as a plain array (the shared empty one when there are none). */
function sortedIds(ids: readonly number[]): readonly number[] {
  if (ids.length === 0) return NO_IDS;
  const sorted = ids.slice();
  for (let i = 1; i < sorted.length; i += 1) {
    const id = sorted[i];
    let j = i - 1;
    for (; j >= 0 && sorted[j] > id; j -= 1) sorted[j + 1] = sorted[j];
    sorted[j + 1] = id;
  }
  return sorted;
}

/** The ids ordered rarest first (by IDF now); equally rare ones keep their order. */
function rarestFirst(ids: readonly number[], stats: TermStats): number[] {
  const sorted = ids.slice();
  const rarity = new Array<number>(sorted.length);
  for (let i = 0; i < sorted.length; i += 1) {
    const id = sorted[i];
    const idf = stats.idf(id);
    let j = i - 1;
    // Strictly rarer moves ahead: equally rare ids stay in order (a stable sort).
    for (; j >= 0 && rarity[j] < idf; j -= 1) {
      sorted[j + 1] = sorted[j];
      rarity[j + 1] = rarity[j];
    }
    sorted[j + 1] = id;
    rarity[j + 1] = idf;
  }
  return sorted;
}

export interface EventDocInput {
  storyId: number;
  feedId: string;
  title: string;
  summary: string;
  publishedAt: string;
}

function idsOf<T>(terms: readonly T[], id: (term: T) => number): number[] {
  const ids = new Array<number>(terms.length);
  for (let i = 0; i < terms.length; i += 1) ids[i] = id(terms[i]);
  return ids;
}

interface TermIds {
  titleIds: number[];
  bodyIds: number[];
  entityIds: number[];
  figureIds: number[];
  versionIds: number[];
}

/** The ids of a text's terms, counted into the document frequencies when `learn` is set. */
function termIds(extracted: EventTerms, stats: TermStats, learn: boolean): TermIds {
  if (learn) stats.noteLowercase(extracted.lowercaseWords);
  const ids: TermIds = {
    titleIds: idsOf(extracted.title, (stem) => stats.stemId(stem)),
    bodyIds: idsOf(extracted.body, (stem) => stats.stemId(stem)),
    // Names, figures and versions come out of eventTerms without repeats.
    entityIds: idsOf(extracted.entities, (term) => stats.nameId(term)),
    figureIds: idsOf(extracted.figures, (term) => stats.figureId(term)),
    versionIds: idsOf(extracted.versions, (term) => stats.versionId(term)),
  };
  if (learn) {
    stats.beginDocument();
    for (const list of [ids.titleIds, ids.bodyIds, ids.entityIds, ids.figureIds, ids.versionIds]) for (const id of list) stats.countTerm(id);
  }
  return ids;
}

/**
 * Builds the item's vectors and, when `learn` is set, first counts it into the document
 * frequencies (every ingested item does; a lookup that only asks does not).
 */
export function buildEventDoc(input: EventDocInput, stats: TermStats, learn = true, terms?: EventTerms): EventDoc {
  const extracted = terms ?? eventTerms(input.title, input.summary, stats.isOrdinaryWord);
  const { titleIds, bodyIds, entityIds, figureIds, versionIds } = termIds(extracted, stats, learn);

  buildSerial += 1;
  const headlineIds: number[] = [];
  count(titleIds, 1, headlineIds);
  const headline = vector(headlineIds, stats);
  buildSerial += 1;
  const textIds: number[] = [];
  count(titleIds, 2, textIds);
  const titleDistinct = textIds.length;
  count(bodyIds, 1, textIds);
  const text = vector(textIds, stats);

  const entities = sortedIds(entityIds);
  const entityIdf = entities.map((id) => Math.fround(stats.idf(id)));
  const entityWords = entities.map((id) => stats.wordOfName(id));
  // Words too common to find candidates with are skipped by the index (its posting-length cap),
  // so a headline word like "video" costs nothing in a busy window.
  buildSerial += 1;
  const bodyDistinct: number[] = [];
  count(bodyIds, 1, bodyDistinct);
  const bodyKeys = rarestFirst(bodyDistinct, stats).slice(0, MAX_BODY_KEYS);
  // The index looks up the rarest keys first (see EventIndex.candidates).
  buildSerial += 1;
  const keyIds: number[] = [];
  for (const ids of [entityIds, figureIds, versionIds, textIds.slice(0, titleDistinct), bodyKeys]) count(ids, 1, keyIds);
  const subject = extracted.subject;
  const subjectId = subject === null ? -1 : stats.nameId(subject);
  return {
    storyId: input.storyId,
    feedId: input.feedId,
    time: Date.parse(input.publishedAt),
    text,
    headline,
    entities,
    entityIdf,
    entityWords,
    figures: sortedIds(figureIds),
    amounts: sortedIds(figureIds.filter((_, i) => extracted.figures[i].startsWith('$'))),
    versions: sortedIds(versionIds),
    versionParts: extracted.versions.length === 0 ? NO_VERSION_PARTS : extracted.versions.map((version) => {
      const space = version.lastIndexOf(' ');
      return [version.slice(0, space), version.slice(space + 1)] as const;
    }),
    subject: subjectId,
    subjectWord: subjectId < 0 ? -1 : stats.wordOfName(subjectId),
    keys: rarestFirst(keyIds, stats),
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
  // Only the counts: these texts are never matched against, so they need no vectors.
  for (const text of texts) termIds(eventTerms(text.title, text.summary, stats.isOrdinaryWord), stats, true);
  return stats;
}
