/**
 * GET /health — per-feed fetch health for operators and uptime checks.
 *
 * Always answers 200, also when degraded: this is a status page, not a liveness probe. A failing
 * upstream feed is not a failure of this service, and a 5xx here would make load balancers pull a
 * perfectly able server out of rotation. Monitors should read `status` from the body.
 */
import express from 'express';
import type { FeedHealth, FeedState } from '../model';
import { HEALTH_CACHE_CONTROL, HEALTH_MEMO_TTL_MS } from './cache-policy';
import type { ResponseMemoLocals } from './response-memo';

export type FeedHealthStatus = 'ok' | 'failing' | 'pending' | 'disabled';

/** The fetch state /health shows; validators (etag, last-modified) and the lifetime error count stay private. */
type PublicFetchState = Pick<
  FeedState,
  'lastFetchAt' | 'lastSuccessAt' | 'lastError' | 'lastErrorAt' | 'consecutiveFailures' | 'nextAttemptAt' | 'disabledReason'
>;

export interface FeedHealthEntry extends PublicFetchState {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  /** ok: last fetch succeeded; failing: last fetch failed or the fetcher disabled it; pending: never fetched; disabled: off in config. */
  status: FeedHealthStatus;
  itemCount: number;
  lastItemAt: string | null;
  /** Set when the last document was broken (e.g. truncated) and only its complete items were read: what was wrong. */
  repaired: string | null;
}

export interface HealthReport {
  /** "ok" when every enabled feed's last fetch succeeded (or it was not fetched yet), else "degraded". */
  status: 'ok' | 'degraded';
  checkedAt: string;
  summary: { feeds: number; enabled: number; ok: number; failing: number; pending: number };
  feeds: FeedHealthEntry[];
}

export function buildHealthReport(feeds: FeedHealth[], now: Date): HealthReport {
  const entries = feeds.map(feedHealthEntry);
  const count = (status: FeedHealthStatus) => entries.filter((entry) => entry.status === status).length;
  const failing = count('failing');
  return {
    status: failing === 0 ? 'ok' : 'degraded',
    checkedAt: now.toISOString(),
    summary: {
      feeds: entries.length,
      enabled: entries.filter((entry) => entry.enabled).length,
      ok: count('ok'),
      failing,
      pending: count('pending'),
    },
    feeds: entries,
  };
}

function feedHealthEntry({ feed, state, itemCount, lastItemAt }: FeedHealth): FeedHealthEntry {
  return {
    id: feed.id,
    name: feed.name,
    url: feed.url,
    enabled: feed.enabled,
    status: feedStatus({ feed, state, itemCount, lastItemAt }),
    lastFetchAt: state.lastFetchAt,
    lastSuccessAt: state.lastSuccessAt,
    lastError: state.lastError,
    lastErrorAt: state.lastErrorAt,
    consecutiveFailures: state.consecutiveFailures,
    nextAttemptAt: state.nextAttemptAt,
    disabledReason: state.disabledReason,
    itemCount,
    lastItemAt,
    repaired: state.lastRepair,
  };
}

function feedStatus({ feed, state }: FeedHealth): FeedHealthStatus {
  if (!feed.enabled) return 'disabled';
  // Enabled in config but switched off by the fetcher (410 Gone, too many failures): needs a human.
  if (state.disabledReason !== null) return 'failing';
  if (state.consecutiveFailures > 0) return 'failing';
  if (state.lastFetchAt === null) return 'pending';
  if (state.lastErrorAt !== null && (state.lastSuccessAt === null || Date.parse(state.lastErrorAt) > Date.parse(state.lastSuccessAt))) {
    return 'failing';
  }
  return 'ok';
}

export function createHealthRouter(feedHealth: () => FeedHealth[], now: () => Date = () => new Date()): express.Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', HEALTH_CACHE_CONTROL);
    // Under load many monitors and dashboards share one report a second (response-memo.ts).
    (res.locals as ResponseMemoLocals).responseMemoTtlMs = HEALTH_MEMO_TTL_MS;
    res.status(200).json(buildHealthReport(feedHealth(), now()));
  });
  return router;
}
