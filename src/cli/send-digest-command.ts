import type { DigestSendReport } from '../newsletter/send-digest';
import type { Newsletter } from '../newsletter/newsletter';

/**
 * Mails the newest stored digest issue to every confirmed subscriber who has not received it, and
 * prints the counts. Exit code 0 when nothing failed, 1 when some mails failed after every retry (a
 * later run retries them), 3 when another send run holds the lock, 4 when no issue is stored yet.
 */
export async function sendDigestCommand(newsletter: Newsletter, out: NodeJS.WritableStream): Promise<number> {
  const report = await newsletter.sendLatest();
  if (report === null) {
    out.write('No digest issue is stored yet: build one with `npm run cli -- digest` first.\n');
    return 4;
  }
  out.write(describeSendReport(report));
  if (report.outcome === 'locked') return 3;
  return report.failed.length > 0 ? 1 : 0;
}

export function describeSendReport(report: DigestSendReport): string {
  if (report.outcome === 'locked') {
    return `Digest ${report.periodDate}: another send run is in progress; nothing sent. Try again when it has finished.\n`;
  }
  const lines = [
    `Digest ${report.periodDate} (id ${report.digestId}) via ${report.transport}`,
    `  sent now:       ${report.sent}`,
    `  already sent:   ${report.alreadySent}`,
    `  failed:         ${report.failed.length}`,
  ];
  for (const failure of report.failed) {
    lines.push(`    ${failure.email}: ${failure.error} (${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}; the next run retries)`);
  }
  return `${lines.join('\n')}\n`;
}
