/** The newsletter's own small pages: sign-up answers, confirm and unsubscribe buttons. Plain text in, safe HTML out. */
import escapeHtml from 'escape-html';
import { renderPageShell } from '../story-page';
import { renderSignupForm } from './signup-form';

function page(siteTitle: string, title: string, bodyHtml: string): string {
  return renderPageShell(
    `${title} — ${siteTitle}`,
    '<meta name="robots" content="noindex">',
    `<p class="crumbs"><a href="/">${escapeHtml(siteTitle)}</a></p>\n<h1>${escapeHtml(title)}</h1>\n${bodyHtml}`,
  );
}

export function renderCheckInboxPage(siteTitle: string, confirmDays: number): string {
  return page(
    siteTitle,
    'Check your inbox',
    `<p>If this address can receive the digest, a mail with a confirmation link is on its way. Open it and press
<strong>Confirm subscription</strong>; the link works for ${confirmDays} day${confirmDays === 1 ? '' : 's'}.</p>
<p class="muted">Nothing arrived? Look in the spam folder, or try again in a few minutes.</p>`,
  );
}

export function renderSignupProblemPage(siteTitle: string, problem: string, email: string): string {
  return page(siteTitle, 'Please check your address', renderSignupForm({ heading: 'Subscribe to the digest', problem, email }));
}

export function renderSignupPage(siteTitle: string): string {
  return page(siteTitle, 'The digest by e-mail', renderSignupForm({ heading: 'Subscribe to the digest' }));
}

export function renderThrottledPage(siteTitle: string): string {
  return page(siteTitle, 'Too many sign-ups', '<p>Too many sign-up requests came from your network. Please try again in a quarter of an hour.</p>');
}

/** GET of a link: a button that POSTs to the same URL (mail scanners that prefetch links change nothing). */
export function renderButtonPage(siteTitle: string, kind: 'confirm' | 'unsubscribe', actionUrl: string): string {
  const text =
    kind === 'confirm'
      ? { title: 'Confirm your subscription', lead: 'One more step: press the button to start receiving the digest twice a week.', button: 'Confirm subscription' }
      : { title: 'Unsubscribe', lead: 'Press the button to stop the digest. Your address is deleted at once.', button: 'Unsubscribe' };
  return page(
    siteTitle,
    text.title,
    `<p>${escapeHtml(text.lead)}</p>
<form method="post" action="${escapeHtml(actionUrl)}"><button type="submit" id="${kind}-button" style="padding:.6rem 1.2rem;font:inherit;border:0;border-radius:.4rem;background:var(--accent,#3a5bd9);color:#fff;cursor:pointer">${escapeHtml(text.button)}</button></form>`,
  );
}

export function renderConfirmedPage(siteTitle: string): string {
  return page(siteTitle, 'You are subscribed', '<p>Thank you. The next digest arrives on its next publishing day. Every mail has a link to unsubscribe.</p><p><a href="/">Back to the latest stories</a></p>');
}

export function renderUnsubscribedPage(siteTitle: string): string {
  return page(siteTitle, 'You are unsubscribed', '<p>You will get no more digests, and your address has been deleted.</p><p><a href="/">Back to the latest stories</a></p>');
}

export function renderBadLinkPage(siteTitle: string, problem: 'invalid' | 'expired'): string {
  return problem === 'expired'
    ? page(siteTitle, 'This link has expired', `<p>Confirmation links work for a few days. Please subscribe again.</p>${renderSignupForm({ heading: 'Subscribe to the digest' })}`)
    : page(siteTitle, 'This link is not valid', '<p>It may have been shortened by your mail program, or the subscription it belongs to no longer exists (unsubscribed or never confirmed).</p><p><a href="/newsletter/subscribe">Subscribe</a> · <a href="/">Latest stories</a></p>');
}

export function renderRefusedPage(siteTitle: string, reason: string): string {
  return page(siteTitle, 'Request refused', `<p>Refused: ${escapeHtml(reason)}.</p>`);
}
