import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** 16 MB of 4 KB pages. */
const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date.
 * WAL lets the HTTP server read while a fetch run writes; synchronous=NORMAL is durable
 * across process crashes in WAL mode (only an OS crash can lose the last transactions).
 * The log is copied into the database file (a checkpoint) after each fetch run and whenever it
 * passes WAL_AUTOCHECKPOINT_PAGES; SQLite's default of 1,000 pages (4 MB) checkpointed several
 * times per run, re-copying the same index pages each time.
 */
export function openDatabase(file: string, options: { busyTimeoutMs?: number } = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is better-sqlite3's busy timeout: a statement that meets another process's lock
  // retries for this long before failing with SQLITE_BUSY (see store/write-transaction.ts).
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
    probeWrite(db);
  } catch (error) {
    db.close();
    throw isReadOnlyFailure(error) ? new DatabaseReadOnlyError(file, error) : error;
  }
  return db;
}

/**
 * The database file, or the folder SQLite keeps its -wal and -shm files in, refuses writes to this
 * process. The service does not run read-only (fetching, editors' decisions and sign-ins all write),
 * so this stops start-up instead of failing every write later.
 */
export class DatabaseReadOnlyError extends Error {
  constructor(
    readonly file: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'DatabaseReadOnlyError';
  }
}

function isReadOnlyFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLITE_READONLY and its extended codes (_DIRECTORY: no -wal/-shm in that folder, _CANTINIT, ...).
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}

/**
 * SQLite quietly opens a file it may not write read-only and fails only at the first write (the
 * first fetch, an editor's decision). A write rolled back at once finds out at start-up instead.
 * When another process holds the write lock past the busy timeout the file is in use, not read-only:
 * start anyway.
 */
function probeWrite(db: Database.Database): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return;
    throw error;
  }
  try {
    db.exec('CREATE TABLE write_probe (x)');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
