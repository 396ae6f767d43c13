import type { RetrainOutcome } from '../../cli/retrain-command';
import type { LogFields } from '../../logger';
import type { StoriesRepository } from '../../store/stories-repository';

/** The part of the stories repository review needs (a narrow port, easy to see what review can touch). */
export type ReviewStore = Pick<StoriesRepository, 'listForReview' | 'getStory' | 'applyDecision' | 'decisionsFor'>;

export interface ReviewLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

export type RetrainRunner = () => RetrainOutcome | Promise<RetrainOutcome>;

export const NOT_CONFIGURED_MESSAGE =
  'Editor review is switched off because no editor token is configured. Set the EDITOR_TOKEN environment ' +
  'variable (at least 16 characters, e.g. the output of `openssl rand -hex 24`) or "review.editorToken" in ' +
  'feeds.config.json, then restart the server.';

export const silentReviewLogger: ReviewLogger = { info: () => {}, warn: () => {} };
