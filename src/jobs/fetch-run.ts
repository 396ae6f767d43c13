import { nextAttemptAfterFailure } from '../fetch/backoff';
import { fetchFeedDocument } from '../fetch/fetch-document';
import type { FetchOptions } from '../fetch/fetch-options';
import type { Logger } from '../logger';
import type { Classification, FeedSource, FeedState } from '../model';
import { parseFeedDocument } from '../parse/parse-feed';
import type { FeedsRepository } from '../store/feeds-repository';
import type { StoriesRepository } from '../store/stories-repository';

export type Classify = (text: { title: string; summary: string }) => Classification;

export interface FetchRunSettings {
  fetch: FetchOptions;
  concurrency: number;
  maxItemsPerFeed: number;
  backoff: { baseMinutes: number; maxMinutes: number };
  disableAfterFailures: number;
  /** Interval for feeds without their own intervalMinutes; a feed is not fetched more often than this. */
  defaultIntervalMinutes: number;
  /**
   * This service's own demo feeds (absolute URLs on its origin): the only feeds the SSRF guard lets
   * reach that origin, each only at its own URL.
   */
  ownFeedUrls: readonly string[];
}

/** The fetch options for one feed: the run's, plus the own-origin exception for a configured demo feed. */
export function feedFetchOptions(source: FeedSource, settings: FetchRunSettings): FetchOptions {
  return settings.ownFeedUrls.includes(source.url) ? { ...settings.fetch, allowedUrls: [source.url] } : settings.fetch;
}

export interface FetchRunDeps {
  feeds: FeedsRepository;
  stories: StoriesRepository;
  classify: Classify;
  settings: FetchRunSettings;
  logger: Logger;
  now?: () => Date;
}

export type FeedRunOutcome =
  | { feedId: string; kind: 'stored'; inserted: number; newStories: number; joined: number; alreadyStored: number }
  | { feedId: string; kind: 'not-modified' }
  | { feedId: string; kind: 'failed'; error: string; disabled: boolean }
  | { feedId: string; kind: 'skipped'; reason: string };

export interface FetchRunSummary {
  startedAt: string;
  durationMs: number;
  outcomes: FeedRunOutcome[];
  inserted: number;
  failed: number;
}

/** Why a feed is not due now, or null when it is. `force` ignores intervals and backoff, not disabling. */
export function notDueReason(
  source: FeedSource,
  state: FeedState | null,
  now: Date,
  defaultIntervalMinutes: number,
  force: boolean,
): string | null {
  if (!source.enabled) return 'disabled in config';
  if (state?.disabledReason) return `disabled: ${state.disabledReason}`;
  if (force || !state) return null;
  if (state.nextAttemptAt && Date.parse(state.nextAttemptAt) > now.getTime()) {
    return `backing off until ${state.nextAttemptAt}`;
  }
  // A failing feed is governed by its backoff alone; a healthy one by its interval.
  if (state.consecutiveFailures > 0) return null;
  const interval = source.intervalMinutes ?? defaultIntervalMinutes;
  // A little slack so a feed on the same interval as the cron is not skipped by scheduling jitter.
  if (state.lastFetchAt && Date.parse(state.lastFetchAt) + interval * 60_000 - 30_000 > now.getTime()) {
    return `fetched at ${state.lastFetchAt}, interval ${interval} min`;
  }
  return null;
}

async function runOne(source: FeedSource, state: FeedState | null, deps: FetchRunDeps): Promise<FeedRunOutcome> {
  const { feeds, stories, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ feed: source.id });
  const startedAt = now();

  const fail = (message: string, permanent: boolean, retryAfterSeconds?: number): FeedRunOutcome => {
    const failures = (state?.consecutiveFailures ?? 0) + 1;
    const disableReason = permanent
      ? message
      : failures >= settings.disableAfterFailures
        ? `${failures} consecutive failures, last: ${message}`
        : null;
    feeds.recordFailure({
      feedId: source.id,
      at: startedAt.toISOString(),
      message,
      nextAttemptAt: nextAttemptAfterFailure(failures, startedAt, retryAfterSeconds, settings.backoff).toISOString(),
      disableReason,
    });
    log.warn('fetch failed', { url: source.url, error: message, failures, disabled: disableReason !== null });
    return { feedId: source.id, kind: 'failed', error: message, disabled: disableReason !== null };
  };

  try {
    const outcome = await fetchFeedDocument(
      source.url,
      { etag: state?.etag ?? null, lastModified: state?.lastModified ?? null },
      feedFetchOptions(source, settings),
    );
    if (outcome.kind === 'failed') {
      return fail(outcome.error.message, outcome.error.permanent, outcome.error.retryAfterSeconds);
    }
    if (outcome.kind === 'not-modified') {
      feeds.recordNotModified(source.id, startedAt.toISOString());
      log.info('not modified', { url: source.url });
      return { feedId: source.id, kind: 'not-modified' };
    }
    const parsed = await parseFeedDocument(outcome.body, source, startedAt, outcome.finalUrl, {
      maxItems: settings.maxItemsPerFeed,
      contentType: outcome.contentType,
    });
    if (!parsed.ok) return fail(parsed.error.message, false);
    const candidates = parsed.items.map((item) => ({
      item,
      classification: deps.classify({ title: item.title, summary: item.summary }),
    }));
    const result = stories.ingestFeedItems(
      source.id,
      candidates,
      { feedId: source.id, at: startedAt.toISOString(), etag: outcome.etag, lastModified: outcome.lastModified, repaired: parsed.repaired },
      { categoryHint: source.categoryHint },
    );
    log.info('fetched', {
      url: source.url,
      items: parsed.items.length,
      new_items: result.inserted,
      new_stories: result.newStories,
      joined_stories: result.joined,
      known: result.alreadyStored,
      skipped: parsed.skipped,
      repaired: parsed.repaired,
      ms: Date.now() - startedAt.getTime(),
    });
    return { feedId: source.id, kind: 'stored', ...result };
  } catch (error) {
    // Anything unexpected is this feed's failure, never the run's.
    return fail(`unexpected error: ${(error as Error).message ?? String(error)} (${source.url})`, false);
  }
}

/** Runs `tasks` with at most `limit` in flight. */
async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Fetches every due feed once. One feed's failure is recorded against it and never stops the others. */
export async function runFetchCycle(
  sources: readonly FeedSource[],
  deps: FetchRunDeps,
  options: { force?: boolean } = {},
): Promise<FetchRunSummary> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const due: { source: FeedSource; state: FeedState | null }[] = [];
  const outcomes: FeedRunOutcome[] = [];
  for (const source of sources) {
    const state = deps.feeds.getState(source.id);
    const reason = notDueReason(source, state, started, deps.settings.defaultIntervalMinutes, options.force ?? false);
    if (reason) outcomes.push({ feedId: source.id, kind: 'skipped', reason });
    else due.push({ source, state });
  }
  outcomes.push(
    ...(await mapWithConcurrency(due, deps.settings.concurrency, ({ source, state }) => runOne(source, state, deps))),
  );
  const inserted = outcomes.reduce((sum, o) => sum + (o.kind === 'stored' ? o.inserted : 0), 0);
  if (inserted > 0) {
    try {
      deps.stories.checkpoint();
    } catch (error) {
      // Only tidies the log; SQLite checkpoints again on its own later.
      deps.logger.warn('checkpoint after fetch run failed', { error: (error as Error).message });
    }
  }
  const failed = outcomes.filter((o) => o.kind === 'failed').length;
  const durationMs = Date.now() - started.getTime();
  deps.logger.info('fetch run finished', {
    feeds: sources.length,
    fetched: due.length,
    new_items: inserted,
    failed,
    skipped: sources.length - due.length,
    ms: durationMs,
  });
  return { startedAt: started.toISOString(), durationMs, outcomes, inserted, failed };
}
