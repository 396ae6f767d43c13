/**
 * The Express application: a composition of route modules, nothing else.
 *
 * Later features add routers through `extraRouters` (mounted at the root, so each router owns its own
 * paths, e.g. /review, /api/..., /stories/...) and inherit the security headers, 404 and error handling.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { FeedHealth, PublishedStoryReader } from '../model';
import type { SiteInfo } from '../publish/feed-builder';
import { FeedCache } from '../publish/feed-cache';
import { StoreBusyError } from '../store/write-transaction';
import { createDemoRouter } from './demo-route';
import { createFeedRouter } from './feed-routes';
import { createHealthRouter } from './health-route';
import { createIndexRouter } from './index-page';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { createMetricsRouter, observeRequests } from './metrics-route';
import type { ResponseMemo } from './response-memo';
import { securityHeaders } from './security-headers';

export interface HttpLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppDeps {
  reader: PublishedStoryReader;
  feedHealth: () => FeedHealth[];
  site: SiteInfo;
  /** Folder served read-only at /demo/<file> (offline demo feeds); omitted in production. */
  demoDir?: string;
  logger?: HttpLogger;
  /** Routers from other features, mounted at the root after the public routes. */
  extraRouters?: express.Router[];
  /** Routers serving more specific /feeds/... paths (e.g. /feeds/digest.rss), mounted before the generic feed route. */
  feedRouters?: express.Router[];
  /** Express "trust proxy" (config `server.trustProxy`): lets req.ip / req.secure come from a reverse proxy. */
  trustProxy?: boolean | number | string | string[];
  /** Public responses kept per data version and answered before Express (withHotPath); none when omitted. */
  responseMemo?: ResponseMemo;
  /** Prometheus counters: observes routed requests and serves GET /metrics; none when omitted. */
  metrics?: ServiceMetrics;
  /** Rendered feed bodies kept in memory (default 64: 3 categories x 3 formats x a few pages, two versions). */
  feedCacheEntries?: number;
}

/** One JSON object per line on stderr: greppable and what log collectors expect. */
export const stderrJsonLogger: HttpLogger = {
  info: (message, fields) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

export function createApp(deps: AppDeps): express.Express {
  const logger = deps.logger ?? stderrJsonLogger;
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  app.use(securityHeaders);
  // After the security headers (the memo keeps them with the body), before every route.
  if (deps.responseMemo) app.use(deps.responseMemo.capture());
  if (deps.metrics) {
    app.use(observeRequests(deps.metrics));
    app.use(createMetricsRouter(deps.metrics));
  }
  app.use(createIndexRouter({ reader: deps.reader, site: deps.site }));
  for (const router of deps.feedRouters ?? []) app.use(router);
  app.use(createFeedRouter({ reader: deps.reader, site: deps.site, cache: new FeedCache(deps.feedCacheEntries ?? 64) }));
  app.use(createHealthRouter(deps.feedHealth));
  if (deps.demoDir !== undefined) app.use(createDemoRouter(deps.demoDir));
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

function isApiPath(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/');
}

function notFound(req: Request, res: Response): void {
  if (isApiPath(req)) {
    res.status(404).json({ error: 'not_found', message: `No API endpoint ${req.method} ${req.path}.` });
    return;
  }
  res.status(404).type('html').send(messagePage('Not found', 'There is nothing at this address. The feeds are listed on the <a href="/">home page</a>.'));
}

/** Shape of errors thrown by Express middleware such as body parsers (http-errors). */
interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

function errorHandler(logger: HttpLogger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (err instanceof StoreBusyError && !res.headersSent) {
      sendBusy(err, req, res, logger);
      return;
    }
    const httpish = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
    const declared = Number(httpish.status ?? httpish.statusCode);
    // Client errors raised by middleware (malformed JSON body, payload too large) keep their status.
    const status = Number.isInteger(declared) && declared >= 400 && declared < 500 ? declared : 500;
    if (status === 500) {
      logger.error('request failed', {
        method: req.method,
        path: req.path,
        error: err instanceof Error ? err.message : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      });
    }
    if (res.headersSent) {
      // Too late for a clean response; let Express close the connection.
      next(err);
      return;
    }
    const message =
      status === 500
        ? 'Something went wrong on our side. The error has been logged.'
        : httpish.expose === true && typeof httpish.message === 'string'
          ? httpish.message
          : 'The request could not be processed.';
    if (isApiPath(req)) {
      res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message });
      return;
    }
    res.status(status).type('html').send(messagePage(status === 500 ? 'Server error' : 'Bad request', escapeHtml(message)));
  };
}

/**
 * Another process held the database's write lock past the busy timeout: nothing was saved, so the
 * client is told to retry (an editor's decision must never be silently lost).
 */
function sendBusy(err: StoreBusyError, req: Request, res: Response, logger: HttpLogger): void {
  logger.info('write refused: database busy', { method: req.method, path: req.path, operation: err.operation });
  res.setHeader('Retry-After', String(err.retryAfterSeconds));
  const message = `The database is busy with another writer (e.g. a fetch run); nothing was changed. Try again in ${err.retryAfterSeconds} s.`;
  if (isApiPath(req) || (req.get('accept') ?? '').includes('application/json')) {
    res.status(503).json({ error: 'busy', message });
    return;
  }
  res.status(503).type('html').send(messagePage('Busy, nothing was changed', escapeHtml(message)));
}

/** `bodyHtml` must already be safe HTML. */
function messagePage(title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${bodyHtml}</p></body></html>`;
}
