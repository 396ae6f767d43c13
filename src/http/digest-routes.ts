/**
 * The digest: GET/HEAD /feeds/digest.(rss|atom|json) (one entry per stored issue, newest first) and
 * /digests/:date (an issue as a web page; the feed entries link there).
 *
 * Conditional GET and compression work like /feeds/:category.:format (send-cached-feed.ts): the ETag
 * comes from the digest table's version (the newest issue id; issues are immutable, so nothing else can
 * change the feed), so a current client gets a 304 before anything is read or rendered.
 *
 * Mounting: the general feed router answers every /feeds/<name>.<format> (400 for unknown categories), so
 * this router must be mounted BEFORE it, or /feeds/digest.* never reaches it.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { Request, Response } from 'express';
import {
  digestContentHtml,
  digestFeedPath,
  digestFeedTitle,
  digestTitle,
  DIGEST_FEED_CONTENT_TYPES,
  renderDigestFeed,
} from '../digest/digest-feed';
import { feedEtags, httpDate } from '../publish/etag';
import { FEED_FORMATS, FEED_FORMAT_NAMES, FEED_MEDIA_TYPES, isFeedFormat, type SiteInfo } from '../publish/feed-builder';
import { FeedCache, type EncodedFeed } from '../publish/feed-cache';
import type { DigestsRepository } from '../store/digests-repository';
import { DIGEST_PAGE_CACHE_CONTROL } from './cache-policy';
import { sendCachedFeed } from './send-cached-feed';
import { renderPageShell } from './story-page';
import { toFeedText } from '../publish/xml-safe-text';

/** Issues in the feed: at two a week, half a year of digests. */
export const DIGEST_FEED_LIMIT = 50;

/** Bump when the renderer's output changes for the same data, so clients do not keep stale bodies. */
const RENDERER_REVISION = '1';

export interface DigestRouteDeps {
  digests: Pick<DigestsRepository, 'listNewest' | 'feedState' | 'findByPeriodDate'>;
  site: SiteInfo;
}

export function createDigestRouter(deps: DigestRouteDeps): express.Router {
  const { digests, site } = deps;
  const router = express.Router();
  // Private to this router, so the fixed category key never collides with the story feeds' cache.
  const cache = new FeedCache<EncodedFeed>(FEED_FORMATS.length * 2);
  const etagVariant = `digest\n${RENDERER_REVISION}\n${site.baseUrl}\n${site.title}`;

  router.get('/feeds/digest.:format', (req: Request, res: Response) => {
    const { format } = req.params as { format: string };
    if (!isFeedFormat(format)) {
      res.status(400).json({
        error: 'bad_request',
        message: `Unknown feed format "${format.slice(0, 40)}". Use one of: ${FEED_FORMATS.join(', ')} (e.g. ${digestFeedPath('rss')}).`,
      });
      return;
    }
    const { version, lastModified } = digests.feedState();
    sendCachedFeed(req, res, cache, {
      key: { format, category: 'all', limit: DIGEST_FEED_LIMIT, offset: 0, version },
      contentType: DIGEST_FEED_CONTENT_TYPES[format],
      lastModified: httpDate(lastModified),
      etags: () => feedEtags({ version, format, category: 'all', limit: DIGEST_FEED_LIMIT, offset: 0, variant: etagVariant }),
      render: () => renderDigestFeed(format, digests.listNewest(DIGEST_FEED_LIMIT), site),
    });
  });

  router.get('/digests/:date', (req: Request, res: Response) => {
    const { date } = req.params as { date: string };
    const digest = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date) ? digests.findByPeriodDate(date) : null;
    if (digest === null) {
      res
        .status(404)
        .type('html')
        .send(
          renderPageShell(
            `Digest not found — ${toFeedText(site.title)}`,
            '<meta name="robots" content="noindex">',
            `<h1>Digest not found</h1><p>There is no digest for this date. All issues are in the <a href="${escapeHtml(digestFeedPath('rss'))}">digest feed</a>.</p>`,
          ),
        );
      return;
    }
    const feedLinks = FEED_FORMATS.map(
      (format) =>
        `<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${escapeHtml(`${digestFeedTitle(site)} (${FEED_FORMAT_NAMES[format]})`)}" href="${escapeHtml(site.baseUrl + digestFeedPath(format))}">`,
    ).join('\n');
    // Minutes, not days: a rebuilt issue must replace the old one in caches (cache-policy.ts).
    res.setHeader('Cache-Control', DIGEST_PAGE_CACHE_CONTROL);
    res
      .type('html')
      .send(
        renderPageShell(
          digestTitle(site, digest),
          feedLinks,
          `<p class="crumbs"><a href="/">${escapeHtml(toFeedText(site.title))}</a></p><h1>${escapeHtml(digestTitle(site, digest))}</h1>${digestContentHtml(digest, site)}`,
        ),
      );
  });

  return router;
}
