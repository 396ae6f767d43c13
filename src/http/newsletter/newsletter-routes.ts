/**
 * The newsletter's public endpoints.
 *
 *   GET  /newsletter/subscribe                the sign-up form on its own page
 *   POST /newsletter/subscribe                field `email`, form-encoded or JSON. Same answer for every valid
 *                                             address (never says whether it is subscribed); throttled per client
 *                                             address; browser posts from other sites are refused
 *   GET  /newsletter/confirm?token=…          a page with a confirm button
 *   POST /newsletter/confirm?token=…          confirms (double opt-in; link prefetchers only GET)
 *   GET  /newsletter/unsubscribe?token=…      a page with an unsubscribe button
 *   POST /newsletter/unsubscribe?token=…      RFC 8058 one-click: deletes the address at once
 *
 * CSRF: the sign-up form carries no token (the pages including it are cached), and needs none: it has
 * no ambient authority (no cookies), browsers mark a cross-site POST with Origin / Sec-Fetch-Site and
 * those are refused, a JSON body cannot be posted cross-site without a CORS preflight we never grant,
 * and the worst a forged sign-up can do is send one throttled confirmation mail. The unsubscribe POST is
 * exempt from the origin check on purpose: mail providers send it from their servers, and the signed
 * token is the authority.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { LinkResult, Subscriptions } from '../../newsletter/subscriptions';
import { crossOriginReason } from '../review/cross-origin';
import {
  renderBadLinkPage,
  renderButtonPage,
  renderCheckInboxPage,
  renderConfirmedPage,
  renderRefusedPage,
  renderSignupPage,
  renderSignupProblemPage,
  renderThrottledPage,
  renderUnsubscribedPage,
} from './newsletter-pages';

export interface NewsletterRouterDeps {
  subscriptions: Subscriptions;
  siteTitle: string;
  confirmDays: number;
  /** Sign-up requests allowed per client address per window. */
  signupsPerWindow: number;
  windowMs?: number;
}

const CHECK_INBOX_MESSAGE = 'If this address can receive the digest, a confirmation mail is on its way. Open its link to confirm.';

function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || (req.accepts(['html', 'json']) === 'json');
}

/**
 * Whom a sign-up counts against: the client address (req.ip, so `server.trustProxy` decides), and for
 * IPv6 its /64 network, since one host can use any address of its /64.
 */
export function throttleKey(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${(address as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

function fields(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

function tokenOf(req: Request): unknown {
  return req.query.token ?? fields(req).token;
}

/** The same path and token, for the button's form action (relative, so it works behind any proxy). */
function actionUrl(path: string, token: unknown): string {
  return `${path}?token=${encodeURIComponent(typeof token === 'string' ? token : '')}`;
}

export function createNewsletterRouter(deps: NewsletterRouterDeps): express.Router {
  const { subscriptions, siteTitle } = deps;
  const router = express.Router();
  const parseBody = [
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    express.json({ limit: '4kb' }),
  ];
  const html = (res: Response, status: number, body: string) => res.status(status).type('html').send(body);

  router.use('/newsletter', (_req, res, next) => {
    // Pages carry signed tokens in their URL: never cache them, never send them to another site in a
    // Referer. ("no-referrer" would also make Chromium send "Origin: null" with the page's own button POST.)
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });

  // The same in-memory limiter the review page uses against token guessing (one process).
  const limiter = new RateLimiterMemory({ points: deps.signupsPerWindow, duration: Math.ceil((deps.windowMs ?? 15 * 60_000) / 1000) });
  const throttle = (req: Request, res: Response, next: NextFunction): void => {
    limiter.consume(throttleKey(req.ip)).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
        if (wantsJson(req)) res.status(429).json({ error: 'too_many_requests', message: 'Too many sign-ups from your address; try again later.' });
        else html(res, 429, renderThrottledPage(siteTitle));
      },
    );
  };

  router.get('/newsletter/subscribe', (_req, res) => html(res, 200, renderSignupPage(siteTitle)));

  router.post('/newsletter/subscribe', throttle, ...parseBody, (req, res) => {
    const refused = crossOriginReason(req);
    if (refused !== null) {
      if (wantsJson(req)) return res.status(403).json({ error: 'cross_origin', message: `Refused: ${refused}.` });
      return html(res, 403, renderRefusedPage(siteTitle, refused));
    }
    const email = fields(req).email;
    const result = subscriptions.subscribe(email);
    if (!result.ok) {
      if (wantsJson(req)) return res.status(400).json({ error: 'invalid_email', message: result.problem });
      return html(res, 400, renderSignupProblemPage(siteTitle, result.problem, typeof email === 'string' ? email.slice(0, 254) : ''));
    }
    if (wantsJson(req)) return res.status(202).json({ status: 'check_inbox', message: CHECK_INBOX_MESSAGE });
    html(res, 202, renderCheckInboxPage(siteTitle, deps.confirmDays));
  });

  const linkPage = (kind: 'confirm' | 'unsubscribe') => (req: Request, res: Response) => {
    const token = tokenOf(req);
    const link = subscriptions.resolveLink(kind, token);
    if ('problem' in link) return html(res, link.problem === 'expired' ? 410 : 404, renderBadLinkPage(siteTitle, link.problem));
    html(res, 200, renderButtonPage(siteTitle, kind, actionUrl(`/newsletter/${kind}`, token)));
  };

  const answer = (req: Request, res: Response, result: LinkResult, donePage: string) => {
    if (wantsJson(req)) {
      return res.status(result === 'done' ? 200 : result === 'expired' ? 410 : 404).json({ status: result });
    }
    if (result === 'done') return html(res, 200, donePage);
    html(res, result === 'expired' ? 410 : 404, renderBadLinkPage(siteTitle, result));
  };

  router.get('/newsletter/confirm', linkPage('confirm'));
  router.post('/newsletter/confirm', ...parseBody, (req, res) => {
    const refused = crossOriginReason(req);
    if (refused !== null) return html(res, 403, renderRefusedPage(siteTitle, refused));
    answer(req, res, subscriptions.confirm(tokenOf(req)), renderConfirmedPage(siteTitle));
  });

  router.get('/newsletter/unsubscribe', linkPage('unsubscribe'));
  router.post('/newsletter/unsubscribe', ...parseBody, (req, res) => {
    answer(req, res, subscriptions.unsubscribe(tokenOf(req)), renderUnsubscribedPage(siteTitle));
  });

  return router;
}
