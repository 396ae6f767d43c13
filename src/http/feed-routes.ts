/**
 * Public subscriber feeds: GET/HEAD /feeds/:category.:format
 *
 * Order of work per request, cheapest first: validate input -> read the publication version ->
 * answer 304 if the client's copy is current -> serve a cached body -> only then read stories and render
 * (the last three, with gzip/brotli negotiation, in send-cached-feed.ts).
 */
import express from 'express';
import type { Request, Response } from 'express';
import type { PublishedStoryReader } from '../model';
import {
  FEED_CATEGORIES,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  feedPath,
  isFeedCategory,
  isFeedFormat,
  renderFeed,
  type FeedFormat,
  type SiteInfo,
} from '../publish/feed-builder';
import type { EncodedFeed, FeedCache } from '../publish/feed-cache';
import { feedEtags, httpDate } from '../publish/etag';
import { sendCachedFeed } from './send-cached-feed';

export const DEFAULT_FEED_LIMIT = 50;
export const MAX_FEED_LIMIT = 200;
/** Deep paging is never useful to a feed reader and would make SQLite skip huge offsets. */
export const MAX_FEED_PAGE = 1000;

/** Bump when the renderer's output changes for the same data, so clients do not keep stale bodies. */
const RENDERER_REVISION = '1';

export interface FeedRouteDeps {
  reader: PublishedStoryReader;
  site: SiteInfo;
  /** Rendered and compressed bodies by version; shared by nothing else. */
  cache: FeedCache<EncodedFeed>;
}

export type FeedPaging = { limit: number; page: number; offset: number };
export type FeedPagingResult = { ok: true; paging: FeedPaging } | { ok: false; message: string };

export function parseFeedPaging(query: Record<string, unknown>): FeedPagingResult {
  const limit = parsePositiveInteger(query.limit, 'limit', DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT);
  if (!limit.ok) return limit;
  const page = parsePositiveInteger(query.page, 'page', 1, MAX_FEED_PAGE);
  if (!page.ok) return page;
  return { ok: true, paging: { limit: limit.value, page: page.value, offset: (page.value - 1) * limit.value } };
}

function parsePositiveInteger(
  raw: unknown,
  name: string,
  fallback: number,
  max: number,
): { ok: true; value: number } | { ok: false; message: string } {
  if (raw === undefined) return { ok: true, value: fallback };
  if (typeof raw !== 'string') return { ok: false, message: `Give "${name}" once, as a whole number from 1 to ${max}.` };
  if (!/^[0-9]{1,6}$/.test(raw)) {
    return { ok: false, message: `"${name}" must be a whole number from 1 to ${max}; got "${raw.slice(0, 40)}".` };
  }
  const value = Number(raw);
  if (value < 1 || value > max) {
    return { ok: false, message: `"${name}" must be from 1 to ${max}; got ${value}.` };
  }
  return { ok: true, value };
}

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: `${FEED_MEDIA_TYPES.rss}; charset=utf-8`,
  atom: `${FEED_MEDIA_TYPES.atom}; charset=utf-8`,
  json: `${FEED_MEDIA_TYPES.json}; charset=utf-8`,
};

export function createFeedRouter(deps: FeedRouteDeps): express.Router {
  const { reader, site, cache } = deps;
  const router = express.Router();
  // Everything besides the data that shapes the bytes; part of the ETag so a config change revalidates.
  const etagVariant = `${RENDERER_REVISION}\n${site.baseUrl}\n${site.title}\n${site.description}`;

  router.get('/feeds/:category.:format', (req: Request, res: Response) => {
    const { category, format } = req.params as { category: string; format: string };
    if (!isFeedCategory(category)) {
      return badRequest(res, `Unknown feed category "${category.slice(0, 40)}". Use one of: ${FEED_CATEGORIES.join(', ')} (e.g. ${feedPath('video', 'rss')}).`);
    }
    if (!isFeedFormat(format)) {
      return badRequest(res, `Unknown feed format "${format.slice(0, 40)}". Use one of: ${FEED_FORMATS.join(', ')} (e.g. ${feedPath(category, 'atom')}).`);
    }
    const pagingResult = parseFeedPaging(req.query as Record<string, unknown>);
    if (!pagingResult.ok) return badRequest(res, pagingResult.message);
    const { limit, offset } = pagingResult.paging;

    const { version, lastModified } = reader.publicationState();
    sendCachedFeed(req, res, cache, {
      key: { format, category, limit, offset, version },
      contentType: CONTENT_TYPES[format],
      lastModified: httpDate(lastModified),
      etags: () => feedEtags({ version, format, category, limit, offset, variant: etagVariant }),
      render: () =>
        renderFeed(format, category, reader.listPublishedStories({ category, limit, offset }), site, {
          updated: lastModified !== null ? new Date(lastModified) : undefined,
        }),
    });
  });

  // A feed path without an extension is a common typo; say what the URL must look like instead of a bare 404.
  router.get('/feeds/:name', (req: Request, res: Response) => {
    badRequest(
      res,
      `Feed URLs look like /feeds/<category>.<format> with category ${FEED_CATEGORIES.join('|')} and format ${FEED_FORMATS.join('|')}, e.g. ${feedPath('all', 'rss')}.`,
    );
  });

  return router;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: 'bad_request', message });
}

