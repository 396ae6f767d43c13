/**
 * "Has anything the public pages show changed?" answered without a SQLite query per request.
 *
 * The answer is a stamp (a short string) that changes whenever the publication version or the digest
 * version changes. Two ways a change can arrive:
 *  - a write by this process (fetch run, editor action, digest job): the repositories call
 *    noteLocalWrite(db) when they bump a version, and the next current() re-reads the versions;
 *  - a write by another process (the CLI's fetch-now, digest, retrain) on the same file: SQLite's
 *    `PRAGMA data_version` changes for this connection when another connection commits. It is read at
 *    most once per `checkIntervalMs` (a few hundred ms), so such a change shows within that interval.
 * Between those events current() is a comparison of two numbers.
 */
import type Database from 'better-sqlite3';

type Listener = () => void;
const localWriteListeners = new WeakMap<Database.Database, Set<Listener>>();

/** Called by repositories (inside their write transaction) when public data may have changed. */
export function noteLocalWrite(db: Database.Database): void {
  const listeners = localWriteListeners.get(db);
  if (listeners) for (const listener of listeners) listener();
}

function onLocalWrite(db: Database.Database, listener: Listener): () => void {
  let listeners = localWriteListeners.get(db);
  if (!listeners) {
    listeners = new Set();
    localWriteListeners.set(db, listeners);
  }
  listeners.add(listener);
  return () => listeners!.delete(listener);
}

export const DEFAULT_DATA_VERSION_CHECK_MS = 250;

export interface DataVersionOptions {
  /** How long an unchanged `PRAGMA data_version` is trusted; other processes' writes show within it. */
  checkIntervalMs?: number;
  now?: () => number;
}

export class DataVersionWatcher {
  private readonly dataVersionQuery: Database.Statement;
  private readonly checkIntervalMs: number;
  private readonly now: () => number;
  private readonly stopListening: () => void;
  private stamp = '';
  private lastDataVersion = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private localWrite = true;

  /**
   * `readVersions` returns the versions that make up the stamp (e.g. publication and digest versions);
   * it runs only when something may have changed.
   */
  constructor(
    db: Database.Database,
    private readonly readVersions: () => readonly (number | string)[],
    options: DataVersionOptions = {},
  ) {
    this.dataVersionQuery = db.prepare('PRAGMA data_version').pluck();
    this.checkIntervalMs = options.checkIntervalMs ?? DEFAULT_DATA_VERSION_CHECK_MS;
    this.now = options.now ?? Date.now;
    this.stopListening = onLocalWrite(db, () => {
      this.localWrite = true;
    });
  }

  /** The current stamp; equal stamps mean the versions were equal when last looked at. */
  current(): string {
    if (this.localWrite) {
      this.refresh();
      return this.stamp;
    }
    const now = this.now();
    if (now - this.checkedAt >= this.checkIntervalMs) {
      this.checkedAt = now;
      const dataVersion = this.dataVersionQuery.get() as number;
      if (dataVersion !== this.lastDataVersion) this.refresh(dataVersion);
    }
    return this.stamp;
  }

  private refresh(dataVersion: number = this.dataVersionQuery.get() as number): void {
    this.localWrite = false;
    this.lastDataVersion = dataVersion;
    this.checkedAt = this.now();
    this.stamp = this.readVersions().join('.');
  }

  close(): void {
    this.stopListening();
  }
}
