/**
 * Mails one digest issue to every confirmed subscriber who has not received it.
 *
 * The send log (newsletter_sends) makes this safe to repeat and to kill: before a mail goes out its
 * row says 'sending'; right after the server accepts it, 'sent' is committed (SQLite WAL,
 * synchronous=NORMAL: durable across a process crash). A later run sends to everyone without a 'sent'
 * row and to no one else. The only window for a double send is between the server's "250 accepted"
 * and that commit (microseconds of local work); the deterministic Message-ID lets mailbox providers
 * that de-duplicate collapse even that case. Only one run sends at a time (a lock in the database,
 * taken over at once when its holder's process is gone).
 */
import { randomBytes } from 'node:crypto';
import type { Digest } from '../digest/digest-types';
import type { Logger } from '../logger';
import type { SiteInfo } from '../publish/feed-builder';
import type { SubscribersRepository } from '../store/subscribers-repository';
import { buildDigestMail, digestMessageId, type LeadImageLookup } from './digest-mail';
import type { LinkSigner } from './link-tokens';
import type { MailTransport } from './mail-transport';
import type { Subscriber } from './newsletter-types';
import { retryDelayMs, sleep } from './retry';
import { newsletterPath } from './subscriptions';

/** How long a send run's lock lasts without renewal; renewed before every mail. */
const LOCK_LEASE_MS = 10 * 60_000;

export interface DigestSendDeps {
  subscribers: SubscribersRepository;
  transport: MailTransport;
  signer: LinkSigner;
  site: SiteInfo;
  from: string;
  maxAttempts: number;
  retryBaseMs: number;
  leadImage: LeadImageLookup;
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
  wait?: (ms: number) => Promise<void>;
}

export interface FailedSend {
  subscriberId: number;
  email: string;
  attempts: number;
  error: string;
}

export interface DigestSendReport {
  digestId: number;
  periodDate: string;
  /** 'locked': another run is sending right now; nothing was done. */
  outcome: 'done' | 'locked';
  /** Mails accepted in this run. */
  sent: number;
  /** Confirmed subscribers who already had this issue before the run. */
  alreadySent: number;
  failed: FailedSend[];
  transport: string;
}

export interface SendOptions {
  /** Only subscribers confirmed at or before this time (the scheduled job: those subscribed when the issue was built). */
  confirmedBefore?: Date;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function sendDigestIssue(digest: Digest, deps: DigestSendDeps, options: SendOptions = {}): Promise<DigestSendReport> {
  const now = deps.now ?? (() => new Date());
  const wait = deps.wait ?? sleep;
  const { subscribers } = deps;
  const holder = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const report: DigestSendReport = {
    digestId: digest.id,
    periodDate: digest.periodDate,
    outcome: 'done',
    sent: 0,
    alreadySent: 0,
    failed: [],
    transport: deps.transport.description,
  };
  const lease = () => {
    const at = now();
    return subscribers.acquireSendLock(holder, process.pid, new Date(at.getTime() + LOCK_LEASE_MS), at, processIsAlive);
  };
  if (!lease()) return { ...report, outcome: 'locked' };
  try {
    report.alreadySent = subscribers.countSent(digest.id);
    const recipients = subscribers
      .listUnsent(digest.id)
      .filter((s) => options.confirmedBefore === undefined || (s.confirmedAt !== null && Date.parse(s.confirmedAt) <= options.confirmedBefore.getTime()));
    for (const recipient of recipients) {
      if (!lease()) throw new Error('lost the newsletter send lock (another run took it over)');
      const failure = await sendOne(digest, recipient, deps, now, wait);
      if (failure === null) report.sent += 1;
      else if (failure !== 'gone') report.failed.push(failure);
    }
  } finally {
    subscribers.releaseSendLock(holder);
  }
  deps.logger.info('newsletter: digest sent', {
    digest: digest.periodDate,
    sent: report.sent,
    already_sent: report.alreadySent,
    failed: report.failed.length,
    via: deps.transport.kind,
  });
  return report;
}

/** null when sent; 'gone' when the reader unsubscribed meanwhile; otherwise the failure after every retry. */
async function sendOne(
  digest: Digest,
  recipient: Subscriber,
  deps: DigestSendDeps,
  now: () => Date,
  wait: (ms: number) => Promise<void>,
): Promise<FailedSend | 'gone' | null> {
  const { subscribers } = deps;
  const unsubscribeUrl = `${deps.site.baseUrl}${newsletterPath('unsubscribe')}?token=${encodeURIComponent(deps.signer.sign('unsubscribe', recipient))}`;
  const mail = {
    ...buildDigestMail({ site: deps.site, digest, from: deps.from, to: recipient.email, unsubscribeUrl, leadImage: deps.leadImage }),
    messageId: digestMessageId(deps.site, digest.id, recipient.id),
  };
  let lastError = '';
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt += 1) {
    // Re-read: an unsubscribe while the run is going (or a retry's wait) must stop the mail.
    const current = subscribers.findById(recipient.id);
    if (current === null || current.status !== 'confirmed' || current.nonce !== recipient.nonce) return 'gone';
    subscribers.markSending(recipient.id, digest.id, now());
    try {
      await deps.transport.send(mail);
      subscribers.markSent(recipient.id, digest.id, now());
      return null;
    } catch (error) {
      const sendError = error as Error & { permanent?: boolean };
      lastError = sendError.message;
      subscribers.markFailed(recipient.id, digest.id, lastError, now());
      deps.logger.warn('newsletter: digest mail failed', { subscriber: recipient.id, attempt, error: lastError });
      if (sendError.permanent === true) break;
      if (attempt < deps.maxAttempts) await wait(retryDelayMs(deps.retryBaseMs, attempt));
    }
  }
  const record = subscribers.sendRecord(recipient.id, digest.id);
  return { subscriberId: recipient.id, email: recipient.email, attempts: record?.attempts ?? 0, error: lastError };
}
