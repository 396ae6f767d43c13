/**
 * The newsletter sign-up form, included at the end of story pages and on the index page. Static HTML
 * (no per-visitor token), so the pages that include it can be cached per data version; the endpoint
 * is CSRF-safe without one (see newsletter-routes.ts). Inline styles: it sits in pages with different CSS.
 */
import escapeHtml from 'escape-html';

export const SIGNUP_PITCH =
  'Twice a week: the most important stories in generative image and video AI, distilled into a 2-minute read. Free. Unsubscribe any time. No spam, ever.';

export interface SignupFormOptions {
  heading?: string;
  /** Pre-filled address (after a validation error); plain text. */
  email?: string;
  /** A validation problem shown above the field; plain text. */
  problem?: string;
}

export function renderSignupForm(options: SignupFormOptions = {}): string {
  const heading = options.heading ?? 'Enjoy this story? Get the next one in your inbox.';
  const problem =
    options.problem === undefined ? '' : `<p class="signup-problem" role="alert" style="color:#b3261e;margin:.4rem 0">${escapeHtml(options.problem)}</p>`;
  return `<section class="newsletter-signup" aria-labelledby="newsletter-heading" style="margin:2.5rem 0 1rem;padding:1.1rem 1.2rem;border:1px solid var(--line,#dde1ea);border-radius:.6rem">
<h2 id="newsletter-heading" style="margin:0 0 .4rem;font-size:1.15rem;border:0;padding:0">${escapeHtml(heading)}</h2>
<p style="margin:0 0 .8rem">${escapeHtml(SIGNUP_PITCH)}</p>
${problem}<form method="post" action="/newsletter/subscribe" style="display:flex;flex-wrap:wrap;gap:.5rem;align-items:center">
<label for="newsletter-email" style="position:absolute;left:-9999px">E-mail address</label>
<input id="newsletter-email" name="email" type="email" required maxlength="254" autocomplete="email" placeholder="you@example.com" value="${escapeHtml(options.email ?? '')}" style="flex:1 1 16rem;padding:.5rem .6rem;font:inherit;border:1px solid var(--line,#c9cfdb);border-radius:.4rem">
<button type="submit" style="padding:.5rem 1rem;font:inherit;border:0;border-radius:.4rem;background:var(--accent,#3a5bd9);color:#fff;cursor:pointer">Subscribe</button>
</form>
</section>`;
}
