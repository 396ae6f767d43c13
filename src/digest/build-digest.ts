/**
 * Builds (or returns the stored) digest issue for a period of the digest cron.
 *
 * An issue lists, per published category, the top N stories published in the period, ranked by
 * importance at the period end. The first build of a period stores a snapshot; every later build of the
 * same period returns that snapshot unchanged (same id, dates and content), so past issues are stable
 * even when stories of the period arrive, change or are unpublished afterwards.
 */
import { PUBLISHED_LABELS, type Story } from '../model';
import { safeHttpUrl } from '../publish/feed-builder';
import type { Services } from '../services';
import { DigestsRepository } from '../store/digests-repository';
import { StoryQueries } from '../store/story-queries';
import { rankByImportance } from '../stories/importance';
import {
  latestCompletedPeriod,
  localDateOf,
  parseDigestSchedule,
  periodEndingAt,
  type DigestPeriod,
  type DigestSchedule,
} from './digest-schedule';
import type { Digest, DigestEntry, DigestOutlet, DigestSection } from './digest-types';

/** Ranking reads at most this many stories per category and period (hundreds is a busy period). */
export const MAX_DIGEST_CANDIDATES = 2000;
/** After downtime, the cron job builds the missed issues since the newest stored one, at most this many. */
export const MAX_CATCH_UP_PERIODS = 4;

export class DigestPeriodNotOverError extends Error {
  constructor(
    readonly periodEnd: Date,
    readonly now: Date,
  ) {
    super(`the digest period ending ${periodEnd.toISOString()} is not over yet (now ${now.toISOString()})`);
    this.name = 'DigestPeriodNotOverError';
  }
}

/** A digest asked for a moment later than now: it would be dated in the future and freeze the schedule. */
export class DigestDateInFutureError extends Error {
  constructor(
    readonly at: Date,
    readonly now: Date,
  ) {
    super(`${at.toISOString()} is later than now (${now.toISOString()}); a digest can only be built for a period that is over`);
    this.name = 'DigestDateInFutureError';
  }
}

export interface DigestBuildResult {
  digest: Digest;
  /** False when the issue was already stored and is returned as it was. */
  created: boolean;
}

export interface DigestBuilderDeps {
  queries: Pick<StoryQueries, 'publishedStoriesInRange'>;
  digests: DigestsRepository;
  schedule: DigestSchedule;
  storiesPerCategory: number;
}

export class DigestBuilder {
  constructor(private readonly deps: DigestBuilderDeps) {}

  get schedule(): DigestSchedule {
    return this.deps.schedule;
  }

  /**
   * The issue for the period ending at `periodEnd` (a tick of the schedule; DigestScheduleError
   * otherwise). A stored issue is returned as is; a new one is only built once the period is over
   * (DigestPeriodNotOverError otherwise), so an issue never freezes half a period.
   */
  buildDigest(periodEnd: Date, now: Date = new Date()): DigestBuildResult {
    const stored = this.deps.digests.findByPeriodEnd(periodEnd);
    if (stored !== null) return { digest: stored, created: false };
    const period = periodEndingAt(this.deps.schedule, periodEnd);
    if (period.end.getTime() > now.getTime()) throw new DigestPeriodNotOverError(period.end, now);
    return this.deps.digests.insertIfAbsent({
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      periodDate: localDateOf(this.deps.schedule, period.end),
      createdAt: now.toISOString(),
      sections: PUBLISHED_LABELS.map((label) => this.section(label, period)),
    });
  }

  /**
   * The issue for the latest period that is over at `at` (default now). `at` later than `now` is
   * refused (DigestDateInFutureError): "over" is always judged against the real clock.
   */
  buildLatest(at: Date = new Date(), now: Date = new Date()): DigestBuildResult {
    if (at.getTime() > now.getTime()) throw new DigestDateInFutureError(at, now);
    return this.buildDigest(latestCompletedPeriod(this.deps.schedule, at).end, now);
  }

  /**
   * Removes the stored issue of the latest period over at `at` and builds it again from the stories
   * as they are now (an operator's correction: e.g. after fixing labels). Same refusal of future dates.
   */
  rebuildLatest(at: Date = new Date(), now: Date = new Date()): DigestBuildResult & { removed: boolean } {
    if (at.getTime() > now.getTime()) throw new DigestDateInFutureError(at, now);
    const end = latestCompletedPeriod(this.deps.schedule, at).end;
    const stored = this.deps.digests.findByPeriodEnd(end);
    if (stored !== null) this.deps.digests.remove([stored], now.toISOString());
    return { ...this.buildDigest(end, now), removed: stored !== null };
  }

  /**
   * For the cron job: the latest completed issue plus any missed since the newest stored one (server
   * down at a tick), oldest first, at most MAX_CATCH_UP_PERIODS. A fresh database gets only the latest,
   * not a back catalogue.
   */
  buildDue(now: Date = new Date()): DigestBuildResult[] {
    // An issue dated after now (built by an older version from a future date) must not stop the schedule.
    const newestStored = this.deps.digests.newestPeriodEnd(now);
    const ends: Date[] = [];
    let period = latestCompletedPeriod(this.deps.schedule, now);
    while (ends.length < MAX_CATCH_UP_PERIODS) {
      if (newestStored !== null && period.end.getTime() <= newestStored.getTime()) break;
      ends.unshift(period.end);
      if (newestStored === null) break;
      period = periodEndingAt(this.deps.schedule, period.start);
    }
    return ends.map((end) => this.buildDigest(end, now));
  }

  private section(label: DigestSection['label'], period: DigestPeriod): DigestSection {
    const candidates = this.deps.queries.publishedStoriesInRange(label, period.start, period.end, MAX_DIGEST_CANDIDATES);
    const top = rankByImportance(candidates, period.end).slice(0, this.deps.storiesPerCategory);
    return { label, stories: top.map(({ story, importance }) => toEntry(story, importance)) };
  }
}

function toEntry(story: Story, importance: number): DigestEntry {
  const outlets: DigestOutlet[] = [];
  const seenFeeds = new Set<string>();
  for (const outlet of story.outlets) {
    if (seenFeeds.has(outlet.feedId)) continue;
    seenFeeds.add(outlet.feedId);
    outlets.push({ name: outlet.feedName, url: safeHttpUrl(outlet.url) });
  }
  return {
    storyId: story.id,
    title: story.title,
    summary: story.summary,
    url: safeHttpUrl(story.url) ?? outlets.find((outlet) => outlet.url !== null)?.url ?? null,
    outlets,
    publishedAt: story.publishedAt,
    importance: Math.round(importance * 10_000) / 10_000,
  };
}

/** The builder for the running service: digest cron, time zone and stories per category from config. */
export function createDigestBuilder(services: Pick<Services, 'db' | 'config'>): DigestBuilder {
  return new DigestBuilder({
    queries: new StoryQueries(services.db),
    digests: new DigestsRepository(services.db),
    schedule: parseDigestSchedule(services.config.schedule.digestCron, services.config.schedule.timezone),
    storiesPerCategory: services.config.digest.storiesPerCategory,
  });
}
