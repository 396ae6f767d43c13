/**
 * Confirmed subscribers as CSV, for editors only:
 *   GET /api/newsletter/subscribers.csv       Authorization: Bearer <editor token>
 *   GET /review/newsletter/subscribers.csv    the review page's signed-in session (its link)
 * Pending sign-ups are not exported: they have not agreed to anything yet.
 */
import express from 'express';
import type { Request, Response } from 'express';
import type { Subscriber } from '../../newsletter/newsletter-types';
import { EditorAuth, readCookie, SESSION_COOKIE_NAME, type SessionStore } from '../review/editor-auth';
import type { GuessThrottle } from '../review/guess-throttle';

export interface SubscriberExportDeps {
  confirmedSubscribers: () => Subscriber[];
  editorToken: string | null;
  /** The review page's session store, so its signed-in (and signed-out) sessions count here too. */
  sessions?: SessionStore;
  /** The review routers' wrong-token throttle, so this Bearer check is no side door for guessing. */
  throttle?: GuessThrottle;
}

/** RFC 4180 field; a leading = + - @ is defused so spreadsheet programs never run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function subscribersCsv(subscribers: readonly Subscriber[]): string {
  const lines = ['email,subscribed_at,confirmed_at'];
  for (const s of subscribers) lines.push([s.email, s.createdAt, s.confirmedAt ?? ''].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function createSubscriberExportRouter(deps: SubscriberExportDeps): express.Router {
  const router = express.Router();
  const auth = deps.editorToken === null ? null : new EditorAuth(deps.editorToken, Date.now, deps.sessions);
  const send = (res: Response) => {
    const date = new Date().toISOString().slice(0, 10);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="subscribers-${date}.csv"`);
    res.type('text/csv; charset=utf-8').send(subscribersCsv(deps.confirmedSubscribers()));
  };
  const refuse = (res: Response) => {
    if (auth === null) return res.status(503).type('text/plain').send('Editor access is not set up (set EDITOR_TOKEN).\n');
    res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text/plain').send('The editor token is required.\n');
  };
  router.get('/api/newsletter/subscribers.csv', async (req: Request, res: Response) => {
    const address = req.ip ?? 'unknown';
    const wait = auth === null || deps.throttle === undefined ? null : await deps.throttle.retryAfter(address, 'api');
    if (wait !== null) {
      res.setHeader('Retry-After', String(wait));
      return res.status(429).type('text/plain').send(`Too many wrong editor tokens from this address; try again in ${wait} s.\n`);
    }
    if (auth === null || !auth.bearerMatches(req.get('authorization'))) {
      if (auth !== null) await deps.throttle?.recordFailure(address, 'api');
      return refuse(res);
    }
    await deps.throttle?.recordSuccess(address);
    send(res);
  });
  router.get('/review/newsletter/subscribers.csv', (req: Request, res: Response) => {
    if (auth === null || auth.verifySession(readCookie(req.get('cookie'), SESSION_COOKIE_NAME)) === null) return refuse(res);
    send(res);
  });
  return router;
}
