/**
 * /demo/<file>: read-only static files for the offline demo. The demo's feed list points at this
 * service's own origin, so the whole pipeline runs without internet access.
 *
 * Served through serve-static, so the demo exercises the fetcher's conditional GET (ETag /
 * Last-Modified) like a real publisher would.
 */
import path from 'node:path';
import express from 'express';

/**
 * Feed documents carry their encoding in the XML declaration (fixtures may be ISO-8859-1 on purpose),
 * so no charset parameter is added for them: a wrong one would override the declaration.
 */
const DEMO_CONTENT_TYPES: Record<string, string> = {
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.rdf': 'application/rdf+xml',
  '.xml': 'application/xml',
  '.opml': 'text/x-opml',
  '.json': 'application/json; charset=utf-8',
};

export function createDemoRouter(demoDir: string): express.Router {
  const router = express.Router();
  router.use(
    '/demo',
    express.static(path.resolve(demoDir), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      // Fixtures may be edited while the demo runs; always revalidate.
      cacheControl: true,
      maxAge: 0,
      setHeaders(res, filePath) {
        const type = DEMO_CONTENT_TYPES[path.extname(filePath).toLowerCase()];
        if (type !== undefined) res.setHeader('Content-Type', type);
      },
    }),
  );
  return router;
}
