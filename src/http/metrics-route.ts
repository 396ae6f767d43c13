/**
 * GET /metrics (Prometheus text format) and the per-route request counter behind it.
 *
 * Only requests that reach Express are observed (the response memo's hot path is counted by the memo
 * itself, read at scrape time), and by route pattern, never by raw URL, so the label set stays small.
 * Not cached and not memoized; behind a proxy, keep it internal (README: reverse proxy).
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { ServiceMetrics } from '../metrics/service-metrics';

export function observeRequests(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      const pattern =
        typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : res.statusCode === 404 ? '(unmatched)' : '(middleware)';
      metrics.observeHttp(pattern, req.method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

export function createMetricsRouter(metrics: ServiceMetrics): express.Router {
  const router = express.Router();
  router.get('/metrics', async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const body = await metrics.render();
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Type', metrics.contentType());
      res.end(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
