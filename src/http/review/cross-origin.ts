/**
 * Rejects state-changing requests that a browser sent on behalf of another site.
 *
 * Defence in depth next to SameSite=Strict cookies and CSRF tokens: browsers label every request with
 * Sec-Fetch-Site, and POSTs with Origin. Clients that send neither (curl, server-to-server API calls)
 * are not browsers acting for another site, so they pass.
 */
import type { Request } from 'express';

/** Why the request looks cross-origin, or null when it is same-origin (or not from a browser). */
export function crossOriginReason(req: Request): string | null {
  const site = req.get('sec-fetch-site');
  // "none" is a user-initiated navigation (address bar, bookmark), never another site's page.
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `the browser marked it as sent from another site (Sec-Fetch-Site: ${site.slice(0, 20)})`;
  }
  const origin = req.get('origin');
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'its Origin header is not a URL';
  }
  // Host only, not scheme: behind a TLS-terminating proxy this server sees http while the browser says https.
  if (originHost === '' || originHost !== req.get('host')) {
    return `it came from ${origin.slice(0, 100)}, not from this site`;
  }
  return null;
}
