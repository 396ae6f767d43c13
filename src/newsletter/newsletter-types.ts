/**
 * The newsletter's domain: subscribers (double opt-in), and the per-subscriber, per-issue send log.
 * Addresses are stored normalized (see email-address.ts); an unsubscribed address is deleted, not kept.
 */

export type SubscriberStatus = 'pending' | 'confirmed';

export interface Subscriber {
  id: number;
  email: string;
  /** Random per sign-up; part of every signed link, so links of a deleted address never work again. */
  nonce: string;
  status: SubscriberStatus;
  /** ISO 8601. */
  createdAt: string;
  confirmedAt: string | null;
  /** When the last confirmation mail went out (resends are throttled per address). */
  confirmationSentAt: string | null;
}

export interface SubscriberCounts {
  confirmed: number;
  pending: number;
}

export type SendStatus = 'sending' | 'sent' | 'failed';

/** One subscriber's delivery of one digest issue. */
export interface SendRecord {
  subscriberId: number;
  digestId: number;
  status: SendStatus;
  attempts: number;
  lastError: string | null;
}
