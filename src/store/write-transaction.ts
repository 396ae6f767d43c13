import type Database from 'better-sqlite3';

/**
 * Another process (the CLI's fetch-now, a second server) held the database's write lock for longer
 * than the busy timeout. Nothing of the transaction was written; the caller may retry later.
 */
export class StoreBusyError extends Error {
  constructor(
    /** What was being written, for logs. */
    readonly operation: string,
    /** A sensible wait before retrying, in seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(`the database is busy (another process is writing); ${operation} was not saved`);
    this.name = 'StoreBusyError';
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, ...). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `work` as one IMMEDIATE transaction: the write lock is taken at BEGIN, before anything is
 * read, so a read-then-write can never fail half-way because another process committed in between
 * (a deferred transaction that reads first gets SQLITE_BUSY at its first write, without waiting).
 * BEGIN waits up to the connection's busy timeout; past it, StoreBusyError and nothing changed.
 */
export function writeTransaction<T>(db: Database.Database, operation: string, work: () => T): T {
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    if (isBusy(error)) {
      const timeoutMs = Number(db.pragma('busy_timeout', { simple: true })) || 1000;
      throw new StoreBusyError(operation, Math.max(1, Math.ceil(timeoutMs / 1000)));
    }
    throw error;
  }
}
