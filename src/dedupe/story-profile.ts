/**
 * What a story cluster has said so far, across all its outlets' reports: the sum of their text
 * vectors (a centroid), the union of their names, figures and versions, and their time span. A new
 * report is compared with the whole story, not with one report at a time, so the third outlet's
 * report can match what the first two said between them.
 */
import { cosine, type EventDoc, type SparseVector } from './event-doc';

export interface TermLookup {
  /** A term's rarity (see term-stats.ts). */
  idf(id: number): number;
}

export const FEATURE_NAMES = [
  'centroid cosine',
  'best report cosine',
  'best headline cosine',
  'names found',
  'shared figures',
  'different amount',
  'shared version',
  'hours apart',
  'rarest shared word',
  'rare shared words',
  'rare shared words besides names',
  'shared name mass',
  'shared subject',
] as const;

/** A word at least this rare (IDF) counts as "rare". */
const RARE_IDF = 5;
const IDF_SCALE = 10;
const HOURS_CAP = 168;

/** Members a new report is compared with one by one: the latest ones (the cost stays flat for big stories). */
const MAX_COMPARED_MEMBERS = 4;

function hasId(sorted: readonly number[], id: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = sorted[middle];
    if (value === id) return true;
    if (value < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Whether two sorted id lists have an id in common. */
function sharesAnId(a: readonly number[], b: readonly number[]): boolean {
  for (const id of a) if (hasId(b, id)) return true;
  return false;
}

/** The sum of two sparse vectors (ids merged in order). */
function sumOf(a: SparseVector, b: SparseVector): SparseVector {
  const ids: number[] = [];
  const weights: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    if (j >= b.ids.length || (i < a.ids.length && a.ids[i] < b.ids[j])) {
      ids.push(a.ids[i]);
      weights.push(a.weights[i]);
      i += 1;
    } else if (i >= a.ids.length || b.ids[j] < a.ids[i]) {
      ids.push(b.ids[j]);
      weights.push(b.weights[j]);
      j += 1;
    } else {
      ids.push(a.ids[i]);
      weights.push(a.weights[i] + b.weights[j]);
      i += 1;
      j += 1;
    }
  }
  return { ids, weights };
}

/** Whether a report mentions a name, as a name or as a plain word. */
function mentions(report: EventDoc, nameId: number, wordId: number): boolean {
  return hasId(report.entities, nameId) || (wordId >= 0 && hasId(report.text.ids, wordId));
}

/**
 * 1 when either report's subject (its headline's first name) appears in the other, 0 when neither
 * does, 0.5 when one of them names no subject.
 */
function sharedSubject(a: EventDoc, b: EventDoc): number {
  if (a.subject < 0 || b.subject < 0) return 0.5;
  return mentions(b, a.subject, a.subjectWord) || mentions(a, b.subject, b.subjectWord) ? 1 : 0;
}

const feature = (name: (typeof FEATURE_NAMES)[number]): number => FEATURE_NAMES.indexOf(name);
const CENTROID = feature('centroid cosine');
const HOURS = feature('hours apart');
const REPORT_COSINE = feature('best report cosine');
const HEADLINE_COSINE = feature('best headline cosine');
const NAMES_FOUND = feature('names found');
const SHARED_FIGURES = feature('shared figures');
const DIFFERENT_AMOUNT = feature('different amount');
const SHARED_VERSION = feature('shared version');
const RAREST_WORD = feature('rarest shared word');
const RARE_WORDS = feature('rare shared words');
const RARE_WORDS_BESIDES_NAMES = feature('rare shared words besides names');
const NAME_MASS = feature('shared name mass');
const SHARED_SUBJECT = feature('shared subject');

/** Raises best[index] to value. */
function atLeast(best: number[], index: number, value: number): void {
  if (value > best[index]) best[index] = value;
}

/**
 * The evidence that a report and one earlier report cover the same event, in FEATURE_NAMES order
 * without the centroid cosine and the hours (filled by the caller): raises each of `best` to it.
 */
function pairEvidence(doc: EventDoc, member: EventDoc, terms: TermLookup, best: number[]): void {
  // Names: how much of the new report's name mass (by rarity) the other report mentions, as a
  // name or as a plain word.
  let nameMass = 0;
  let foundMass = 0;
  // Both name lists are sorted: one pass finds the shared ones.
  const theirNames = member.entities;
  for (let i = 0, j = 0; i < doc.entities.length; i += 1) {
    const name = doc.entities[i];
    nameMass += doc.entityIdf[i];
    while (j < theirNames.length && theirNames[j] < name) j += 1;
    if ((j < theirNames.length && theirNames[j] === name) || (doc.entityWords[i] >= 0 && hasId(member.text.ids, doc.entityWords[i]))) {
      foundMass += doc.entityIdf[i];
    }
  }

  let sharedFigures = 0;
  for (const id of doc.figures) if (hasId(member.figures, id)) sharedFigures += 1;
  // Two reports of different events by one company share its name; reports of one event also
  // share what happened: rare words besides the names.
  // One pass over both texts gives their cosine too.
  let rarest = 0;
  let rare = 0;
  let rareBesidesNames = 0;
  let dot = 0;
  const x = doc.text.ids;
  const y = member.text.ids;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) {
      dot += doc.text.weights[i] * member.text.weights[j];
      const idf = terms.idf(x[i]);
      if (idf > rarest) rarest = idf;
      if (idf >= RARE_IDF) {
        rare += 1;
        if (!doc.entityWords.includes(x[i])) rareBesidesNames += 1;
      }
      i += 1;
      j += 1;
    } else if (x[i] < y[j]) i += 1;
    else j += 1;
  }

  atLeast(best, REPORT_COSINE, dot);
  atLeast(best, HEADLINE_COSINE, cosine(doc.headline, member.headline));
  atLeast(best, NAMES_FOUND, nameMass > 0 ? foundMass / nameMass : 0);
  atLeast(best, SHARED_FIGURES, Math.min(sharedFigures, 3) / 3);
  const differentAmount = doc.amounts.length > 0 && member.amounts.length > 0 && !sharesAnId(doc.amounts, member.amounts);
  atLeast(best, DIFFERENT_AMOUNT, differentAmount ? 1 : 0);
  atLeast(best, SHARED_VERSION, sharesAnId(doc.versions, member.versions) ? 1 : 0);
  atLeast(best, RAREST_WORD, Math.min(rarest, IDF_SCALE) / IDF_SCALE);
  atLeast(best, RARE_WORDS, Math.min(rare, 4) / 4);
  atLeast(best, RARE_WORDS_BESIDES_NAMES, Math.min(rareBesidesNames, 3) / 3);
  // A company's name alone (IDF ~4-6) is weak evidence; a product, a person and a place add up.
  atLeast(best, NAME_MASS, Math.min(foundMass, 20) / 20);
  atLeast(best, SHARED_SUBJECT, sharedSubject(doc, member));
}

export class StoryProfile {
  /** Scratch for the index's candidate lookup: which lookup last counted this story, and its key weight. */
  visit = 0;
  hits = 0;
  readonly members: EventDoc[] = [];
  /** The sum of the members' text vectors, and its length (-1: not computed since the last report joined). */
  private centroid: SparseVector | null = null;
  private centroidNorm = -1;
  /**
   * Version strings by the name they version: "veo" -> {"3"}; null until a member names a version
   * (most stories never do, and a window holds thousands of them).
   */
  private versions: Map<string, Set<string>> | null = null;

  /** Whether one of its reports came from this feed (a story has a few reports: no Set is kept). */
  hasFeed(feedId: string): boolean {
    for (const member of this.members) if (member.feedId === feedId) return true;
    return false;
  }

  add(doc: EventDoc): void {
    this.members.push(doc);
    // Most stories have one report: its vector is the centroid, and no copy is kept.
    this.centroid = this.centroid === null ? doc.text : sumOf(this.centroid, doc.text);
    this.centroidNorm = -1;
    for (const [name, number] of doc.versionParts) {
      this.versions ??= new Map();
      let set = this.versions.get(name);
      if (!set) this.versions.set(name, (set = new Set()));
      set.add(number);
    }
  }

  /** Rebuilds the aggregates from members still inside the window. */
  static of(members: readonly EventDoc[]): StoryProfile {
    const profile = new StoryProfile();
    for (const member of members) profile.add(member);
    return profile;
  }

  private centroidCosine(text: SparseVector): number {
    if (this.centroid === null) return 0;
    const { weights } = this.centroid;
    if (this.centroidNorm < 0) {
      let norm = 0;
      for (let i = 0; i < weights.length; i += 1) norm += weights[i] * weights[i];
      this.centroidNorm = Math.sqrt(norm);
    }
    if (this.centroidNorm === 0) return 0;
    return cosine(text, this.centroid) / this.centroidNorm;
  }

  /**
   * True when the report cannot be news of the story's event, whatever else they share: it names
   * a version of something the story names only in other versions ("Veo 2" against a "Veo 3"
   * story: a different release), or a different amount about a different subject.
   */
  conflictsWith(doc: EventDoc): boolean {
    return this.versionConflict(doc) || this.amountConflict(doc);
  }

  private versionConflict(doc: EventDoc): boolean {
    if (this.versions === null) return false;
    let conflict = false;
    for (const [name, number] of doc.versionParts) {
      const known = this.versions.get(name);
      if (!known) continue;
      if (known.has(number)) return false;
      conflict = true;
    }
    return conflict;
  }

  /**
   * True when the report raises (or pays, or is fined) an amount the story's latest reports never
   * mention, about a subject they never name, nor it theirs: one investor's rounds in two startups
   * the same week, or two companies' fines, are two events however alike they are worded.
   */
  private amountConflict(doc: EventDoc): boolean {
    if (doc.amounts.length === 0 || doc.subject < 0) return false;
    for (let m = Math.max(0, this.members.length - MAX_COMPARED_MEMBERS); m < this.members.length; m += 1) {
      const member = this.members[m];
      if (member.amounts.length === 0 || member.subject < 0 || sharedSubject(doc, member) > 0) return false;
      if (sharesAnId(doc.amounts, member.amounts)) return false;
    }
    return true;
  }

  /**
   * The report against the story: the centroid cosine, and each other feature at its strongest
   * against any one of the latest reports (never against the union of all of them, which would
   * grow with the story and let a big story swallow unrelated news), and the nearest report's hours.
   */
  features(doc: EventDoc, terms: TermLookup): number[] {
    const best = new Array<number>(FEATURE_NAMES.length).fill(0);
    let nearestHours = HOURS_CAP;
    const from = Math.max(0, this.members.length - MAX_COMPARED_MEMBERS);
    for (let m = from; m < this.members.length; m += 1) {
      const member = this.members[m];
      pairEvidence(doc, member, terms, best);
      nearestHours = Math.min(nearestHours, Math.abs(doc.time - member.time) / 3_600_000);
    }
    best[CENTROID] = this.centroidCosine(doc.text);
    best[HOURS] = Math.log1p(nearestHours) / Math.log1p(HOURS_CAP);
    best[DIFFERENT_AMOUNT] = Math.min(best[DIFFERENT_AMOUNT], 1);
    return best;
  }
}
