import type Database from 'better-sqlite3';
import type { FeedHealth, FeedSource, FeedState, Label } from '../model';
import { writeTransaction } from './write-transaction';

interface FeedRow {
  id: string;
  name: string;
  url: string;
  category_hint: string | null;
  interval_minutes: number | null;
  enabled: number;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  consecutive_failures: number;
  error_count: number;
  next_attempt_at: string | null;
  disabled_reason: string | null;
  last_repair: string | null;
}

function toSource(row: FeedRow): FeedSource {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    intervalMinutes: row.interval_minutes ?? undefined,
    categoryHint: (row.category_hint as Label | null) ?? undefined,
    enabled: row.enabled === 1,
  };
}

function toState(row: FeedRow): FeedState {
  return {
    feedId: row.id,
    etag: row.etag,
    lastModified: row.last_modified,
    lastFetchAt: row.last_fetch_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    consecutiveFailures: row.consecutive_failures,
    nextAttemptAt: row.next_attempt_at,
    disabledReason: row.disabled_reason,
    errorCount: row.error_count,
    lastRepair: row.last_repair,
  };
}

export type FeedOrigin = 'config' | 'opml';

export interface FetchSuccess {
  feedId: string;
  at: string;
  etag: string | null;
  lastModified: string | null;
  /** What was wrong with the document when only its complete items were read (see ParseResult); null or absent when it parsed cleanly. */
  repaired?: string | null;
}

export interface FetchFailure {
  feedId: string;
  at: string;
  message: string;
  nextAttemptAt: string;
  /** Set to disable the feed (410 Gone, too many consecutive failures). */
  disableReason: string | null;
}

/** Feed definitions and their fetch state. Feed rows are never deleted: their items stay. */
export class FeedsRepository {
  constructor(private readonly db: Database.Database) {}

  /**
   * Inserts or updates feeds from config/OPML. Fetch state survives; a changed URL resets the
   * conditional-GET validators because they belonged to the old URL.
   */
  upsertSources(sources: readonly FeedSource[], origin: FeedOrigin, now = new Date().toISOString()): void {
    const upsert = this.db.prepare(`
      INSERT INTO feeds (id, name, url, category_hint, interval_minutes, enabled, origin, created_at)
      VALUES (@id, @name, @url, @categoryHint, @intervalMinutes, @enabled, @origin, @now)
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name,
        category_hint = excluded.category_hint,
        interval_minutes = excluded.interval_minutes,
        enabled = excluded.enabled,
        etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
        last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
        url = excluded.url`);
    writeTransaction(this.db, 'the feed list', () => {
      for (const source of sources) {
        upsert.run({
          id: source.id,
          name: source.name,
          url: source.url,
          categoryHint: source.categoryHint ?? null,
          intervalMinutes: source.intervalMinutes ?? null,
          enabled: source.enabled ? 1 : 0,
          origin,
          now,
        });
      }
    });
  }

  /** Config feeds that were removed from the config stop being fetched; their items stay. */
  disableConfigFeedsNotIn(ids: readonly string[]): number {
    return this.db
      .prepare(
        `UPDATE feeds SET enabled = 0 WHERE origin = 'config' AND enabled = 1
         AND id NOT IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify(ids)).changes;
  }

  findByUrl(url: string): FeedSource | null {
    const row = this.db.prepare('SELECT * FROM feeds WHERE url = ?').get(url) as FeedRow | undefined;
    return row ? toSource(row) : null;
  }

  listSources(origin?: FeedOrigin): FeedSource[] {
    const rows = (
      origin
        ? this.db.prepare('SELECT * FROM feeds WHERE origin = ? ORDER BY id').all(origin)
        : this.db.prepare('SELECT * FROM feeds ORDER BY id').all()
    ) as FeedRow[];
    return rows.map(toSource);
  }

  getState(feedId: string): FeedState | null {
    const row = this.db.prepare('SELECT * FROM feeds WHERE id = ?').get(feedId) as FeedRow | undefined;
    return row ? toState(row) : null;
  }

  recordNotModified(feedId: string, at: string): void {
    this.db
      .prepare(
        `UPDATE feeds SET last_fetch_at = ?, last_success_at = ?, consecutive_failures = 0, next_attempt_at = NULL,
         last_error = NULL WHERE id = ?`,
      )
      .run(at, at, feedId);
  }

  /** Called inside the ingest transaction so validators and items commit together. */
  recordSuccess(success: FetchSuccess): void {
    this.db
      .prepare(
        `UPDATE feeds SET last_fetch_at = @at, last_success_at = @at, etag = @etag, last_modified = @lastModified,
         consecutive_failures = 0, next_attempt_at = NULL, last_error = NULL, last_repair = @repaired WHERE id = @feedId`,
      )
      .run({ ...success, repaired: success.repaired ?? null });
  }

  /** Keeps the error on the feed for /health; stored items are never touched. */
  recordFailure(failure: FetchFailure): void {
    this.db
      .prepare(
        `UPDATE feeds SET last_fetch_at = @at, last_error = @message, last_error_at = @at,
         consecutive_failures = consecutive_failures + 1, error_count = error_count + 1,
         next_attempt_at = @nextAttemptAt,
         disabled_reason = COALESCE(@disableReason, disabled_reason)
         WHERE id = @feedId`,
      )
      .run(failure);
  }

  /** Re-enables a disabled feed (an operator fixed it); clears backoff. */
  reenable(feedId: string): void {
    this.db
      .prepare('UPDATE feeds SET disabled_reason = NULL, consecutive_failures = 0, next_attempt_at = NULL WHERE id = ?')
      .run(feedId);
  }

  health(): FeedHealth[] {
    const rows = this.db
      .prepare(
        `SELECT f.*, COUNT(i.id) AS item_count, MAX(i.published_at) AS last_item_at
         FROM feeds f LEFT JOIN items i ON i.feed_id = f.id GROUP BY f.id ORDER BY f.id`,
      )
      .all() as (FeedRow & { item_count: number; last_item_at: string | null })[];
    return rows.map((row) => ({
      feed: toSource(row),
      state: toState(row),
      itemCount: row.item_count,
      lastItemAt: row.last_item_at,
    }));
  }
}
