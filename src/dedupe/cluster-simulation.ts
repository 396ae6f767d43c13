/**
 * Runs the online matcher over labelled reports exactly as ingest does (one at a time, in the
 * given order, each decided before the next arrives), for evaluation and tuning.
 */
import type { ClusterReport } from './cluster-dataset';
import { buildEventDoc, type EventDoc } from './event-doc';
import { EventIndex } from './event-index';
import type { EventScorerModel } from './event-scorer';
import { StoryProfile } from './story-profile';
import { TermStats } from './term-stats';

export interface SimulationOptions {
  windowDays: number;
  /** Called for a fresh TermStats before the run: seeds document frequencies (background corpus). */
  seed: (stats: TermStats) => void;
}

function docFor(report: ClusterReport, stats: TermStats): EventDoc {
  return buildEventDoc(
    { storyId: -1, feedId: report.outlet, title: report.title, summary: report.summary, publishedAt: report.published },
    stats,
  );
}

/** The story (a number) each report ends up in, in input order. */
export function clusterOnline(reports: readonly ClusterReport[], model: EventScorerModel, options: SimulationOptions): number[] {
  const stats = new TermStats();
  options.seed(stats);
  const index = new EventIndex(stats, model, options.windowDays * 86_400_000);
  let nextStory = 1;
  return reports.map((report) => {
    const doc = docFor(report, stats);
    const match = index.match(doc);
    doc.storyId = match ? match.storyId : nextStory++;
    index.add(doc);
    return doc.storyId;
  });
}

export interface LabelledPair {
  features: number[];
  same: boolean;
}

/**
 * Training examples as the matcher meets them, teacher-forced: each report against every story
 * (gold events so far) the index offers it as a candidate, labelled by whether it is its event.
 */
export function candidatePairs(reports: readonly ClusterReport[], options: SimulationOptions): LabelledPair[] {
  const stats = new TermStats();
  options.seed(stats);
  const index = new EventIndex(stats, { weights: [], bias: 0, threshold: 1 }, options.windowDays * 86_400_000);
  const eventIds = new Map<string, number>();
  const pairs: LabelledPair[] = [];
  for (const report of reports) {
    const doc = docFor(report, stats);
    let eventId = eventIds.get(report.event);
    if (eventId === undefined) eventIds.set(report.event, (eventId = eventIds.size + 1));
    for (const candidate of index.candidates(doc)) {
      pairs.push({ features: candidate.profile.features(doc, stats), same: candidate.storyId === eventId });
    }
    doc.storyId = eventId;
    index.add(doc);
  }
  return pairs;
}

/** Editors' verdicts on stored report pairs, as training pairs (one report against the other as a story). */
export function editorPairs(
  pairs: readonly { a: { title: string; summary: string; publishedAt: string; feedId: string }; b: { title: string; summary: string; publishedAt: string; feedId: string }; sameEvent: boolean }[],
  seed: (stats: TermStats) => void,
): LabelledPair[] {
  const stats = new TermStats();
  seed(stats);
  return pairs.map(({ a, b, sameEvent }) => {
    const docA = buildEventDoc({ storyId: 1, ...a }, stats);
    const docB = buildEventDoc({ storyId: 2, ...b }, stats);
    return { features: StoryProfile.of([docA]).features(docB, stats), same: sameEvent };
  });
}
