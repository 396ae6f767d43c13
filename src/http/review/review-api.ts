/**
 * JSON API for editors, under /api. Every route needs `Authorization: Bearer <editor token>`;
 * `X-Editor` names who acts (default "api").
 *
 *   GET  /api/stories                 review queue (status, label, minConfidence, maxConfidence, limit, offset)
 *   GET  /api/stories/:id             one story with its decision history
 *   POST /api/stories/:id/approve     POST /api/stories/:id/reject
 *   POST /api/stories/:id/relabel     {"label": "video" | "image" | "neither"}
 *   POST /api/stories/:id/pin         {"pinned": true | false}
 *   POST /api/stories/:id/merge       {"into": <story id>}      every report moves there; :id redirects
 *   POST /api/stories/:id/split       {"item": <item id>}       that report becomes a story of its own
 *   POST /api/stories/:id/edit        {"title"?, "summary"?}    the site's own wording, kept when outlets join
 *   POST /api/retrain                 retrain with editor labels; before/after held-out macro-F1, adopted
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { StoryEditError, StoryNotFoundError } from '../../store/stories-repository';
import { crossOriginReason } from './cross-origin';
import { ACTION_NAMES, describeOutcome, isActionName, parseEditorAction, parseStoryId, type ActionFields } from './editor-action';
import { normalizeEditorName, type EditorAuth } from './editor-auth';
import type { GuessThrottle } from './guess-throttle';
import { parseApiPaging, parseStoryFilters, toQueueQuery } from './review-filters';
import { NOT_CONFIGURED_MESSAGE, type RetrainRunner, type ReviewLogger, type ReviewStore } from './review-deps';

export interface ReviewApiDeps {
  stories: ReviewStore;
  auth: EditorAuth | null;
  /** Per-address throttle of wrong tokens (shared with the sign-in form). */
  throttle: GuessThrottle | null;
  retrain?: RetrainRunner;
  logger: ReviewLogger;
}

const DEFAULT_API_EDITOR = 'api';

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

export function createReviewApiRouter(deps: ReviewApiDeps): express.Router {
  const { stories, auth, logger } = deps;
  const router = express.Router();

  router.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    // Editor data and decisions: never cached by browsers or proxies.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  if (auth === null) {
    router.use('/api', (_req: Request, res: Response) => fail(res, 503, 'review_disabled', NOT_CONFIGURED_MESSAGE));
    return router;
  }

  const { throttle } = deps;
  router.use('/api', async (req: Request, res: Response, next: NextFunction) => {
    const address = req.ip ?? 'unknown';
    const wait = throttle === null ? null : await throttle.retryAfter(address, 'api');
    if (wait !== null) {
      res.setHeader('Retry-After', String(wait));
      return fail(res, 429, 'too_many_attempts', `Too many wrong editor tokens from this address; try again in ${wait} s.`);
    }
    if (!auth.bearerMatches(req.get('authorization'))) {
      await throttle?.recordFailure(address, 'api');
      res.setHeader('WWW-Authenticate', 'Bearer realm="editor review"');
      return fail(res, 401, 'unauthorized', 'This API needs the editor token: send "Authorization: Bearer <token>".');
    }
    await throttle?.recordSuccess(address);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const reason = crossOriginReason(req);
      if (reason !== null) return fail(res, 403, 'cross_origin', `Refused: ${reason}.`);
    }
    next();
  });

  router.get('/api/stories', (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    const filters = parseStoryFilters(query, 'all');
    if (!filters.ok) return fail(res, 400, 'bad_request', filters.message);
    const paging = parseApiPaging(query);
    if (!paging.ok) return fail(res, 400, 'bad_request', paging.message);
    const rows = stories.listForReview(toQueueQuery(filters.value, paging.value));
    const page = rows.slice(0, paging.value.limit);
    res.json({
      filters: filters.value,
      limit: paging.value.limit,
      offset: paging.value.offset,
      nextOffset: rows.length > paging.value.limit ? paging.value.offset + paging.value.limit : null,
      stories: page,
    });
  });

  router.get('/api/stories/:id', (req: Request, res: Response) => {
    const id = parseStoryId(String(req.params.id));
    if (!id.ok) return fail(res, 400, 'bad_request', id.message);
    const story = stories.getStory(id.value);
    if (story === null) return fail(res, 404, 'story_not_found', `There is no story ${id.value}.`);
    res.json({ story, decisions: stories.decisionsFor(id.value) });
  });

  router.post('/api/stories/:id/:action', express.json({ limit: '16kb' }), (req: Request, res: Response) => {
    const { id: rawId, action: actionName } = req.params as { id: string; action: string };
    if (!isActionName(actionName)) {
      return fail(res, 404, 'unknown_action', `No action "${actionName.slice(0, 40)}". Use one of: ${ACTION_NAMES.join(', ')}.`);
    }
    const id = parseStoryId(rawId);
    if (!id.ok) return fail(res, 400, 'bad_request', id.message);
    const editor = req.get('x-editor') === undefined ? DEFAULT_API_EDITOR : normalizeEditorName(req.get('x-editor'));
    if (editor === null) return fail(res, 400, 'bad_request', 'X-Editor must be a name of 1 to 64 printable characters.');
    const body: unknown = req.body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return fail(res, 400, 'bad_request', 'The request body must be a JSON object.');
    }
    const fields = (body ?? {}) as ActionFields;
    const action = parseEditorAction(actionName, fields);
    if (!action.ok) {
      const hint = body === undefined ? ' Send it as a JSON body with "Content-Type: application/json".' : '';
      return fail(res, 400, 'bad_request', action.message + hint);
    }
    try {
      const story = stories.applyDecision(id.value, action.value, editor);
      logger.info('editor decision', { story_id: story.id, action: actionName, editor, via: 'api', published: story.published });
      res.json({ story, message: describeOutcome(action.value, story) });
    } catch (error) {
      if (error instanceof StoryNotFoundError) return fail(res, 404, 'story_not_found', `There is no story ${error.storyId}.`);
      if (error instanceof StoryEditError) return fail(res, 409, 'not_possible', error.message);
      throw error;
    }
  });

  // One retrain at a time: it is CPU-heavy and two would race to save the model file.
  let retrainInFlight = false;
  router.post('/api/retrain', async (req: Request, res: Response) => {
    if (deps.retrain === undefined) {
      return fail(res, 501, 'retrain_unavailable', 'Retraining is not available in this server; run `npm run cli -- retrain` instead.');
    }
    if (retrainInFlight) return fail(res, 409, 'retrain_running', 'A retrain is already running; try again when it has finished.');
    retrainInFlight = true;
    try {
      const outcome = await deps.retrain();
      logger.info('retrain via review api', {
        editor: normalizeEditorName(req.get('x-editor')) ?? DEFAULT_API_EDITOR,
        adopted: outcome.adopted,
        before_macro_f1: outcome.beforeMacroF1,
        after_macro_f1: outcome.afterMacroF1,
        editor_examples: outcome.editorExamples,
      });
      res.json({
        adopted: outcome.adopted,
        beforeMacroF1: outcome.beforeMacroF1,
        afterMacroF1: outcome.afterMacroF1,
        editorExamples: outcome.editorExamples,
        gazetteerSuggestions: outcome.gazetteerSuggestions,
        message: outcome.adopted
          ? `Adopted the retrained model (macro-F1 ${outcome.beforeMacroF1.toFixed(3)} -> ${outcome.afterMacroF1.toFixed(3)}).`
          : `Kept the current model: the retrained one scores lower (${outcome.afterMacroF1.toFixed(3)} < ${outcome.beforeMacroF1.toFixed(3)}).`,
      });
    } finally {
      retrainInFlight = false;
    }
  });

  return router;
}
