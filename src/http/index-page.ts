/**
 * GET / — what this service is, its feeds (with autodiscovery links) and the latest stories.
 * Self-contained HTML: inline CSS, no scripts, no external assets.
 */
import escapeHtml from 'escape-html';
import express from 'express';
import type { FeedCategory, PublishedStoryReader, Story } from '../model';
import {
  CATEGORY_BLURBS,
  CATEGORY_NAMES,
  FEED_CATEGORIES,
  FEED_FORMATS,
  FEED_FORMAT_NAMES,
  FEED_MEDIA_TYPES,
  feedPath,
  feedTitle,
  type SiteInfo,
} from '../publish/feed-builder';
import { toFeedText } from '../publish/xml-safe-text';
import { renderSignupForm } from './newsletter/signup-form';
import { PAGE_CACHE_CONTROL } from './cache-policy';
import { STORY_IMAGE_CSS, storyImageHtml } from './story-image';

export const INDEX_STORY_COUNT = 10;

export interface IndexPageDeps {
  reader: PublishedStoryReader;
  site: SiteInfo;
}

export function createIndexRouter(deps: IndexPageDeps): express.Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    const stories = deps.reader.listPublishedStories({ category: 'all', limit: INDEX_STORY_COUNT, offset: 0 });
    // Short-lived: the page shows the newest stories. Kept per data version by the response memo.
    res.setHeader('Cache-Control', PAGE_CACHE_CONTROL);
    res.type('html').send(renderIndexPage(deps.site, stories));
  });
  return router;
}

export function renderIndexPage(site: SiteInfo, stories: Story[]): string {
  const title = escapeHtml(site.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${escapeHtml(site.description)}">
${autodiscoveryLinks(site)}
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="lede">${escapeHtml(site.description)}</p>
<p>We read AI-news feeds, group reports of the same story from different outlets, sort each story into
<strong>generative video</strong> or <strong>generative image</strong> (editors check the calls), and republish
the result as feeds you can subscribe to in any feed reader.</p>
</header>
<main>
<section aria-labelledby="feeds-heading">
<h2 id="feeds-heading">Subscribe</h2>
${feedTable(site)}
<p class="hint">Feeds accept <code>?limit=</code> (1–200, default 50) and <code>?page=</code>. Fetch status of the sources: <a href="/health">/health</a>.</p>
</section>
<section aria-labelledby="latest-heading">
<h2 id="latest-heading">Latest stories</h2>
${latestStories(stories)}
</section>
${renderSignupForm({ heading: 'Get the digest in your inbox' })}
</main>
</body>
</html>
`;
}

function autodiscoveryLinks(site: SiteInfo): string {
  return FEED_CATEGORIES.flatMap((category) =>
    FEED_FORMATS.map(
      (format) =>
        `<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${escapeHtml(`${feedTitle(site, category)} (${FEED_FORMAT_NAMES[format]})`)}" href="${escapeHtml(site.baseUrl + feedPath(category, format))}">`,
    ),
  ).join('\n');
}

function feedTable(site: SiteInfo): string {
  const header = `<tr><th scope="col">Feed</th>${FEED_FORMATS.map((format) => `<th scope="col">${escapeHtml(FEED_FORMAT_NAMES[format])}</th>`).join('')}</tr>`;
  const rows = FEED_CATEGORIES.map((category: FeedCategory) => {
    const cells = FEED_FORMATS.map((format) => {
      const path = feedPath(category, format);
      return `<td><a href="${escapeHtml(path)}">${escapeHtml(path)}</a></td>`;
    }).join('');
    return `<tr><th scope="row">${escapeHtml(CATEGORY_NAMES[category])}<span class="blurb">${escapeHtml(CATEGORY_BLURBS[category])}</span></th>${cells}</tr>`;
  }).join('\n');
  return `<table>\n<thead>${header}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function latestStories(stories: Story[]): string {
  if (stories.length === 0) return '<p class="empty">No stories published yet. The first ones appear after the next fetch run.</p>';
  const items = stories.map((story) => {
    const text = toFeedText(story.title) || 'Untitled story';
    const title = escapeHtml(text);
    // Our story page (category, every outlet, related reads) links on to the original article.
    const headline = `<a href="/stories/${story.id}">${title}</a>`;
    const outlets = [...new Set(story.outlets.map((outlet) => toFeedText(outlet.feedName)).filter((name) => name !== ''))];
    const date = new Date(story.publishedAt);
    const when = Number.isNaN(date.getTime())
      ? ''
      : `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(date.toISOString().slice(0, 10))}</time>`;
    const meta = [
      `<span class="label label-${escapeHtml(story.label)}">${escapeHtml(story.label)}</span>`,
      when,
      outlets.length > 0 ? `Reported by ${escapeHtml(outlets.join(', '))}` : '',
    ].filter((part) => part !== '');
    return `<li class="with-thumb">${storyImageHtml(story, text, 'thumb')}<div><h3>${headline}</h3><p class="meta">${meta.join(' · ')}</p></div></li>`;
  });
  return `<ol class="stories">\n${items.join('\n')}\n</ol>`;
}

const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#fbfbfd;--line:#dde1ea;--accent:#3a5bd9}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9f0;--muted:#a0a8b8;--bg:#14161c;--line:#2c313c;--accent:#8ea6ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:52rem;padding:2rem 1.25rem 3rem;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{margin:0 0 .25rem;font-size:1.9rem}
h2{margin:2.2rem 0 .8rem;font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{margin:0;font-size:1.02rem;font-weight:600}
a{color:var(--accent)}
.lede{font-size:1.1rem;color:var(--muted);margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.5rem .4rem;text-align:left;vertical-align:top}
thead th{color:var(--muted);font-weight:600}
.blurb{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
code{font-size:.9em}
.hint,.meta,.empty{color:var(--muted);font-size:.9rem}
.stories{list-style:none;padding:0;margin:0}
.stories li{padding:.7rem 0;border-bottom:1px solid var(--line)}
.meta{margin:.2rem 0 0}
.label{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.78rem;border:1px solid var(--line)}
.label-video{background:#e7f0ff;color:#1d3f91}
.label-image{background:#fdeefa;color:#7a1f66}
${STORY_IMAGE_CSS}`;
