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
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
