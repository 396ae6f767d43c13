/**
 * The editor review page and its form endpoints, all under /review.
 *
 *   GET  /review/login, POST /review/login    sign in with the editor token and a name (sets the session cookie)
 *   POST /review/logout                       sign out
 *   GET  /review                              the queue (status, label, minConfidence, maxConfidence, page, perPage)
 *   POST /review/stories/:id/:action          approve | reject | relabel (label) | pin (pinned=true|false)
 *
 * Action posts answer 303 back to the queue for plain forms, or JSON with the re-rendered card when
 * the page's script asks for it (Accept: application/json). Every POST except sign-in needs the
 * session cookie and its CSRF token; every POST is refused when the browser says it came from
 * another site.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { SubscriberCounts } from '../../newsletter/newsletter-types';
import { StoryEditError, StoryNotFoundError } from '../../store/stories-repository';
import { DEFAULT_CONTENT_SECURITY_POLICY } from '../security-headers';
import { crossOriginReason } from './cross-origin';
import { describeOutcome, isActionName, parseEditorAction, parseStoryId } from './editor-action';
import {
  SESSION_COOKIE_NAME,
  clearedSessionCookieHeader,
  normalizeEditorName,
  readCookie,
  sessionCookieHeader,
  type EditorAuth,
  type EditorSession,
} from './editor-auth';
import type { GuessThrottle } from './guess-throttle';
import { NOT_CONFIGURED_MESSAGE, type ReviewLogger, type ReviewStore } from './review-deps';
import { DEFAULT_PER_PAGE, parsePagePaging, parseStoryFilters, toQueueQuery, type StoryFilters } from './review-filters';
import {
  PAGE_DEFAULT_STATUS,
  queueQueryString,
  renderLoginPage,
  renderMessagePage,
  renderQueuePage,
  renderStoryCard,
} from './review-page';

export interface ReviewPageDeps {
  stories: ReviewStore;
  auth: EditorAuth | null;
  /** Per-address throttle of wrong tokens (shared with the API). */
  throttle: GuessThrottle | null;
  logger: ReviewLogger;
  autoPublishThreshold: number | null;
  newsletterCounts?: () => SubscriberCounts;
}

const QUEUE_PATH = '/review';
const LOGIN_PATH = '/review/login';

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}

/** The page's own script runs by nonce; everything else keeps the site-wide policy. */
function contentSecurityPolicy(nonce: string): string {
  return DEFAULT_CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'nonce-${nonce}'`);
}

/** Where to go after sign-in: only a path of the review page itself, never another site. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return QUEUE_PATH;
  let url: URL;
  try {
    url = new URL(raw, 'http://review.invalid');
  } catch {
    return QUEUE_PATH;
  }
  if (url.origin !== 'http://review.invalid' || url.pathname !== QUEUE_PATH) return QUEUE_PATH;
  return `${url.pathname}${url.search}`;
}

/** The queue view an action form came from (its hidden "back" field), re-validated; defaults when unusable. */
function viewFromBack(raw: unknown): { filters: StoryFilters; page: number; perPage: number } {
  const query = Object.fromEntries(new URLSearchParams(typeof raw === 'string' ? raw : ''));
  const filters = parseStoryFilters(query, PAGE_DEFAULT_STATUS);
  const paging = parsePagePaging(query);
  if (!filters.ok || !paging.ok) {
    return { filters: { status: PAGE_DEFAULT_STATUS, label: null, minConfidence: null, maxConfidence: null }, page: 1, perPage: DEFAULT_PER_PAGE };
  }
  return { filters: filters.value, page: paging.value.page, perPage: paging.value.perPage };
}

function formPinned(raw: unknown): unknown {
  return raw === 'true' ? true : raw === 'false' ? false : raw;
}

export function createReviewPageRouter(deps: ReviewPageDeps): express.Router {
  const { stories, auth, throttle, logger, autoPublishThreshold } = deps;
  const router = express.Router();

  router.use(QUEUE_PATH, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  if (auth === null) {
    router.use(QUEUE_PATH, (_req: Request, res: Response) =>
      sendHtml(res, 503, renderMessagePage('Editor review is not set up', NOT_CONFIGURED_MESSAGE, '/')),
    );
    return router;
  }

  const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const sessionOf = (req: Request): EditorSession | null =>
    auth.verifySession(readCookie(req.get('cookie'), SESSION_COOKIE_NAME));
  const formFields = (req: Request): Record<string, unknown> =>
    typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};

  router.get(LOGIN_PATH, (req: Request, res: Response) => {
    const next = safeNextPath(req.query.next);
    if (sessionOf(req) !== null) return res.redirect(303, next);
    sendHtml(res, 200, renderLoginPage({ next }));
  });

  router.post(LOGIN_PATH, parseForm, async (req: Request, res: Response) => {
    const refused = crossOriginReason(req);
    if (refused !== null) return sendHtml(res, 403, renderMessagePage('Sign-in refused', `Refused: ${refused}.`));
    const fields = formFields(req);
    const next = safeNextPath(fields.next);
    const typedName = typeof fields.editor === 'string' ? fields.editor.slice(0, 64) : '';
    const address = req.ip ?? 'unknown';
    const tooMany = (seconds: number) => {
      res.setHeader('Retry-After', String(seconds));
      sendHtml(res, 429, renderLoginPage({ next, editor: typedName, problem: `Too many wrong tokens from this address. Wait ${seconds} seconds, then try again.` }));
    };
    const wait = throttle === null ? null : await throttle.retryAfter(address, 'sign-in');
    if (wait !== null) return tooMany(wait);
    if (typeof fields.token !== 'string' || !auth.tokenMatches(fields.token)) {
      // Logged in aggregate by the throttle, not one line per guess.
      const blocked = throttle === null ? null : await throttle.recordFailure(address, 'sign-in');
      if (blocked !== null) return tooMany(blocked);
      return sendHtml(res, 401, renderLoginPage({ next, editor: typedName, problem: 'That is not the editor token. Check it and try again.' }));
    }
    await throttle?.recordSuccess(address);
    const editor = normalizeEditorName(fields.editor);
    if (editor === null) {
      return sendHtml(res, 400, renderLoginPage({ next, problem: 'Enter your name (1 to 64 characters); it is recorded with each decision.' }));
    }
    const session = auth.issueSession(editor);
    res.setHeader('Set-Cookie', sessionCookieHeader(session, req.secure));
    logger.info('editor signed in', { editor });
    res.redirect(303, next);
  });

  router.post('/review/logout', parseForm, (req: Request, res: Response) => {
    const refused = crossOriginReason(req);
    if (refused !== null) return sendHtml(res, 403, renderMessagePage('Sign-out refused', `Refused: ${refused}.`));
    const session = sessionOf(req);
    if (session !== null && !auth.csrfMatches(session, formFields(req)._csrf)) {
      return sendHtml(res, 403, renderMessagePage('Sign-out refused', 'The form was out of date or not from this page. Reload the page and try again.'));
    }
    if (session !== null) {
      auth.endSession(session);
      logger.info('editor signed out', { editor: session.editor });
    }
    res.setHeader('Set-Cookie', clearedSessionCookieHeader(req.secure));
    res.redirect(303, LOGIN_PATH);
  });

  router.get(QUEUE_PATH, (req: Request, res: Response) => {
    const session = sessionOf(req);
    if (session === null) return sendHtml(res, 401, renderLoginPage({ next: safeNextPath(req.originalUrl) }));
    const query = req.query as Record<string, unknown>;
    const filters = parseStoryFilters(query, PAGE_DEFAULT_STATUS);
    if (!filters.ok) return sendHtml(res, 400, renderMessagePage('Cannot show that view', filters.message));
    const paging = parsePagePaging(query);
    if (!paging.ok) return sendHtml(res, 400, renderMessagePage('Cannot show that view', paging.message));
    const { page, perPage } = paging.value;
    const rows = stories.listForReview(toQueueQuery(filters.value, { limit: perPage, offset: (page - 1) * perPage }));
    const decidedId = typeof query.decided === 'string' ? parseStoryId(query.decided) : null;
    const decided = decidedId?.ok ? stories.getStory(decidedId.value) : null;
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    sendHtml(
      res,
      200,
      renderQueuePage({
        editor: session.editor,
        csrfToken: auth.csrfTokenFor(session),
        nonce,
        filters: filters.value,
        page,
        perPage,
        stories: rows.slice(0, perPage),
        hasNextPage: rows.length > perPage,
        autoPublishThreshold,
        decided,
        newsletter: deps.newsletterCounts?.() ?? null,
      }),
    );
  });

  router.post('/review/stories/:id/:action', parseForm, (req: Request, res: Response) => {
    const wantsJson = (req.get('accept') ?? '').includes('application/json');
    const fail = (status: number, error: string, title: string, message: string) => {
      if (wantsJson) return void res.status(status).json({ error, message });
      sendHtml(res, status, renderMessagePage(title, message));
    };
    const refused = crossOriginReason(req);
    if (refused !== null) return fail(403, 'cross_origin', 'Action refused', `Refused: ${refused}.`);
    const session = sessionOf(req);
    if (session === null) {
      if (wantsJson) return void res.status(401).json({ error: 'unauthorized', message: 'Your session has ended; sign in again.' });
      return sendHtml(res, 401, renderLoginPage({ next: QUEUE_PATH, problem: 'Your session has ended; sign in again. Nothing was changed.' }));
    }
    const fields = formFields(req);
    if (!auth.csrfMatches(session, fields._csrf)) {
      return fail(403, 'csrf', 'Action refused', 'The form was out of date or not from this page (CSRF check failed). Reload the page and try again; nothing was changed.');
    }
    const { id: rawId, action: actionName } = req.params as { id: string; action: string };
    if (!isActionName(actionName)) return fail(404, 'unknown_action', 'Unknown action', `There is no action "${actionName.slice(0, 40)}".`);
    const id = parseStoryId(rawId);
    if (!id.ok) return fail(400, 'bad_request', 'Bad story id', id.message);
    const action = parseEditorAction(actionName, {
      label: fields.label,
      pinned: formPinned(fields.pinned),
      into: fields.into,
      item: fields.item,
      title: fields.title,
      summary: fields.summary,
    });
    if (!action.ok) return fail(400, 'bad_request', 'Cannot do that', action.message);

    let story;
    try {
      story = stories.applyDecision(id.value, action.value, session.editor);
    } catch (error) {
      if (error instanceof StoryNotFoundError) return fail(404, 'story_not_found', 'No such story', `There is no story ${id.value}.`);
      if (error instanceof StoryEditError) return fail(409, 'not_possible', 'Cannot do that', error.message);
      throw error;
    }
    logger.info('editor decision', { story_id: story.id, action: actionName, editor: session.editor, via: 'page', published: story.published });
    const view = viewFromBack(fields.back);
    const back = queueQueryString(view.filters, view.page, view.perPage);
    // "decided" is not a filter: it only asks the page to confirm what was saved (the story may have left the view).
    const target = new URLSearchParams(back);
    target.set('decided', String(story.id));
    const redirect = `${QUEUE_PATH}?${target.toString()}#story-${story.id}`;
    if (wantsJson) {
      res.json({
        redirect,
        story,
        message: describeOutcome(action.value, story),
        html: renderStoryCard(story, { csrfToken: auth.csrfTokenFor(session), back, filters: view.filters, autoPublishThreshold }),
      });
      return;
    }
    res.redirect(303, redirect);
  });

  return router;
}
