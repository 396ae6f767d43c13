/**
 * What a story cluster has said so far, across all its outlets' reports: the sum of their text
 * vectors (a centroid), the union of their names, figures and versions, and their time span. A new
 * report is compared with the whole story, not with one report at a time, so the third outlet's
 * report can match what the first two said between them.
 */
import { cosine, type EventDoc, type SparseVector } from './event-doc';

export interface TermLookup {
  /** The term an id stands for. */
  term(id: number): string;
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
] as const;

/** A word at least this rare (IDF) counts as "rare". */
const RARE_IDF = 5;
const IDF_SCALE = 10;
const HOURS_CAP = 168;

function versionParts(version: string): [string, string] {
  const space = version.lastIndexOf(' ');
  return [version.slice(0, space), version.slice(space + 1)];
}

export class StoryProfile {
  readonly members: EventDoc[] = [];
  readonly feeds = new Set<string>();
  private readonly centroid = new Map<number, number>();
  private readonly names = new Map<number, number>();
  private readonly figures = new Set<number>();
  /** Version strings by the name they version: "veo" -> {"3"}. */
  private readonly versions = new Map<string, Set<string>>();
  private earliest = Number.POSITIVE_INFINITY;
  private latest = Number.NEGATIVE_INFINITY;

  add(doc: EventDoc): void {
    this.members.push(doc);
    this.feeds.add(doc.feedId);
    const { ids, weights } = doc.text;
    for (let i = 0; i < ids.length; i += 1) this.centroid.set(ids[i], (this.centroid.get(ids[i]) ?? 0) + weights[i]);
    doc.entities.forEach((id, i) => this.names.set(id, doc.entityIdf[i]));
    for (const id of doc.figures) this.figures.add(id);
    for (const version of doc.versions) {
      const [name, number] = versionParts(version);
      let set = this.versions.get(name);
      if (!set) this.versions.set(name, (set = new Set()));
      set.add(number);
    }
    if (doc.time < this.earliest) this.earliest = doc.time;
    if (doc.time > this.latest) this.latest = doc.time;
  }

  /** Rebuilds the aggregates from members still inside the window. */
  static of(members: readonly EventDoc[]): StoryProfile {
    const profile = new StoryProfile();
    for (const member of members) profile.add(member);
    return profile;
  }

  private centroidCosine(text: SparseVector): number {
    let dot = 0;
    let norm = 0;
    for (const weight of this.centroid.values()) norm += weight * weight;
    if (norm === 0) return 0;
    for (let i = 0; i < text.ids.length; i += 1) dot += text.weights[i] * (this.centroid.get(text.ids[i]) ?? 0);
    return dot / Math.sqrt(norm);
  }

  /**
   * True when the report names a version of something the story names only in other versions
   * ("Veo 2" against a "Veo 3" story): a different release, whatever else they share.
   */
  conflictsWith(doc: EventDoc): boolean {
    let conflict = false;
    for (const version of doc.versions) {
      const [name, number] = versionParts(version);
      const known = this.versions.get(name);
      if (!known) continue;
      if (known.has(number)) return false;
      conflict = true;
    }
    return conflict;
  }

  features(doc: EventDoc, terms: TermLookup): number[] {
    let bestText = 0;
    let bestHeadline = 0;
    for (const member of this.members) {
      bestText = Math.max(bestText, cosine(doc.text, member.text));
      bestHeadline = Math.max(bestHeadline, cosine(doc.headline, member.headline));
    }

    // Names: how much of the new report's name mass (by rarity) the story already mentions.
    let nameMass = 0;
    let foundMass = 0;
    doc.entities.forEach((id, i) => {
      nameMass += doc.entityIdf[i];
      // A name the story's reports wrote without marking it as one still counts.
      if (this.names.has(id) || (doc.entityWords[i] >= 0 && this.centroid.has(doc.entityWords[i]))) foundMass += doc.entityIdf[i];
    });

    let sharedFigures = 0;
    let myAmounts = 0;
    let sharedAmounts = 0;
    let storyHasAmounts = false;
    for (const id of this.figures) if (terms.term(id).startsWith('f:$')) storyHasAmounts = true;
    for (const id of doc.figures) {
      const isAmount = terms.term(id).startsWith('f:$');
      if (isAmount) myAmounts += 1;
      if (this.figures.has(id)) {
        sharedFigures += 1;
        if (isAmount) sharedAmounts += 1;
      }
    }

    // A different version never gets here (conflictsWith vetoes it before scoring).
    let sharedVersion = false;
    for (const version of doc.versions) {
      const [name, number] = versionParts(version);
      if (this.versions.get(name)?.has(number)) sharedVersion = true;
    }

    // Two reports of different events by one company share its name; reports of one event also
    // share what happened: rare words besides the names.
    let rarest = 0;
    let rare = 0;
    let rareBesidesNames = 0;
    for (const id of doc.text.ids) {
      if (!this.centroid.has(id)) continue;
      const idf = terms.idf(id);
      if (idf > rarest) rarest = idf;
      if (idf >= RARE_IDF) {
        rare += 1;
        if (!doc.entityWords.includes(id)) rareBesidesNames += 1;
      }
    }

    const hours = Math.min(
      Math.max(0, this.earliest - doc.time, doc.time - this.latest) / 3_600_000,
      HOURS_CAP,
    );
    return [
      this.centroidCosine(doc.text),
      bestText,
      bestHeadline,
      nameMass > 0 ? foundMass / nameMass : 0,
      Math.min(sharedFigures, 3) / 3,
      myAmounts > 0 && storyHasAmounts && sharedAmounts === 0 ? 1 : 0,
      sharedVersion ? 1 : 0,
      Math.log1p(hours) / Math.log1p(HOURS_CAP),
      Math.min(rarest, IDF_SCALE) / IDF_SCALE,
      Math.min(rare, 4) / 4,
      Math.min(rareBesidesNames, 3) / 3,
      // A company's name alone (IDF ~4-6) is weak evidence; a product, a person and a place add up.
      Math.min(foundMass, 20) / 20,
    ];
  }
}
