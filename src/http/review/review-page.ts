/**
 * Server-rendered HTML for editor review: the queue, one story card, the sign-in page and message
 * pages. Pure functions of their input; every piece of text goes through escapeHtml, including
 * attribute values, because titles and summaries come from arbitrary feeds.
 */
import { MAX_EDITED_SUMMARY, MAX_EDITED_TITLE } from '../../store/story-edits';
import escapeHtml from 'escape-html';
import { LABELS, type Label, type Story } from '../../model';
import { safeHttpUrl } from '../../publish/feed-builder';
import { toFeedText } from '../../publish/xml-safe-text';
import { REVIEW_CSS, REVIEW_SCRIPT } from './review-assets';
import {
  DEFAULT_PER_PAGE,
  STATUS_FILTERS,
  filterParams,
  storyMatchesFilters,
  type StatusFilter,
  type StoryFilters,
} from './review-filters';

export const PAGE_DEFAULT_STATUS: StatusFilter = 'pending';
const SUMMARY_MAX_CHARS = 600;
const PER_PAGE_CHOICES = [10, 20, 50, 100];

/** Hidden fields every action form carries, and the filters the card is shown under. */
export interface CardContext {
  csrfToken: string;
  /** Query string of the queue view (no "?"), so a plain form POST can return to the same view. */
  back: string;
  filters: StoryFilters;
  /** Confidence at which stories publish without review; bars below it are drawn amber. Null: unknown. */
  autoPublishThreshold: number | null;
}

export interface QueueView {
  editor: string;
  csrfToken: string;
  nonce: string;
  filters: StoryFilters;
  page: number;
  perPage: number;
  stories: Story[];
  hasNextPage: boolean;
  autoPublishThreshold: number | null;
  /** The story of the last plain-form decision (after its redirect), so the editor sees what was saved. */
  decided: Story | null;
  /** Newsletter subscriber counts, or null when not shown. */
  newsletter?: { confirmed: number; pending: number } | null;
}

/** One line on the newsletter's audience, with the CSV export of confirmed subscribers. */
function newsletterLine(counts: QueueView['newsletter']): string {
  if (counts === undefined || counts === null) return '';
  return `<p class="newsletter-counts">Newsletter: <strong>${counts.confirmed}</strong> confirmed subscriber${counts.confirmed === 1 ? '' : 's'}, ${counts.pending} awaiting confirmation · <a href="/review/newsletter/subscribers.csv" download>Export confirmed (CSV)</a></p>`;
}

const STATUS_NAMES: Record<StatusFilter, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  all: 'All',
};

const LABEL_NAMES: Record<Label, string> = { video: 'Video', image: 'Image', neither: 'Neither' };
const LABEL_KEYS: Record<Label, string> = { video: 'v', image: 'i', neither: 'n' };

export const SHORTCUTS: readonly { keys: string[]; does: string }[] = [
  { keys: ['j', 'k'], does: 'next / previous story' },
  { keys: ['a'], does: 'approve' },
  { keys: ['r'], does: 'reject' },
  { keys: ['v', 'i', 'n'], does: 'relabel video / image / neither' },
  { keys: ['p'], does: 'pin / unpin to digest' },
  { keys: ['m'], does: 'merge into another story (type its #)' },
  { keys: ['e'], does: "edit the site's headline and summary" },
  { keys: ['?'], does: 'help' },
];

function layout(title: string, body: string, nonce?: string): string {
  const script = nonce === undefined ? '' : `<script nonce="${escapeHtml(nonce)}">${REVIEW_SCRIPT}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${REVIEW_CSS}</style>
</head>
<body>
${body}
${script}</body>
</html>
`;
}

/** "2026-11-23 09:00 UTC": unambiguous for editors in any time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function hiddenFields(ctx: CardContext): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}"><input type="hidden" name="back" value="${escapeHtml(ctx.back)}">`;
}

function pressed(on: boolean): string {
  return `aria-pressed="${on ? 'true' : 'false'}"`;
}

function confidenceMeter(confidence: number, threshold: number | null): string {
  const percent = Math.round(Math.max(0, Math.min(1, confidence)) * 100);
  const low = threshold !== null && confidence < threshold;
  const hint = low ? ` title="Below the auto-publish threshold ${threshold}"` : '';
  return `<span class="conf"${hint}><span class="meter${low ? ' low' : ''}" aria-hidden="true"><span style="width:${percent}%"></span></span>${confidence.toFixed(2)}${low ? ' <span class="muted">(below auto-publish)</span>' : ''}</span>`;
}

function storyLink(story: Story): string | null {
  return safeHttpUrl(story.url) ?? story.outlets.map((outlet) => safeHttpUrl(outlet.url)).find((url) => url !== null) ?? null;
}

function outletList(story: Story): string {
  if (story.outlets.length === 0) return 'no outlet recorded';
  return story.outlets
    .map((outlet) => {
      const url = safeHttpUrl(outlet.url);
      const name = escapeHtml(toFeedText(outlet.feedName) || outlet.feedId);
      return url === null ? name : `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${name}</a>`;
    })
    .join(', ');
}

/**
 * Same-event fixes: each outlet's own headline with a button to split that report out, a form to
 * merge the story into another, and the site's own wording. Merge and split change which cards
 * exist, so the page reloads after them (data-reload).
 */
function coverageSection(story: Story, ctx: CardContext, action: (name: string) => string): string {
  const reports = story.outlets
    .map((outlet) => {
      const split =
        story.outlets.length > 1 && outlet.itemId !== undefined
          ? ` <button class="btn small split" type="submit" name="item" value="${outlet.itemId}" title="Make this report a story of its own">Split out</button>`
          : '';
      return `<li><span class="outlet">${escapeHtml(toFeedText(outlet.feedName))}</span>: ${escapeHtml(toFeedText(outlet.title ?? ''))}${split}</li>`;
    })
    .join('');
  const count = story.outlets.length;
  return `<details class="coverage"${count > 1 ? ' open' : ''}>
<summary>Covered by ${count} outlet${count === 1 ? '' : 's'}${story.wordingByEditor ? ' · wording by an editor' : ''}</summary>
<form class="act" method="post" action="${action('split')}" data-reload="true">${hiddenFields(ctx)}<ul class="reports">${reports}</ul></form>
<form class="act merge" method="post" action="${action('merge')}" data-reload="true">${hiddenFields(ctx)}<label>Merge into story # <input name="into" inputmode="numeric" pattern="[0-9]*" size="7" required data-focus-key="m" aria-label="Story number to merge into"></label> <button class="btn small" type="submit">Merge <kbd>m</kbd></button></form>
<details class="edit-wording"><summary>Edit headline and summary <kbd>e</kbd></summary>
<form class="act edit" method="post" action="${action('edit')}">${hiddenFields(ctx)}<label>Headline <input name="title" maxlength="${MAX_EDITED_TITLE}" value="${escapeHtml(toFeedText(story.title))}" data-focus-key="e"></label>
<label>Summary <textarea name="summary" rows="3" maxlength="${MAX_EDITED_SUMMARY}">${escapeHtml(toFeedText(story.summary))}</textarea></label>
<button class="btn small" type="submit">Save wording</button></form></details>
</details>`;
}

export function renderStoryCard(story: Story, ctx: CardContext): string {
  const id = story.id;
  const action = (name: string) => `/review/stories/${id}/${name}`;
  const link = storyLink(story);
  // toFeedText: no bidi overrides or control characters from a source reach the editor either.
  const title = escapeHtml(toFeedText(story.title) || '(untitled)');
  const heading = link === null ? title : `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${title}<span class="ext" aria-hidden="true">↗</span></a>`;
  const settled = !storyMatchesFilters(story, ctx.filters);
  const terms = story.predicted.terms.length === 0
    ? '<span class="term">none</span>'
    : story.predicted.terms.map((term) => `<span class="term">${escapeHtml(toFeedText(term))}</span>`).join('');
  const editorLabel = story.editorLabel === null
    ? '<span class="muted">none</span>'
    : `<span class="lbl ${story.editorLabel}">${LABEL_NAMES[story.editorLabel]}</span>`;
  const relabelButtons = LABELS.map(
    (label) =>
      `<button class="btn relabel" type="submit" name="label" value="${label}" data-key="${LABEL_KEYS[label]}" ${pressed(story.editorLabel === label)}>${LABEL_NAMES[label]} <kbd>${LABEL_KEYS[label]}</kbd></button>`,
  ).join('');

  return `<article class="story${settled ? ' settled' : ''}" id="story-${id}" data-story-id="${id}" tabindex="-1" aria-labelledby="story-${id}-title">
<div class="story-head"><h2 id="story-${id}-title">${heading}</h2><span class="story-id">#${id}</span></div>
<div class="badges">
<span class="lbl ${story.label}" title="Label used for the feeds">${LABEL_NAMES[story.label]}</span>
<span class="badge ${story.status}">${STATUS_NAMES[story.status]}</span>
${story.published ? '<span class="badge published">Published</span>' : '<span class="badge unpublished">Not published</span>'}
${story.pinned ? '<span class="badge pinned">Pinned to digest</span>' : ''}
${settled ? '<span class="badge note">no longer matches the filter</span>' : ''}
</div>
<p class="meta">${outletList(story)} · ${escapeHtml(formatTime(story.publishedAt))}</p>
${story.summary ? `<p class="summary">${escapeHtml(truncate(toFeedText(story.summary), SUMMARY_MAX_CHARS))}</p>` : ''}
<dl class="facts">
<dt>Model says</dt><dd><span class="lbl ${story.predicted.label}">${LABEL_NAMES[story.predicted.label]}</span> ${confidenceMeter(story.predicted.confidence, ctx.autoPublishThreshold)}</dd>
<dt>Editor label</dt><dd>${editorLabel}</dd>
<dt>Top terms</dt><dd>${terms}</dd>
</dl>
<div class="actions">
<form class="act" method="post" action="${action('approve')}" data-advance="true">${hiddenFields(ctx)}<button class="btn approve" type="submit" data-key="a" ${pressed(story.status === 'approved')}>Approve <kbd>a</kbd></button></form>
<form class="act" method="post" action="${action('reject')}" data-advance="true">${hiddenFields(ctx)}<button class="btn reject" type="submit" data-key="r" ${pressed(story.status === 'rejected')}>Reject <kbd>r</kbd></button></form>
<form class="act" method="post" action="${action('relabel')}">${hiddenFields(ctx)}<span class="group-label">Relabel</span>${relabelButtons}</form>
<form class="act" method="post" action="${action('pin')}">${hiddenFields(ctx)}<input type="hidden" name="pinned" value="${story.pinned ? 'false' : 'true'}"><button class="btn pin" type="submit" data-key="p" ${pressed(story.pinned)}>${story.pinned ? 'Unpin from digest' : 'Pin to digest'} <kbd>p</kbd></button></form>
</div>
${coverageSection(story, ctx, action)}
</article>`;
}

function option(value: string, text: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(text)}</option>`;
}

function filterForm(view: QueueView): string {
  const { filters } = view;
  const statusOptions = STATUS_FILTERS.map((status) => option(status, STATUS_NAMES[status], filters.status === status)).join('');
  const labelOptions = [option('', 'Any', filters.label === null), ...LABELS.map((label) => option(label, LABEL_NAMES[label], filters.label === label))].join('');
  const perPageOptions = PER_PAGE_CHOICES.map((count) => option(String(count), String(count), view.perPage === count)).join('');
  const number = (name: string, value: number | null, placeholder: string) =>
    `<input type="number" name="${name}" min="0" max="1" step="0.01" inputmode="decimal" placeholder="${placeholder}" value="${value === null ? '' : escapeHtml(String(value))}">`;
  return `<form class="filters" method="get" action="/review" aria-label="Filter the queue">
<label>Status<select name="status">${statusOptions}</select></label>
<label>Label<select name="label">${labelOptions}</select></label>
<label>Confidence from${number('minConfidence', filters.minConfidence, '0')}</label>
<label>to${number('maxConfidence', filters.maxConfidence, '1')}</label>
<label>Per page<select name="perPage">${perPageOptions}</select></label>
<div class="buttons"><button class="btn primary" type="submit">Show</button><a href="/review">Reset</a></div>
</form>`;
}

function legend(): string {
  const items = SHORTCUTS.map(
    (shortcut) => `<span>${shortcut.keys.map((key) => `<kbd>${escapeHtml(key)}</kbd>`).join(' ')} ${escapeHtml(shortcut.does)}</span>`,
  ).join('');
  return `<div class="legend" aria-label="Keyboard shortcuts">${items}<noscript><span>(shortcuts need JavaScript; the buttons work without it)</span></noscript></div>`;
}

function helpDialog(): string {
  const rows = SHORTCUTS.map(
    (shortcut) => `<tr><td>${shortcut.keys.map((key) => `<kbd>${escapeHtml(key)}</kbd>`).join(' ')}</td><td>${escapeHtml(shortcut.does)}</td></tr>`,
  ).join('');
  return `<dialog id="help" aria-labelledby="help-title">
<h2 id="help-title">Keyboard shortcuts</h2>
<table>${rows}</table>
<p>Shortcuts act on the highlighted story. Approving publishes a video or image story now; rejecting keeps it out of the feeds;
relabelling moves it to that feed (neither is never published). Pinned stories lead the next digest.</p>
<form method="dialog"><button class="btn" type="submit">Close</button></form>
</dialog>`;
}

export function queueQueryString(filters: StoryFilters, page: number, perPage: number): string {
  const params = filterParams(filters, PAGE_DEFAULT_STATUS);
  if (perPage !== DEFAULT_PER_PAGE) params.set('perPage', String(perPage));
  if (page !== 1) params.set('page', String(page));
  return params.toString();
}

function pager(view: QueueView): string {
  const href = (page: number) => {
    const query = queueQueryString(view.filters, page, view.perPage);
    return escapeHtml(query === '' ? '/review' : `/review?${query}`);
  };
  const newer = view.page > 1 ? `<a href="${href(view.page - 1)}" rel="prev">← Newer</a>` : '<span class="off">← Newer</span>';
  const older = view.hasNextPage ? `<a href="${href(view.page + 1)}" rel="next">Older →</a>` : '<span class="off">Older →</span>';
  return `<nav class="pager" aria-label="Pages">${newer}<span>Page ${view.page}</span>${older}</nav>`;
}

function describeView(view: QueueView): string {
  const { filters } = view;
  const parts = [filters.status === 'all' ? 'all statuses' : STATUS_NAMES[filters.status].toLowerCase()];
  parts.push(filters.label === null ? 'any label' : `label ${filters.label}`);
  if (filters.minConfidence !== null || filters.maxConfidence !== null) {
    parts.push(`confidence ${filters.minConfidence ?? 0}–${filters.maxConfidence ?? 1}`);
  }
  if (view.stories.length === 0) return `No stories (${parts.join(', ')}).`;
  const first = (view.page - 1) * view.perPage + 1;
  return `Stories ${first}–${first + view.stories.length - 1}, newest first (${parts.join(', ')}).`;
}

/** One line on where a story stands now; plain text. */
export function describeStanding(story: Story): string {
  const visibility = story.published ? `published in the ${story.label} feed` : 'not in the public feeds';
  return `Saved #${story.id}: ${STATUS_NAMES[story.status].toLowerCase()}, label ${story.label}${story.pinned ? ', pinned to the digest' : ''}, ${visibility}.`;
}

/** The saved decision's notice; repeats the card when it left this view (e.g. approved while showing pending). */
function decidedNotice(view: QueueView, ctx: CardContext): string {
  if (view.decided === null) return '';
  const decided = view.decided;
  const shownBelow = view.stories.some((story) => story.id === decided.id);
  return `<section class="decided" aria-label="Last decision">
<p class="flash ok" role="status">${escapeHtml(describeStanding(decided))}${shownBelow ? '' : ' It no longer matches this view:'}</p>
${shownBelow ? '' : renderStoryCard(decided, ctx)}
</section>`;
}

export function renderQueuePage(view: QueueView): string {
  const back = queueQueryString(view.filters, view.page, view.perPage);
  const ctx: CardContext = { csrfToken: view.csrfToken, back, filters: view.filters, autoPublishThreshold: view.autoPublishThreshold };
  const cards = view.stories.length === 0
    ? `<p class="empty">Nothing to review here. ${view.filters.status === 'pending' ? 'New stories appear after the next fetch run; ' : ''}try <a href="/review?status=all">all stories</a>.</p>`
    : view.stories.map((story) => renderStoryCard(story, ctx)).join('\n');
  const body = `<header class="top"><div class="wrap">
<h1><a href="/review">Editor review</a></h1>
<div class="who"><span>Signed in as <strong>${escapeHtml(view.editor)}</strong></span>
<button class="linkish" type="button" id="help-open">Shortcuts (?)</button>
<a href="/">Public site</a>
<form class="inline" method="post" action="/review/logout"><input type="hidden" name="_csrf" value="${escapeHtml(view.csrfToken)}"><button class="linkish" type="submit">Sign out</button></form>
</div></div></header>
<div class="wrap">
${newsletterLine(view.newsletter)}
${filterForm(view)}
${legend()}
${decidedNotice(view, ctx)}
<div class="bar"><p class="count">${escapeHtml(describeView(view))}</p><p id="flash" class="flash" role="status" aria-live="polite"></p></div>
<main class="queue" id="queue">
${cards}
</main>
${pager(view)}
</div>
${helpDialog()}`;
  return layout('Editor review', body, view.nonce);
}

export function renderLoginPage(options: { next: string; editor?: string; problem?: string }): string {
  const problem = options.problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(options.problem)}</p>`;
  const body = `<main class="card">
<h1>Editor sign-in</h1>
<p>The review queue is for editors. Sign in with the editor token (the server's <code>EDITOR_TOKEN</code>) and your name,
which is recorded with each decision you make.</p>
${problem}
<form method="post" action="/review/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="editor">Your name</label>
<input id="editor" name="editor" autocomplete="username" required maxlength="64" value="${escapeHtml(options.editor ?? '')}">
<label for="token">Editor token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button class="btn primary" type="submit">Sign in</button>
</form>
</main>`;
  return layout('Editor sign-in', body);
}

/** A short page for errors of form posts made without JavaScript. `message` is plain text. */
export function renderMessagePage(title: string, message: string, back = '/review'): string {
  const body = `<main class="card">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="${escapeHtml(back)}">Back to the review queue</a></p>
</main>`;
  return layout(title, body);
}
