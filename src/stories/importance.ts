/**
 * Importance of a story cluster: how prominently it should be placed (digests, "top" lists).
 *
 * ## Importance score
 *
 * ```
 * importance = (1 + ln(outlets)) × 0.5^(ageHours / 36) × (pinned ? 3 : 1)
 *
 *   outlets   number of distinct outlets (feeds) that reported the story, at least 1
 *   ageHours  hours from the story's publishedAt to the reference time, never negative
 *             (a story dated after the reference time counts as brand new, not as extra important)
 *   36        half-life in hours: a story loses half of its weight every 36 hours
 *   3         editor pin multiplier
 * ```
 *
 * | constant            | value | why                                                                 |
 * |---------------------|-------|---------------------------------------------------------------------|
 * | `halfLifeHours`     | 36    | a digest covers 3–4 days; day-old news still ranks, week-old fades   |
 * | `pinMultiplier`     | 3     | a pin beats ~7 outlets at the same age, yet an old pin still decays |
 *
 * - Coverage grows logarithmically: 1 outlet → 1.00, 2 → 1.69, 3 → 2.10, 10 → 3.30, so a story
 *   syndicated by many small feeds does not drown everything else.
 * - The pin multiplies rather than adds, so a story pinned last month does not outrank this week's news.
 * - The reference time is an explicit argument (a digest ranks "as of its period end"), so the score is
 *   a pure function: the same inputs always give the same number.
 * - An unparsable publishedAt scores 0 (ranked last) instead of throwing.
 */
import type { Story } from '../model';

export interface ImportanceConstants {
  halfLifeHours: number;
  pinMultiplier: number;
}

export const IMPORTANCE_CONSTANTS: Readonly<ImportanceConstants> = Object.freeze({
  halfLifeHours: 36,
  pinMultiplier: 3,
});

/** What the score depends on; a Story provides all of it (see `storyImportance`). */
export interface ImportanceFactors {
  outletCount: number;
  /** ISO 8601. */
  publishedAt: string;
  pinned: boolean;
}

const HOUR_MS = 3_600_000;

export function importanceScore(
  factors: ImportanceFactors,
  referenceTime: Date,
  constants: ImportanceConstants = IMPORTANCE_CONSTANTS,
): number {
  const published = Date.parse(factors.publishedAt);
  if (Number.isNaN(published) || Number.isNaN(referenceTime.getTime())) return 0;
  const ageHours = Math.max(0, referenceTime.getTime() - published) / HOUR_MS;
  const coverage = 1 + Math.log(Math.max(1, factors.outletCount));
  const decay = Math.pow(0.5, ageHours / constants.halfLifeHours);
  return coverage * decay * (factors.pinned ? constants.pinMultiplier : 1);
}

/** Distinct outlets are distinct feeds: one feed re-posting a story is still one outlet. */
export function distinctOutletCount(story: Pick<Story, 'outlets'>): number {
  return new Set(story.outlets.map((outlet) => outlet.feedId)).size;
}

export function storyImportance(
  story: Pick<Story, 'outlets' | 'publishedAt' | 'pinned'>,
  referenceTime: Date,
  constants: ImportanceConstants = IMPORTANCE_CONSTANTS,
): number {
  return importanceScore(
    { outletCount: distinctOutletCount(story), publishedAt: story.publishedAt, pinned: story.pinned },
    referenceTime,
    constants,
  );
}

export interface RankedStory {
  story: Story;
  importance: number;
}

/**
 * Stories by importance at `referenceTime`, most important first. Ties (equal scores) go to the newer
 * story, then the higher id, so the order is total and a digest built twice lists stories identically.
 */
export function rankByImportance(
  stories: readonly Story[],
  referenceTime: Date,
  constants: ImportanceConstants = IMPORTANCE_CONSTANTS,
): RankedStory[] {
  return stories
    .map((story) => ({ story, importance: storyImportance(story, referenceTime, constants) }))
    .sort(
      (a, b) =>
        b.importance - a.importance ||
        Date.parse(b.story.publishedAt) - Date.parse(a.story.publishedAt) ||
        b.story.id - a.story.id,
    );
}
