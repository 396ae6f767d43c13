/**
 * GET /stories/:id — one published story: title, category, summary, original link, every outlet that
 * covered it, date, "Your next read" (related stories) and autodiscovery links to the category's feeds.
 * Stories that are not public (label "neither", rejected, held or unknown) get a 404 page: the page must
 * never reveal what the feeds do not publish.
 * Self-contained HTML: inline CSS, no scripts; every value from storage goes through escape-html.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { Story } from '../model';
import {
  CATEGORY_NAMES,
  FEED_FORMATS,
  FEED_FORMAT_NAMES,
  FEED_MEDIA_TYPES,
  feedPath,
  feedTitle,
  safeHttpUrl,
  type SiteInfo,
} from '../publish/feed-builder';
import { toFeedText } from '../publish/xml-safe-text';
import { PAGE_CACHE_CONTROL } from './cache-policy';
import { isPublishedLabel, RELATED_STORY_COUNT } from '../stories/related';
import { renderSignupForm } from './newsletter/signup-form';
import { STORY_IMAGE_CSS, storyImageHtml, storyImageMetaTags } from './story-image';

export interface StoryPageDeps {
  /** StoriesRepository satisfies this. */
  stories: { getStory(storyId: number): Story | null };
  /** RelatedStoriesFinder satisfies this. */
  related: { findRelated(story: Story, count?: number): Story[] };
  site: SiteInfo;
}

/** Positive integer without leading zeros, small enough to be exact in a JS number and SQLite. */
const STORY_ID = /^[1-9][0-9]{0,14}$/;

export function createStoryPageRouter(deps: StoryPageDeps): express.Router {
  const router = express.Router();
  router.get('/stories/:id', (req, res) => {
    const raw = req.params.id;
    const story = STORY_ID.test(raw) ? deps.stories.getStory(Number(raw)) : null;
    // An editor merged this story into another: links to it (and readers' bookmarks) follow.
    if (story?.mergedInto) {
      res.redirect(301, `/stories/${story.mergedInto}`);
      return;
    }
    if (story === null || !isPublicStory(story)) {
      res.status(404).type('html').send(renderStoryNotFoundPage(deps.site));
      return;
    }
    const related = deps.related.findRelated(story, RELATED_STORY_COUNT);
    res.setHeader('Cache-Control', PAGE_CACHE_CONTROL);
    res.type('html').send(renderStoryPage(deps.site, story, related));
  });
  return router;
}

/** Exactly what the public feeds show: published by the curation policy, in a published category. */
export function isPublicStory(story: Story): boolean {
  return story.published && story.status !== 'rejected' && isPublishedLabel(story.label);
}

export function storyPageUrl(site: SiteInfo, storyId: number): string {
  return `${site.baseUrl}/stories/${storyId}`;
}

function dateTag(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  return `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(text)}</time>`;
}

function outletList(story: Story): string {
  if (story.outlets.length === 0) return '<p class="muted">No outlet recorded.</p>';
  const items = story.outlets.map((outlet) => {
    const name = escapeHtml(toFeedText(outlet.feedName) || outlet.feedId);
    const url = safeHttpUrl(outlet.url);
    const link = url === null ? name : `<a href="${escapeHtml(url)}" rel="noopener">${name}</a>`;
    // Each outlet's own headline: readers see how differently the same event was reported.
    const headline = outlet.title ? `: <span class="outlet-headline">${escapeHtml(toFeedText(outlet.title))}</span>` : '';
    return `<li>${link}${headline} <span class="muted">${dateTag(outlet.publishedAt)}</span></li>`;
  });
  return `<ul class="outlets">${items.join('')}</ul>`;
}

function relatedList(related: Story[]): string {
  if (related.length === 0) return '<p class="muted">No other stories in this category yet.</p>';
  const items = related.map((story) => {
    const text = toFeedText(story.title) || 'Untitled story';
    const title = escapeHtml(text);
    return `<li class="with-thumb">${storyImageHtml(story, text, 'thumb')}<div><a href="/stories/${story.id}">${title}</a><span class="meta">${dateTag(story.publishedAt)}</span></div></li>`;
  });
  return `<ol class="related">${items.join('')}</ol>`;
}

export function renderStoryPage(site: SiteInfo, story: Story, related: Story[]): string {
  if (!isPublishedLabel(story.label)) throw new RangeError(`story ${story.id} has unpublished label ${story.label}`);
  const label = story.label;
  const title = toFeedText(story.title) || 'Untitled story';
  const summary = toFeedText(story.summary);
  const original = safeHttpUrl(story.url) ?? story.outlets.map((outlet) => safeHttpUrl(outlet.url)).find((url) => url !== null) ?? null;
  const feedLinks = FEED_FORMATS.map(
    (format) =>
      `<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${escapeHtml(`${feedTitle(site, label)} (${FEED_FORMAT_NAMES[format]})`)}" href="${escapeHtml(site.baseUrl + feedPath(label, format))}">`,
  ).join('\n');
  const head = `<link rel="canonical" href="${escapeHtml(storyPageUrl(site, story.id))}">
<meta name="description" content="${escapeHtml(summary.slice(0, 300))}">
${storyImageMetaTags(story, title, summary)}
${feedLinks}`;
  const body = `<p class="crumbs"><a href="/">${escapeHtml(toFeedText(site.title))}</a></p>
<article>
<p class="meta"><a class="label label-${label}" href="${escapeHtml(feedPath(label, 'rss'))}">${escapeHtml(CATEGORY_NAMES[label])}</a> · ${dateTag(story.publishedAt)}</p>
<h1>${escapeHtml(title)}</h1>
${storyImageHtml(story, title, 'lead')}
${summary !== '' ? `<p class="summary">${escapeHtml(summary)}</p>` : ''}
${original !== null ? `<p><a class="original" href="${escapeHtml(original)}" rel="noopener">Read the original article</a></p>` : ''}
<h2>Covered by ${story.outlets.length} outlet${story.outlets.length === 1 ? '' : 's'}</h2>
${outletList(story)}
</article>
<section aria-labelledby="next-read">
<h2 id="next-read">Your next read</h2>
${relatedList(related)}
</section>
${renderSignupForm()}
<footer><p class="muted">More ${escapeHtml(CATEGORY_NAMES[label].toLowerCase())} stories: ${FEED_FORMATS.map((format) => `<a href="${escapeHtml(feedPath(label, format))}">${escapeHtml(FEED_FORMAT_NAMES[format])}</a>`).join(' · ')}</p></footer>`;
  return renderPageShell(`${title} — ${toFeedText(site.title)}`, head, body);
}

export function renderStoryNotFoundPage(site: SiteInfo): string {
  return renderPageShell(
    `Story not found — ${toFeedText(site.title)}`,
    '<meta name="robots" content="noindex">',
    `<h1>Story not found</h1>
<p>There is no public story at this address. It may never have existed, or it is not part of the published feeds.</p>
<p><a href="/">See the latest stories</a></p>`,
  );
}

/** A full HTML document. `title` is plain text (escaped here); `headHtml` and `bodyHtml` must be safe HTML. */
export function renderPageShell(title: string, headHtml: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${headHtml}
<style>${PAGE_CSS}</style>
</head>
<body>
${bodyHtml}
</body>
</html>
`;
}

const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#fbfbfd;--line:#dde1ea;--accent:#3a5bd9}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9f0;--muted:#a0a8b8;--bg:#14161c;--line:#2c313c;--accent:#8ea6ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:46rem;padding:2rem 1.25rem 3rem;font:16px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{margin:.3rem 0 .8rem;font-size:1.8rem;line-height:1.25}
h2{margin:2rem 0 .7rem;font-size:1.15rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
a{color:var(--accent)}
.crumbs{margin:0 0 1.5rem;font-size:.9rem}
.summary{font-size:1.08rem}
.meta,.muted{color:var(--muted);font-size:.9rem}
.meta{margin:0}
.outlets,.related{padding-left:1.2rem}
.outlets li,.related li{margin:.35rem 0}
.related .meta{display:block}
.label{display:inline-block;padding:0 .5rem;border-radius:.6rem;font-size:.8rem;border:1px solid var(--line);text-decoration:none}
.label-video{background:#e7f0ff;color:#1d3f91}
.label-image{background:#fdeefa;color:#7a1f66}
footer{margin-top:2.5rem}
.related{list-style:none;padding-left:0}
${STORY_IMAGE_CSS}`;
