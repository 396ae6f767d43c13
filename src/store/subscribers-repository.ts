/**
 * Newsletter storage (migration 30): subscribers, the per-issue send log, the link-signing secret and
 * the single-sender lock. Every write that decides "was this mail sent" is one synchronous statement,
 * committed before the next mail starts, so a killed process leaves an exact record behind.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SendRecord, Subscriber, SubscriberCounts } from '../newsletter/newsletter-types';

interface SubscriberRow {
  id: number;
  email: string;
  nonce: string;
  status: 'pending' | 'confirmed';
  created_at: string;
  confirmed_at: string | null;
  confirmation_sent_at: string | null;
}

function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    nonce: row.nonce,
    status: row.status,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    confirmationSentAt: row.confirmation_sent_at,
  };
}

export type SignUpOutcome =
  /** A new pending row: send a confirmation mail. */
  | { kind: 'created'; subscriber: Subscriber }
  /** Already pending: a confirmation mail may be re-sent (the caller throttles). */
  | { kind: 'pending'; subscriber: Subscriber }
  /** Already confirmed: nothing to do (the HTTP answer must not say so). */
  | { kind: 'confirmed'; subscriber: Subscriber };

export class SubscribersRepository {
  constructor(private readonly db: Database.Database) {}

  /** Adds a pending sign-up unless the address exists; either way says what the address's state is. */
  signUp(email: string, now: Date): SignUpOutcome {
    return this.db.transaction((): SignUpOutcome => {
      const existing = this.findByEmail(email);
      if (existing !== null) return { kind: existing.status, subscriber: existing };
      const nonce = randomBytes(12).toString('base64url');
      const id = this.db
        .prepare(`INSERT INTO newsletter_subscribers (email, nonce, status, created_at) VALUES (?, ?, 'pending', ?)`)
        .run(email, nonce, now.toISOString()).lastInsertRowid;
      return { kind: 'created', subscriber: this.findById(Number(id)) as Subscriber };
    })();
  }

  findById(id: number): Subscriber | null {
    const row = this.db.prepare('SELECT * FROM newsletter_subscribers WHERE id = ?').get(id) as SubscriberRow | undefined;
    return row ? toSubscriber(row) : null;
  }

  findByEmail(email: string): Subscriber | null {
    const row = this.db.prepare('SELECT * FROM newsletter_subscribers WHERE email = ?').get(email) as SubscriberRow | undefined;
    return row ? toSubscriber(row) : null;
  }

  markConfirmationSent(id: number, now: Date): void {
    this.db.prepare('UPDATE newsletter_subscribers SET confirmation_sent_at = ? WHERE id = ?').run(now.toISOString(), id);
  }

  /** Pending -> confirmed. Returns false when the row is gone (expired or unsubscribed). */
  confirm(id: number, now: Date): boolean {
    const result = this.db
      .prepare(
        `UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = COALESCE(confirmed_at, ?) WHERE id = ?`,
      )
      .run(now.toISOString(), id);
    return result.changes > 0;
  }

  /** Deletes the address and its send log: nothing of an unsubscribed reader is kept. */
  delete(id: number): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM newsletter_sends WHERE subscriber_id = ?').run(id);
      return this.db.prepare('DELETE FROM newsletter_subscribers WHERE id = ?').run(id).changes > 0;
    })();
  }

  /** Deletes pending sign-ups created before `cutoff`; returns how many. */
  deleteExpiredPending(cutoff: Date): number {
    return this.db
      .prepare(`DELETE FROM newsletter_subscribers WHERE status = 'pending' AND created_at < ?`)
      .run(cutoff.toISOString()).changes;
  }

  counts(): SubscriberCounts {
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM newsletter_subscribers GROUP BY status')
      .all() as { status: string; n: number }[];
    const of = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
    return { confirmed: of('confirmed'), pending: of('pending') };
  }

  /** Confirmed subscribers, oldest first (the CSV export). */
  listConfirmed(): Subscriber[] {
    const rows = this.db
      .prepare(`SELECT * FROM newsletter_subscribers WHERE status = 'confirmed' ORDER BY confirmed_at, id`)
      .all() as SubscriberRow[];
    return rows.map(toSubscriber);
  }

  /** Confirmed subscribers with no 'sent' record for the issue, in id order. */
  listUnsent(digestId: number): Subscriber[] {
    const rows = this.db
      .prepare(
        `SELECT s.* FROM newsletter_subscribers s
         WHERE s.status = 'confirmed'
           AND NOT EXISTS (SELECT 1 FROM newsletter_sends d
                           WHERE d.subscriber_id = s.id AND d.digest_id = ? AND d.status = 'sent')
         ORDER BY s.id`,
      )
      .all(digestId) as SubscriberRow[];
    return rows.map(toSubscriber);
  }

  countSent(digestId: number): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM newsletter_sends WHERE digest_id = ? AND status = 'sent'`)
      .pluck()
      .get(digestId) as number;
  }

  sendRecord(subscriberId: number, digestId: number): SendRecord | null {
    const row = this.db
      .prepare('SELECT * FROM newsletter_sends WHERE subscriber_id = ? AND digest_id = ?')
      .get(subscriberId, digestId) as
      | { subscriber_id: number; digest_id: number; status: SendRecord['status']; attempts: number; last_error: string | null }
      | undefined;
    return row
      ? { subscriberId: row.subscriber_id, digestId: row.digest_id, status: row.status, attempts: row.attempts, lastError: row.last_error }
      : null;
  }

  /** Records an attempt about to start (status 'sending'); a run killed now leaves it to be retried. */
  markSending(subscriberId: number, digestId: number, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO newsletter_sends (subscriber_id, digest_id, status, attempts, updated_at) VALUES (?, ?, 'sending', 1, ?)
         ON CONFLICT (subscriber_id, digest_id) DO UPDATE SET status = 'sending', attempts = attempts + 1, updated_at = excluded.updated_at
         WHERE status <> 'sent'`,
      )
      .run(subscriberId, digestId, now.toISOString());
  }

  markSent(subscriberId: number, digestId: number, now: Date): void {
    this.db
      .prepare(
        `UPDATE newsletter_sends SET status = 'sent', last_error = NULL, sent_at = ?, updated_at = ?
         WHERE subscriber_id = ? AND digest_id = ?`,
      )
      .run(now.toISOString(), now.toISOString(), subscriberId, digestId);
  }

  markFailed(subscriberId: number, digestId: number, error: string, now: Date): void {
    this.db
      .prepare(
        `UPDATE newsletter_sends SET status = 'failed', last_error = ?, updated_at = ?
         WHERE subscriber_id = ? AND digest_id = ? AND status <> 'sent'`,
      )
      .run(error.slice(0, 500), now.toISOString(), subscriberId, digestId);
  }

  /** The stored link-signing secret, created on first use. */
  signingSecret(): string {
    return this.db.transaction(() => {
      const stored = this.db.prepare('SELECT secret FROM newsletter_secret WHERE singleton = 1').pluck().get() as
        | string
        | undefined;
      if (stored !== undefined) return stored;
      const secret = randomBytes(32).toString('base64url');
      this.db.prepare('INSERT INTO newsletter_secret (singleton, secret) VALUES (1, ?)').run(secret);
      return secret;
    })();
  }

  /**
   * Takes the send lock for `holder` (this run) until `expiresAt`. Succeeds when the lock is free,
   * expired, already ours, or held by a process on this machine that no longer exists (killed).
   */
  acquireSendLock(holder: string, pid: number, expiresAt: Date, now: Date, isAlive: (pid: number) => boolean): boolean {
    return this.db.transaction(() => {
      const current = this.db.prepare('SELECT holder, pid, expires_at FROM newsletter_send_lock WHERE singleton = 1').get() as
        | { holder: string; pid: number; expires_at: string }
        | undefined;
      const free =
        current === undefined ||
        current.holder === holder ||
        current.expires_at < now.toISOString() ||
        !isAlive(current.pid);
      if (!free) return false;
      this.db
        .prepare(
          `INSERT INTO newsletter_send_lock (singleton, holder, pid, expires_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (singleton) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, expires_at = excluded.expires_at`,
        )
        .run(holder, pid, expiresAt.toISOString());
      return true;
    }).immediate();
  }

  releaseSendLock(holder: string): void {
    this.db.prepare('DELETE FROM newsletter_send_lock WHERE singleton = 1 AND holder = ?').run(holder);
  }
}
