/**
 * The double opt-in mail. Its link opens a page with a confirm button; only the button's POST
 * confirms, so a mail scanner that prefetches links subscribes nobody.
 */
import escapeHtml from 'escape-html';
import type { SiteInfo } from '../publish/feed-builder';
import { toFeedText } from '../publish/xml-safe-text';
import type { OutgoingMail } from './mail-transport';

export function buildConfirmationMail(input: {
  site: SiteInfo;
  from: string;
  to: string;
  confirmUrl: string;
  confirmDays: number;
}): OutgoingMail {
  const siteTitle = toFeedText(input.site.title);
  const days = `${input.confirmDays} day${input.confirmDays === 1 ? '' : 's'}`;
  const text = `Please confirm your subscription to the ${siteTitle} digest.

Open this link and press "Confirm subscription":
${input.confirmUrl}

Twice a week: the most important stories in generative image and video AI, distilled into a 2-minute read.
The link works for ${days}. If you did not ask for this, ignore this mail: you will not be subscribed
and we delete the address.
`;
  const link = escapeHtml(input.confirmUrl);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Confirm your subscription</title></head>
<body style="margin:0;padding:24px 20px;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1d2330">
<p>Please confirm your subscription to the <strong>${escapeHtml(siteTitle)}</strong> digest.</p>
<p><a class="confirm" href="${link}" style="display:inline-block;padding:10px 18px;background:#3a5bd9;color:#ffffff;border-radius:6px;text-decoration:none">Confirm subscription</a></p>
<p style="color:#5b6475;font-size:13px">Twice a week: the most important stories in generative image and video AI, distilled into a 2-minute read.
The link works for ${escapeHtml(days)}. If you did not ask for this, ignore this mail: you will not be subscribed and we delete the address.</p>
</body></html>
`;
  return { from: input.from, to: input.to, subject: `Confirm your subscription to ${siteTitle}`, text, html };
}
