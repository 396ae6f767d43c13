import type { RequestListener } from 'node:http';
import type express from 'express';
import { createApp } from './http/app';
import { isMemoizablePath } from './http/cache-policy';
import { ResponseMemo, withHotPath } from './http/response-memo';
import { createDigestRouter } from './http/digest-routes';
import { createReviewRouters } from './http/review';
import { createStoryPageRouter } from './http/story-page';
import { withLooseFields } from './logger';
import { createNewsletterRouter } from './http/newsletter/newsletter-routes';
import { createSubscriberExportRouter } from './http/newsletter/subscriber-export';
import { createNewsletter, type Newsletter } from './newsletter/newsletter';
import type { ServiceMetrics } from './metrics/service-metrics';
import type { SiteInfo } from './publish/feed-builder';
import type { Services } from './services';
import { DataVersionWatcher } from './store/data-version';
import { DigestsRepository } from './store/digests-repository';
import { EditorSessionsRepository } from './store/editor-sessions-repository';
import { GuessThrottle } from './http/review/guess-throttle';
import { StoryQueries } from './store/story-queries';
import { RelatedStoriesFinder } from './stories/related';

/**
 * The server's request listener: public responses from the response memo (kept per data version,
 * answered before Express), everything else through the Express app. The server passes its newsletter
 * (shared with the digest job); otherwise one is made here.
 */
export function createHttpListener(
  services: Services,
  newsletter: Newsletter = createNewsletter(services),
  metrics?: ServiceMetrics,
): RequestListener {
  const { db, stories } = services;
  const digests = new DigestsRepository(db);
  const version = new DataVersionWatcher(db, () => [stories.publicationState().version, digests.feedState().version]);
  const memo = new ResponseMemo({ dataStamp: () => version.current(), isMemoizablePath });
  metrics?.watchResponseMemo(() => memo.stats());
  return withHotPath(memo, createHttpApp(services, newsletter, { responseMemo: memo, dataStamp: () => version.current(), metrics }));
}

/**
 * Wires every HTTP feature to the services: public feeds, health, demo, stories, digest, newsletter, review.
 * The server passes its newsletter (shared with the digest job); otherwise one is made here.
 */
export function createHttpApp(
  services: Services,
  newsletter: Newsletter = createNewsletter(services),
  { responseMemo, dataStamp, metrics }: { responseMemo?: ResponseMemo; dataStamp?: () => string; metrics?: ServiceMetrics } = {},
): express.Express {
  const { config, stories, feeds, db, logger } = services;
  const site: SiteInfo = {
    baseUrl: config.publicBaseUrl,
    title: config.server.siteTitle,
    description: config.server.siteDescription,
  };
  // Retrain output goes to the log, line by line, so an editor's API call leaves a trace.
  const retrainLog = {
    write: (chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) logger.info(`retrain: ${line}`);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  // One store of editor sessions for every router that accepts the review page's cookie.
  const editorSessions = new EditorSessionsRepository(db);
  // One wrong-token count per client address for every route that checks the editor token.
  const guessThrottle = config.review.editorToken === null ? undefined : new GuessThrottle(logger, config.review.throttle);
  return createApp({
    reader: stories,
    feedHealth: () => feeds.health(),
    site,
    demoDir: config.demoDir ?? undefined,
    trustProxy: config.server.trustProxy,
    logger: withLooseFields(logger),
    responseMemo,
    metrics,
    feedRouters: [createDigestRouter({ digests: new DigestsRepository(db), site })],
    extraRouters: [
      createStoryPageRouter({ stories, related: new RelatedStoriesFinder(new StoryQueries(db), undefined, dataStamp), site }),
      createNewsletterRouter({
        subscriptions: newsletter.subscriptions,
        siteTitle: config.server.siteTitle,
        confirmDays: config.newsletter.confirmDays,
        signupsPerWindow: config.newsletter.signupsPerWindow,
      }),
      createSubscriberExportRouter({
        confirmedSubscribers: () => newsletter.subscriptions.confirmedSubscribers(),
        editorToken: config.review.editorToken,
        sessions: editorSessions,
        throttle: guessThrottle,
      }),
      ...createReviewRouters({
        stories,
        editorToken: config.review.editorToken,
        throttle: guessThrottle,
        sessions: editorSessions,
        // Loaded on the first retrain: the training code is no part of serving pages.
        retrain: async () => (await import('./cli/retrain-command')).retrainModel(services, retrainLog),
        logger,
        autoPublishThreshold: config.curation.autoPublishThreshold,
        newsletterCounts: () => newsletter.subscriptions.counts(),
      }),
    ],
  });
}
