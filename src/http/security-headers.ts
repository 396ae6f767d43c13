/**
 * Baseline response headers for every route.
 *
 * The CSP fits this package's pages (inline CSS, no scripts). A router that needs more (e.g. a review
 * page with its own same-origin script) may overwrite Content-Security-Policy on its responses; the
 * defaults already allow `script-src 'self'` so that is rarely needed.
 */
import type { NextFunction, Request, Response } from 'express';

export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  // Story images are hotlinked from the outlets' own hosts (see http/story-image.ts).
  "img-src 'self' data: https: http:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', DEFAULT_CONTENT_SECURITY_POLICY);
  next();
}
