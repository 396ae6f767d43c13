/**
 * The newsletter stage as the service and the CLI use it: one transport, one link signer, sign-ups,
 * and "send the latest digest issue". Built from config by createNewsletter.
 */
import type { Digest } from '../digest/digest-types';
import type { SiteInfo } from '../publish/feed-builder';
import type { Services } from '../services';
import { DigestsRepository } from '../store/digests-repository';
import { SubscribersRepository } from '../store/subscribers-repository';
import type { LeadImageLookup } from './digest-mail';
import { LinkSigner } from './link-tokens';
import { createMailTransport, type MailTransport } from './mail-transport';
import { sendDigestIssue, type DigestSendReport, type SendOptions } from './send-digest';
import { Subscriptions } from './subscriptions';

export interface Newsletter {
  subscriptions: Subscriptions;
  transport: MailTransport;
  /** Mails the newest stored issue to confirmed subscribers who lack it; null when no issue exists yet. */
  sendLatest(options?: SendOptions): Promise<DigestSendReport | null>;
  /** Mails this issue (see sendDigestIssue). */
  sendIssue(digest: Digest, options?: SendOptions): Promise<DigestSendReport>;
  /** Waits for background confirmation mails, then closes the transport. */
  close(): Promise<void>;
}

export interface NewsletterOptions {
  /** Tests shorten waits between retries. */
  wait?: (ms: number) => Promise<void>;
  /** Lead image per story; defaults to the stored story's image (shown as a placeholder when it has none). */
  leadImage?: LeadImageLookup;
}

export function siteInfoOf(config: Services['config']): SiteInfo {
  return { baseUrl: config.publicBaseUrl, title: config.server.siteTitle, description: config.server.siteDescription };
}

export function createNewsletter(
  services: Pick<Services, 'config' | 'db' | 'logger' | 'stories'>,
  options: NewsletterOptions = {},
): Newsletter {
  const { config, db, logger, stories } = services;
  const settings = config.newsletter;
  const subscribers = new SubscribersRepository(db);
  const digests = new DigestsRepository(db);
  const signer = new LinkSigner(settings.secret ?? subscribers.signingSecret());
  const transport = createMailTransport({ smtpUrl: settings.smtpUrl, outboxDir: settings.outboxDir });
  const site = siteInfoOf(config);
  const subscriptions = new Subscriptions({ subscribers, transport, signer, site, settings, logger });
  // Read when the mail is built, so an image found after the issue was stored still shows.
  const leadImage = options.leadImage ?? ((storyId: number) => stories.getStory(storyId)?.imageUrl ?? null);
  const sendIssue = (digest: Digest, sendOptions: SendOptions = {}) => {
    subscriptions.purgeExpired(new Date());
    return sendDigestIssue(
      digest,
      {
        subscribers,
        transport,
        signer,
        site,
        from: settings.from,
        maxAttempts: settings.maxAttempts,
        retryBaseMs: settings.retryBaseMs,
        leadImage,
        logger,
        wait: options.wait,
      },
      sendOptions,
    );
  };
  return {
    subscriptions,
    transport,
    sendIssue,
    async sendLatest(sendOptions) {
      const [latest] = digests.listNewest(1);
      return latest === undefined ? null : sendIssue(latest, sendOptions);
    },
    async close() {
      await subscriptions.settled();
      transport.close();
    },
  };
}
