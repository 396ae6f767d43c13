import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { writeTransaction } from './write-transaction';

/** The stored form of a session id: a leaked database copy holds no usable session. */
const hashOf = (sessionId: string): string => createHash('sha256').update(sessionId, 'utf8').digest('hex');

/** Editor sessions that are still valid (table `editor_sessions`, migration 20). Times are epoch seconds. */
export class EditorSessionsRepository {
  private readonly activeQuery: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.activeQuery = db.prepare('SELECT 1 FROM editor_sessions WHERE id_hash = ? AND expires_at > ?').pluck();
  }

  /** Records a new session and forgets expired ones. */
  create(sessionId: string, editor: string, issuedAtSeconds: number, expiresAtSeconds: number): void {
    const now = new Date(issuedAtSeconds * 1000).toISOString();
    writeTransaction(this.db, 'the new editor session', () => {
      this.db.prepare('DELETE FROM editor_sessions WHERE expires_at <= ?').run(now);
      this.db
        .prepare('INSERT INTO editor_sessions (id_hash, editor, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(hashOf(sessionId), editor, now, new Date(expiresAtSeconds * 1000).toISOString());
    });
  }

  isActive(sessionId: string, nowSeconds: number): boolean {
    return this.activeQuery.get(hashOf(sessionId), new Date(nowSeconds * 1000).toISOString()) !== undefined;
  }

  /** Ends a session (sign-out). Returns whether it existed. */
  revoke(sessionId: string): boolean {
    return writeTransaction(this.db, 'the sign-out', () =>
      this.db.prepare('DELETE FROM editor_sessions WHERE id_hash = ?').run(hashOf(sessionId)).changes > 0,
    );
  }
}
