/**
 * Sign-up, double opt-in confirmation and unsubscribe. HTTP-free: src/http/newsletter/ maps requests
 * onto these calls and renders the answers.
 *
 * The answer to a sign-up is the same whether the address is new, pending or already confirmed, and
 * the confirmation mail is sent in the background, so neither the response nor its timing says
 * whether an address is subscribed.
 */
import type { Logger } from '../logger';
import type { SiteInfo } from '../publish/feed-builder';
import type { SubscribersRepository } from '../store/subscribers-repository';
import { buildConfirmationMail } from './confirmation-mail';
import { normalizeEmailAddress } from './email-address';
import type { LinkPurpose, LinkSigner } from './link-tokens';
import type { MailTransport } from './mail-transport';
import type { Subscriber, SubscriberCounts } from './newsletter-types';
import { retryDelayMs, sleep } from './retry';

/** A pending address gets at most one confirmation mail per this interval, however often it is entered. */
export const CONFIRMATION_RESEND_INTERVAL_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export interface SubscriptionSettings {
  from: string;
  confirmDays: number;
  maxAttempts: number;
  retryBaseMs: number;
}

export interface SubscriptionDeps {
  subscribers: SubscribersRepository;
  transport: MailTransport;
  signer: LinkSigner;
  site: SiteInfo;
  settings: SubscriptionSettings;
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

export type SubscribeResult = { ok: true } | { ok: false; problem: string };
export type LinkResult = 'done' | 'invalid' | 'expired';

export function newsletterPath(purpose: LinkPurpose): string {
  return purpose === 'confirm' ? '/newsletter/confirm' : '/newsletter/unsubscribe';
}

export class Subscriptions {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => Date;

  constructor(private readonly deps: SubscriptionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  linkUrl(purpose: LinkPurpose, subscriber: Subscriber): string {
    return `${this.deps.site.baseUrl}${newsletterPath(purpose)}?token=${encodeURIComponent(this.deps.signer.sign(purpose, subscriber))}`;
  }

  /** Validates and records a sign-up; the confirmation mail goes out in the background. */
  subscribe(rawEmail: unknown): SubscribeResult {
    const address = normalizeEmailAddress(rawEmail);
    if (!address.ok) return { ok: false, problem: address.problem };
    const now = this.now();
    this.purgeExpired(now);
    const outcome = this.deps.subscribers.signUp(address.email, now);
    if (outcome.kind === 'confirmed') return { ok: true };
    const lastSent = outcome.subscriber.confirmationSentAt;
    if (lastSent !== null && now.getTime() - Date.parse(lastSent) < CONFIRMATION_RESEND_INTERVAL_MS) return { ok: true };
    this.deps.subscribers.markConfirmationSent(outcome.subscriber.id, now);
    this.track(this.sendConfirmation(outcome.subscriber));
    return { ok: true };
  }

  /** The subscriber a link token proves, or why not. */
  resolveLink(purpose: LinkPurpose, token: unknown): { subscriber: Subscriber } | { problem: 'invalid' | 'expired' } {
    const id = this.deps.signer.claimedId(token);
    const subscriber = id === null ? null : this.deps.subscribers.findById(id);
    if (subscriber === null || !this.deps.signer.verify(purpose, token as string, subscriber)) return { problem: 'invalid' };
    if (purpose === 'confirm' && subscriber.status === 'pending' && this.isExpired(subscriber, this.now())) {
      return { problem: 'expired' };
    }
    return { subscriber };
  }

  confirm(token: unknown): LinkResult {
    const link = this.resolveLink('confirm', token);
    if ('problem' in link) {
      if (link.problem === 'expired') this.purgeExpired(this.now());
      return link.problem;
    }
    if (!this.deps.subscribers.confirm(link.subscriber.id, this.now())) return 'invalid';
    this.deps.logger.info('newsletter: subscription confirmed', { subscriber: link.subscriber.id });
    return 'done';
  }

  /** Deletes the address at once (RFC 8058 one-click); nothing of it is kept. */
  unsubscribe(token: unknown): LinkResult {
    const link = this.resolveLink('unsubscribe', token);
    if ('problem' in link) return 'invalid';
    this.deps.subscribers.delete(link.subscriber.id);
    this.deps.logger.info('newsletter: unsubscribed and deleted', { subscriber: link.subscriber.id });
    return 'done';
  }

  counts(): SubscriberCounts {
    this.purgeExpired(this.now());
    return this.deps.subscribers.counts();
  }

  confirmedSubscribers(): Subscriber[] {
    return this.deps.subscribers.listConfirmed();
  }

  /** Deletes sign-ups not confirmed within confirmDays. */
  purgeExpired(now: Date): number {
    return this.deps.subscribers.deleteExpiredPending(new Date(now.getTime() - this.deps.settings.confirmDays * DAY_MS));
  }

  /** Resolves when every background confirmation mail started so far has been sent or given up. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private isExpired(subscriber: Subscriber, now: Date): boolean {
    return now.getTime() - Date.parse(subscriber.createdAt) > this.deps.settings.confirmDays * DAY_MS;
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async sendConfirmation(subscriber: Subscriber): Promise<void> {
    const { settings, transport } = this.deps;
    const mail = buildConfirmationMail({
      site: this.deps.site,
      from: settings.from,
      to: subscriber.email,
      confirmUrl: this.linkUrl('confirm', subscriber),
      confirmDays: settings.confirmDays,
    });
    for (let attempt = 1; attempt <= settings.maxAttempts; attempt += 1) {
      try {
        await transport.send(mail);
        this.deps.logger.info('newsletter: confirmation mail sent', { subscriber: subscriber.id, via: transport.kind });
        return;
      } catch (error) {
        const sendError = error as Error & { permanent?: boolean };
        this.deps.logger.warn('newsletter: confirmation mail failed', {
          subscriber: subscriber.id,
          attempt,
          error: sendError.message,
        });
        if (sendError.permanent === true || attempt === settings.maxAttempts) return;
        await sleep(retryDelayMs(settings.retryBaseMs, attempt));
      }
    }
  }
}
