import type Database from 'better-sqlite3';
import { NearDuplicateIndex } from '../dedupe/near-duplicate-index';
import { epochDay, tokenHashes, type TitleCandidate } from '../dedupe/title-signature';

const DAY_MS = 86_400_000;
/** How far back, in retained ranges, recent lookups can keep headlines in memory. */
const MAX_PINNED_RANGES = 4;

function dayStartIso(day: number): string {
  return new Date(day * DAY_MS).toISOString();
}

/**
 * Keeps a NearDuplicateIndex in step with the stories table: loads the date range lookups need,
 * picks up stories other processes stored (the CLI and the server share the file), and drops
 * stories far behind the newest one so memory follows the dedupe window, not the archive size.
 */
export class RecentTitles {
  private readonly index = new NearDuplicateIndex();
  /** Stories published on or after this day are all in the index (null: nothing loaded yet). */
  private coveredFromDay: number | null = null;
  private lastSeenStoryId = 0;
  private newestDay = Number.NEGATIVE_INFINITY;
  /** The oldest day a lookup asked for, and the newest story's day at the time. */
  private oldestNeededDay = Number.POSITIVE_INFINITY;
  private oldestNeededAsOf = Number.NEGATIVE_INFINITY;
  private readonly maxStoryId: Database.Statement;
  private readonly storiesAfterId: Database.Statement;
  private readonly storiesInRange: Database.Statement;

  private readonly retainDays: number;
  private readonly marginDays: number;

  constructor(db: Database.Database, windowDays: number) {
    // An item up to windowDays older than the newest story compares with stories windowDays older
    // still; keep that, plus a margin, in memory.
    this.marginDays = Math.max(1, Math.ceil(windowDays / 2));
    this.retainDays = 2 * windowDays + 1;
    this.maxStoryId = db.prepare('SELECT COALESCE(MAX(id), 0) FROM stories').pluck();
    this.storiesAfterId = db.prepare(
      `SELECT s.id AS storyId, s.published_at AS publishedAt, t.tokens AS tokens
       FROM stories s JOIN story_title_tokens t ON t.story_id = s.id WHERE s.id > ? ORDER BY s.id`,
    );
    this.storiesInRange = db.prepare(
      `SELECT s.id AS storyId, s.published_at AS publishedAt, t.tokens AS tokens
       FROM stories s JOIN story_title_tokens t ON t.story_id = s.id
       WHERE s.published_at >= @from AND (@to IS NULL OR s.published_at < @to) AND s.id <= @maxId`,
    );
  }

  private load(rows: { storyId: number; publishedAt: string; tokens: string }[]): void {
    for (const row of rows) {
      const day = epochDay(row.publishedAt);
      if (this.coveredFromDay !== null && day < this.coveredFromDay) continue;
      this.index.add({ storyId: row.storyId, hashes: tokenHashes(row.tokens === '' ? [] : row.tokens.split(' ')), day });
      if (day > this.newestDay) this.newestDay = day;
    }
  }

  /** Call inside the write transaction, before lookups: adds stories stored since the last call. */
  catchUp(): void {
    if (this.coveredFromDay === null) return;
    const rows = this.storiesAfterId.all(this.lastSeenStoryId) as { storyId: number; publishedAt: string; tokens: string }[];
    this.load(rows);
    if (rows.length > 0) this.lastSeenStoryId = rows[rows.length - 1].storyId;
  }

  /** Candidates sharing an LSH bucket, published within [fromDay, toDay]; loads that range first if needed. */
  candidates(buckets: readonly number[], fromDay: number, toDay: number): TitleCandidate[] {
    this.cover(fromDay);
    if (fromDay < this.oldestNeededDay) {
      this.oldestNeededDay = fromDay;
      this.oldestNeededAsOf = this.newestDay;
    }
    return this.index.candidates(buckets, fromDay, toDay);
  }

  private cover(neededFromDay: number): void {
    if (this.coveredFromDay !== null && neededFromDay >= this.coveredFromDay) return;
    // Load a margin beyond what is needed, so items a little older do not each extend the range again.
    const fromDay = neededFromDay - this.marginDays;
    if (this.coveredFromDay === null) this.lastSeenStoryId = this.maxStoryId.get() as number;
    const to = this.coveredFromDay === null ? null : dayStartIso(this.coveredFromDay);
    const rows = this.storiesInRange.all({ from: dayStartIso(fromDay), to, maxId: this.lastSeenStoryId }) as {
      storyId: number;
      publishedAt: string;
      tokens: string;
    }[];
    this.coveredFromDay = fromDay;
    this.load(rows);
  }

  /** Records a story this process just stored (inside the same transaction). */
  added(storyId: number, hashes: readonly number[], buckets: readonly number[], publishedAt: string): void {
    const day = epochDay(publishedAt);
    if (this.coveredFromDay !== null && day >= this.coveredFromDay) {
      this.index.add({ storyId, hashes, day }, buckets);
      if (day > this.newestDay) this.newestDay = day;
    }
    if (storyId > this.lastSeenStoryId) this.lastSeenStoryId = storyId;
  }

  /** Drops stories far behind the newest one, unless recent lookups needed them. Call after a commit. */
  trim(): void {
    if (this.coveredFromDay === null || !Number.isFinite(this.newestDay)) return;
    // A feed's first fetch can reach further back than the retained range, and the next feed's
    // usually does too: keep what lookups needed until the newest story has moved retainDays on,
    // rather than evicting it and loading it again for every feed. A backfill of very old items
    // is not worth pinning months of headlines in memory for: it may reload.
    if (!Number.isFinite(this.oldestNeededAsOf)) this.oldestNeededAsOf = this.newestDay;
    if (this.newestDay - this.oldestNeededAsOf > this.retainDays) this.oldestNeededDay = Number.POSITIVE_INFINITY;
    const neededFrom = Math.max(this.oldestNeededDay - this.marginDays, this.newestDay - MAX_PINNED_RANGES * this.retainDays);
    const keepFrom = Math.min(this.newestDay - this.retainDays, neededFrom);
    // Evict in steps of marginDays, not a day at a time, and never what a lookup just loaded.
    if (keepFrom - this.coveredFromDay < this.marginDays) return;
    this.index.evictBefore(keepFrom);
    this.coveredFromDay = keepFrom;
  }

  /** After a rolled-back transaction the index may hold stories that were never stored: start over. */
  reset(): void {
    this.index.clear();
    this.coveredFromDay = null;
    this.lastSeenStoryId = 0;
    this.newestDay = Number.NEGATIVE_INFINITY;
    this.oldestNeededDay = Number.POSITIVE_INFINITY;
    this.oldestNeededAsOf = Number.NEGATIVE_INFINITY;
  }
}
