/**
 * The scheduled digest job: build the issues that are due, then mail the current issue to confirmed
 * subscribers who lack it. Run at every digest tick and once at start-up, so it also finishes a send
 * that a restart cut short. It mails only readers confirmed by the time the issue was built: someone who
 * subscribes on Tuesday gets Thursday's issue, not Monday's (`send-digest` by hand mails everyone).
 */
import type { DigestBuilder, DigestBuildResult } from '../digest/build-digest';
import type { Logger } from '../logger';
import type { DigestSendReport, SendOptions } from '../newsletter/send-digest';
import type { Digest } from '../digest/digest-types';

export interface DigestJobDeps {
  builder: Pick<DigestBuilder, 'buildDue' | 'buildLatest'>;
  newsletter: { sendIssue(digest: Digest, options?: SendOptions): Promise<DigestSendReport> };
  logger: Pick<Logger, 'info'>;
}

export interface DigestJobResult {
  built: DigestBuildResult[];
  send: DigestSendReport;
}

export async function runDigestJob(deps: DigestJobDeps, now: Date = new Date()): Promise<DigestJobResult> {
  const built = deps.builder.buildDue(now);
  for (const result of built) {
    deps.logger.info('digest', { period_end: result.digest.periodEnd, created: result.created });
  }
  const current = deps.builder.buildLatest(now).digest;
  const send = await deps.newsletter.sendIssue(current, { confirmedBefore: new Date(current.createdAt) });
  deps.logger.info('newsletter send', { digest: send.periodDate, outcome: send.outcome, sent: send.sent, failed: send.failed.length });
  return { built, send };
}
