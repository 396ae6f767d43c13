/**
 * Stored digest issues (table `digests`, migration 3), one per period end. Issues are immutable:
 * there is no update or delete, which is what makes "the same period always returns the same issue"
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
  /** Id of the newest stored digest, 0 when there is none; grows with every new issue. */
  version: number;
  /** When the newest issue was stored, or null. */
  lastModified: string | null;
}

export class DigestsRepository {
  /** Read on every digest feed request: prepared once. */
  private readonly feedStateQuery: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.feedStateQuery = db.prepare('SELECT id, created_at FROM digests ORDER BY id DESC LIMIT 1');
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

  /** The newest stored period end, or null when no digest exists yet. */
  newestPeriodEnd(): Date | null {
    const value = this.db.prepare('SELECT MAX(period_end) FROM digests').pluck().get() as string | null;
    return value === null ? null : new Date(value);
  }

  feedState(): DigestFeedState {
    const row = this.feedStateQuery.get() as
      | { id: number; created_at: string }
      | undefined;
    return row ? { version: row.id, lastModified: row.created_at } : { version: 0, lastModified: null };
  }
}
