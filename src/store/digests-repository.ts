/**
 * Stored digest issues (table `digests`, migration 3), one per period end. Issues are immutable:
 * there is no update, and only an operator's explicit removal (CLI) deletes one, which is what makes "the same period always returns the same issue"
 * and the digest feed's version (the newest id) hold.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Digest, DigestSection, NewDigest } from '../digest/digest-types';
import { PUBLISHED_LABELS } from '../model';
import { writeTransaction } from './write-transaction';
import { noteLocalWrite } from './data-version';

interface DigestRow {
  id: number;
  period_start: string;
  period_end: string;
  period_date: string;
  created_at: string;
  content: string;
}

const sectionsSchema = z.array(
  z.object({
    label: z.enum(PUBLISHED_LABELS),
    stories: z.array(
      z.object({
        storyId: z.number().int(),
        title: z.string(),
        summary: z.string(),
        url: z.string().nullable(),
        outlets: z.array(z.object({ name: z.string(), url: z.string().nullable() })),
        publishedAt: z.string(),
        importance: z.number(),
      }),
    ),
  }),
);

export class StoredDigestError extends Error {
  constructor(
    readonly digestId: number,
    detail: string,
  ) {
    super(`stored digest ${digestId} is unreadable: ${detail}`);
    this.name = 'StoredDigestError';
  }
}

function toDigest(row: DigestRow): Digest {
  let sections: DigestSection[];
  try {
    sections = sectionsSchema.parse(JSON.parse(row.content));
  } catch (error) {
    throw new StoredDigestError(row.id, (error as Error).message);
  }
  return {
    id: row.id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    periodDate: row.period_date,
    createdAt: row.created_at,
    sections,
  };
}

export interface DigestFeedState {
  /** Removals × 10^6 + newest digest id, 0 when there is neither; grows with every new or removed issue. */
  version: number;
  /** When the newest issue was stored or an issue removed, or null. */
  lastModified: string | null;
}

/** The issue went out to subscribers: removing it would let a rebuild mail a second version. */
export class DigestAlreadyMailedError extends Error {
  constructor(
    readonly periodDate: string,
    readonly recipients: number,
  ) {
    super(`the digest of ${periodDate} was already mailed to ${recipients} subscriber(s); it stays as it is`);
    this.name = 'DigestAlreadyMailedError';
  }
}

export class DigestsRepository {
  /** Read on every digest feed request: prepared once. */
  private readonly feedStateQuery: Database.Statement;

  constructor(private readonly db: Database.Database) {
    // (removals, newest issue id) grows with every event: a build raises the issue id, a removal the
    // removal count (AUTOINCREMENT) even when the issue id drops back. Issue ids stay far below 10^6.
    this.feedStateQuery = db.prepare(`SELECT
        (SELECT IFNULL(MAX(id), 0) FROM digest_removals) * 1000000 + (SELECT IFNULL(MAX(id), 0) FROM digests) AS version,
        (SELECT MAX(t) FROM (SELECT MAX(created_at) AS t FROM digests UNION ALL SELECT MAX(removed_at) FROM digest_removals)) AS last_modified`);
  }

  findByPeriodEnd(periodEnd: Date): Digest | null {
    const row = this.db.prepare('SELECT * FROM digests WHERE period_end = ?').get(periodEnd.toISOString()) as
      | DigestRow
      | undefined;
    return row ? toDigest(row) : null;
  }

  findByPeriodDate(periodDate: string): Digest | null {
    const row = this.db
      .prepare('SELECT * FROM digests WHERE period_date = ? ORDER BY period_end DESC LIMIT 1')
      .get(periodDate) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }

  /**
   * Stores the issue unless one for the same period end exists; either way returns the stored one.
   * Safe when the server's cron and the CLI build the same period concurrently: the UNIQUE period_end
   * makes the second insert a no-op and both get the first issue.
   */
  insertIfAbsent(digest: NewDigest): { digest: Digest; created: boolean } {
    return writeTransaction(this.db, `the digest for ${digest.periodDate}`, () => {
      const inserted = this.db
        .prepare(
          `INSERT INTO digests (period_start, period_end, period_date, created_at, content)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT (period_end) DO NOTHING`,
        )
        .run(digest.periodStart, digest.periodEnd, digest.periodDate, digest.createdAt, JSON.stringify(digest.sections));
      if (inserted.changes > 0) noteLocalWrite(this.db);
      const stored = this.db.prepare('SELECT * FROM digests WHERE period_end = ?').get(digest.periodEnd) as DigestRow;
      return { digest: toDigest(stored), created: inserted.changes > 0 };
    });
  }

  /** Newest period first. */
  listNewest(limit: number): Digest[] {
    const rows = this.db.prepare('SELECT * FROM digests ORDER BY period_end DESC LIMIT ?').all(limit) as DigestRow[];
    return rows.map(toDigest);
  }

  /** The newest stored period end (not after `notAfter`, when given), or null when there is none. */
  newestPeriodEnd(notAfter?: Date): Date | null {
    const value = this.db
      .prepare('SELECT MAX(period_end) FROM digests WHERE (@notAfter IS NULL OR period_end <= @notAfter)')
      .pluck()
      .get({ notAfter: notAfter?.toISOString() ?? null }) as string | null;
    return value === null ? null : new Date(value);
  }

  /**
   * Deletes wrongly built issues (the CLI's `digest-remove` / `digest --rebuild`): the one
   * correction to "issues never change", made by an operator on purpose and logged in
   * digest_removals. An issue already mailed to subscribers is refused (DigestAlreadyMailedError),
   * so removing and rebuilding can never mail an issue twice; its unsent newsletter rows go with it.
   */
  remove(digests: readonly Digest[], at = new Date().toISOString()): void {
    writeTransaction(this.db, 'removing a digest', () => {
      for (const digest of digests) {
        const mailed = this.db
          .prepare(`SELECT COUNT(*) FROM newsletter_sends WHERE digest_id = ? AND status = 'sent'`)
          .pluck()
          .get(digest.id) as number;
        if (mailed > 0) throw new DigestAlreadyMailedError(digest.periodDate, mailed);
        this.db.prepare('DELETE FROM newsletter_sends WHERE digest_id = ?').run(digest.id);
        this.db.prepare('DELETE FROM digests WHERE id = ?').run(digest.id);
        this.db
          .prepare('INSERT INTO digest_removals (digest_id, period_end, period_date, removed_at) VALUES (?, ?, ?, ?)')
          .run(digest.id, digest.periodEnd, digest.periodDate, at);
      }
    });
    if (digests.length > 0) noteLocalWrite(this.db);
  }

  /** Every stored issue of a local date (YYYY-MM-DD). */
  findAllByPeriodDate(periodDate: string): Digest[] {
    return (this.db.prepare('SELECT * FROM digests WHERE period_date = ? ORDER BY period_end').all(periodDate) as DigestRow[]).map(toDigest);
  }

  feedState(): DigestFeedState {
    const row = this.feedStateQuery.get() as { version: number; last_modified: string | null };
    return { version: row.version, lastModified: row.last_modified };
  }
}
