/**
 * Editor review: the /review page and the /api JSON API, both behind the editor token.
 *
 * Mount the returned routers with `createApp({ extraRouters })`. With `editorToken: null`, every
 * /review and /api request answers 503 with how to set EDITOR_TOKEN.
 */
import type express from 'express';
import type { SubscriberCounts } from '../../newsletter/newsletter-types';
import { EditorAuth, type SessionStore } from './editor-auth';
import { GuessThrottle, type GuessThrottleSettings } from './guess-throttle';
import { createReviewApiRouter } from './review-api';
import { silentReviewLogger, type RetrainRunner, type ReviewLogger, type ReviewStore } from './review-deps';
import { createReviewPageRouter } from './review-page-routes';

export type { RetrainRunner, ReviewLogger, ReviewStore } from './review-deps';

export interface ReviewRouterDeps {
  stories: ReviewStore;
  /** config `review.editorToken` (or EDITOR_TOKEN); null switches review off (503). At least 16 characters. */
  editorToken: string | null;
  /** Runs a retrain for POST /api/retrain, e.g. `() => retrainModel(services, logStream)`; without it that route answers 501. */
  retrain?: RetrainRunner;
  logger?: ReviewLogger;
  /** config `curation.autoPublishThreshold`, so the page can mark predictions that wait for review. */
  autoPublishThreshold?: number;
  /** Newsletter subscriber counts shown on the queue page (omitted: no newsletter line). */
  newsletterCounts?: () => SubscriberCounts;
  /** Live editor sessions (the database in the server); without it, sessions live in this process only. */
  sessions?: SessionStore;
  /** Clock for session expiry (tests). */
  nowMs?: () => number;
  /**
   * The token-guessing throttle, or settings for one (see guess-throttle.ts for the defaults). Pass
   * the instance other routers checking the editor token use, so all of them share one count.
   */
  throttle?: GuessThrottle | Partial<GuessThrottleSettings>;
}

export function createReviewRouters(deps: ReviewRouterDeps): express.Router[] {
  const auth = deps.editorToken === null ? null : new EditorAuth(deps.editorToken, deps.nowMs, deps.sessions);
  const logger = deps.logger ?? silentReviewLogger;
  const throttle = auth === null ? null : deps.throttle instanceof GuessThrottle ? deps.throttle : new GuessThrottle(logger, deps.throttle);
  return [
    createReviewPageRouter({
      stories: deps.stories,
      auth,
      throttle,
      logger,
      autoPublishThreshold: deps.autoPublishThreshold ?? null,
      newsletterCounts: deps.newsletterCounts,
    }),
    createReviewApiRouter({ stories: deps.stories, auth, throttle, retrain: deps.retrain, logger }),
  ];
}
