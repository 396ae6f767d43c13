/**
 * Renders published stories as RSS 2.0, Atom 1.0 (RFC 4287) or JSON Feed 1.1.
 *
 * Pure: the same stories and site always give the same bytes (no "now"), so a rendered body can be
 * cached and keyed by the publication version.
 *
 * Escaping contract (see the comments on each field):
 * - every string is first cleaned of characters that are illegal in XML 1.0 (xml-safe-text.ts);
 * - fields a reader interprets as HTML (Atom title/summary/content of type="html", RSS description,
 *   content:encoded, JSON content_html) receive HTML-escaped text, so `<script>` in a headline is shown
 *   as text and never becomes markup;
 * - plain-text fields receive the text as is and the XML writer escapes it exactly once.
 */
import escapeHtml from 'escape-html';
import { Feed, type Item as FeedItem } from 'feed';
import type { FeedCategory, Outlet, Story } from '../model';
import { imageMediaType } from './image-type';
import { declareMediaNamespace, mediaImageElement, mediaImageExtension } from './media-rss';
import { breakCdataTerminators, forXmlJsText, toFeedText, toPlainTextField } from './xml-safe-text';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_CATEGORIES = ['video', 'image', 'all'] as const satisfies readonly FeedCategory[];

export function isFeedFormat(value: unknown): value is FeedFormat {
  return typeof value === 'string' && (FEED_FORMATS as readonly string[]).includes(value);
}

export function isFeedCategory(value: unknown): value is FeedCategory {
  return typeof value === 'string' && (FEED_CATEGORIES as readonly string[]).includes(value);
}

/** Media type served for each format (also used in autodiscovery `<link type=...>`). */
export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export const FEED_FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };

export const CATEGORY_NAMES: Record<FeedCategory, string> = { video: 'Video', image: 'Image', all: 'Video & Image' };

export const CATEGORY_BLURBS: Record<FeedCategory, string> = {
  video: 'Stories about generative video models and tools.',
  image: 'Stories about generative image models and tools.',
  all: 'Stories about generative video and image models and tools.',
};

export interface SiteInfo {
  /** Absolute origin (+ optional path prefix) of the public service, no trailing slash. */
  baseUrl: string;
  title: string;
  description: string;
}

export interface RenderOptions {
  /** Feed-level "updated"/lastBuildDate; defaults to the newest story change (never "now", to stay deterministic). */
  updated?: Date;
}

/**
 * The year in tag: ids (RFC 4151) is part of the id, not a timestamp: it must stay fixed forever,
 * otherwise every reader would see every entry as new.
 */
const TAG_ID_YEAR = '2026';

export function feedPath(category: FeedCategory, format: FeedFormat): string {
  return `/feeds/${category}.${format}`;
}

export function feedUrl(site: SiteInfo, category: FeedCategory, format: FeedFormat): string {
  return `${site.baseUrl}${feedPath(category, format)}`;
}

export function feedTitle(site: SiteInfo, category: FeedCategory): string {
  return `${site.title} — ${CATEGORY_NAMES[category]}`;
}

export function feedDescription(site: SiteInfo, category: FeedCategory): string {
  const siteSentence = toFeedText(site.description).replace(/([^.!?])$/, '$1.');
  return `${siteSentence} ${CATEGORY_BLURBS[category]}`.trim();
}

/** Stable entry id shared by all formats, e.g. `tag:news.example.com,2026:story/42`. */
export function storyTagId(site: SiteInfo, storyId: number): string {
  return `tag:${tagAuthority(site)},${TAG_ID_YEAR}:story/${storyId}`;
}

function feedTagId(site: SiteInfo, category: FeedCategory): string {
  return `tag:${tagAuthority(site)},${TAG_ID_YEAR}:feed/${category}`;
}

/** tag: authorities are DNS names (no port), so ids do not change when the service moves port. */
function tagAuthority(site: SiteInfo): string {
  return new URL(site.baseUrl).hostname;
}

/** What every format says about one story, computed once. */
interface EntryFacts {
  id: string;
  title: string;
  summary: string;
  link: string;
  label: string;
  /** Story author, else the outlets that reported it. */
  authorName: string;
  outlets: { name: string; url: string | null }[];
  reportedBy: string;
  published: Date;
  updated: Date;
  contentHtml: string;
  /** The story's lead image: an absolute http(s) URL, or null. */
  image: { url: string; type: string | null } | null;
}

export function renderFeed(
  format: FeedFormat,
  category: FeedCategory,
  stories: Story[],
  site: SiteInfo,
  options: RenderOptions = {},
): string {
  const entries = stories.map((story) => entryFacts(story, site));
  const updated = options.updated ?? newestUpdate(entries);
  switch (format) {
    case 'rss':
      return renderRss(category, entries, site, updated);
    case 'atom':
      return renderAtom(category, entries, site, updated);
    case 'json':
      return renderJsonFeed(category, entries, site);
  }
}

function entryFacts(story: Story, site: SiteInfo): EntryFacts {
  const outlets = uniqueOutlets(story.outlets);
  const outletNames = outlets.map((outlet) => outlet.name);
  const reportedBy = outletNames.length > 0 ? `Reported by ${outletNames.join(', ')}` : '';
  // Title and author are plain text in every format: no tag can survive into them (see toPlainTextField).
  const authorName = toPlainTextField(story.author ?? '') || outletNames.join(', ') || toPlainTextField(site.title);
  const title = toPlainTextField(story.title) || 'Untitled story';
  const summary = toFeedText(story.summary);
  const published = parseDate(story.publishedAt, story.firstSeenAt);
  const lastChange = parseDate(story.updatedAt, story.publishedAt);
  // Atom readers treat updated < published as nonsense; a story is never updated before it was published.
  const updated = lastChange.getTime() >= published.getTime() ? lastChange : published;
  const link = safeHttpUrl(story.url) ?? outlets.find((outlet) => outlet.url !== null)?.url ?? `${site.baseUrl}/`;
  const imageUrl = safeHttpUrl(story.imageUrl);
  return {
    id: storyTagId(site, story.id),
    title,
    summary,
    link,
    label: story.label,
    authorName,
    outlets,
    reportedBy,
    published,
    updated,
    contentHtml: contentHtml(summary, outlets),
    image: imageUrl === null ? null : { url: imageUrl, type: imageMediaType(imageUrl) },
  };
}

/** One entry per outlet name, first report wins, links restricted to http(s) so no javascript: URL is published. */
function uniqueOutlets(outlets: Outlet[]): { name: string; url: string | null }[] {
  const seen = new Set<string>();
  const unique: { name: string; url: string | null }[] = [];
  for (const outlet of outlets) {
    const name = toPlainTextField(outlet.feedName);
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    unique.push({ name, url: safeHttpUrl(outlet.url) });
  }
  return unique;
}

function contentHtml(summary: string, outlets: { name: string; url: string | null }[]): string {
  const parts: string[] = [];
  if (summary !== '') parts.push(`<p>${escapeHtml(summary)}</p>`);
  if (outlets.length > 0) {
    const links = outlets.map((outlet) =>
      outlet.url === null ? escapeHtml(outlet.name) : `<a href="${escapeHtml(outlet.url)}">${escapeHtml(outlet.name)}</a>`,
    );
    parts.push(`<p>Reported by ${links.join(', ')}</p>`);
  }
  return parts.join('');
}

export function safeHttpUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function parseDate(iso: string, fallbackIso: string): Date {
  for (const candidate of [iso, fallbackIso]) {
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date(0);
}

function newestUpdate(entries: EntryFacts[]): Date {
  const newest = Math.max(0, ...entries.map((entry) => entry.updated.getTime()));
  return new Date(newest);
}

function baseFeedOptions(category: FeedCategory, site: SiteInfo, updated: Date) {
  return {
    title: forXmlJsText(toFeedText(feedTitle(site, category))),
    description: forXmlJsText(feedDescription(site, category)),
    link: `${site.baseUrl}/`,
    language: 'en',
    updated,
    generator: false as const,
  };
}

function renderRss(category: FeedCategory, entries: EntryFacts[], site: SiteInfo, updated: Date): string {
  const feed = new Feed({
    ...baseFeedOptions(category, site, updated),
    // Emitted as <atom:link rel="self" type="application/rss+xml">.
    feedLinks: { rss: feedUrl(site, category, 'rss') },
  });
  for (const entry of entries) {
    const item: FeedItem = {
      // RSS titles are plain text by convention; `feed` wraps them in CDATA, so the XML carries the text literally.
      title: breakCdataTerminators(entry.title),
      link: entry.link,
      // <guid isPermaLink="false">: the tag: id is stable but not a URL a reader should open.
      guid: entry.id,
      date: entry.updated,
      // Rendered as the RFC 822 <pubDate>.
      published: entry.published,
      // <description> is HTML in practice: escaped plain text, so it reads exactly as the summary.
      description: escapeHtml(entry.summary) || undefined,
      // content:encoded carries the outlet links. Its presence also makes `feed` declare xmlns:dc,
      // which the dc:creator below needs (RSS <author> must be an e-mail address, so it is not used).
      content: entry.contentHtml || escapeHtml(entry.title),
      category: [{ name: entry.label }],
      extensions: [
        { name: 'dc:creator', objects: { _text: forXmlJsText(entry.authorName) } },
        // RSS requires an enclosure type: an image whose type is unknown goes out as Media RSS instead.
        ...(entry.image !== null && entry.image.type === null ? [mediaImageExtension(entry.image.url)] : []),
      ],
      // <enclosure url type length="0">.
      ...(entry.image?.type ? { image: { url: entry.image.url, type: entry.image.type, length: 0 } } : {}),
    };
    feed.addItem(item);
  }
  const xml = feed.rss2();
  return hasUntypedImage(entries) ? declareMediaNamespace(xml, 'rss') : xml;
}

/** Whether any entry's image is published as Media RSS (its media type is unknown). */
function hasUntypedImage(entries: EntryFacts[]): boolean {
  return entries.some((entry) => entry.image !== null && entry.image.type === null);
}

function renderAtom(category: FeedCategory, entries: EntryFacts[], site: SiteInfo, updated: Date): string {
  const feed = new Feed({
    ...baseFeedOptions(category, site, updated),
    id: feedTagId(site, category),
    // Emitted as <link rel="self">; `link` above becomes <link rel="alternate">.
    feedLinks: { atom: feedUrl(site, category, 'atom') },
    author: { name: forXmlJsText(toFeedText(site.title)), link: `${site.baseUrl}/` },
  });
  for (const entry of entries) {
    feed.addItem({
      // `feed` always marks Atom title/summary/content as type="html", so readers decode them as HTML:
      // the text must be HTML-escaped or a `<script>` in a headline would become markup.
      title: escapeHtml(entry.title),
      // Entry <id>; `feed` would fall back to the link, which is not stable across URL clean-ups.
      id: entry.id,
      // Written as <link href=...> without rel, which RFC 4287 §4.2.7.2 defines as rel="alternate".
      link: entry.link,
      date: entry.updated,
      published: entry.published,
      description: escapeHtml(entry.summary) || undefined,
      content: entry.contentHtml || undefined,
      author: [{ name: forXmlJsText(entry.authorName) }],
      category: [{ term: entry.label, name: entry.label }],
      // <link rel="enclosure" href type>, or Media RSS when the type is unknown; see withAtomImages.
      ...(entry.image !== null ? { image: entry.image.url } : {}),
    });
  }
  return withAtomImages(feed.atom1(), entries);
}

/**
 * `feed` writes an Atom enclosure's type as "image/" + the URL's extension ("image/jpg" for .jpg,
 * nonsense for a URL without one). Each one is rewritten to the registered type, or, when the type
 * is unknown, replaced by `<media:content medium="image">` in the same place: a link without a type
 * would be listed by readers (Miniflux) as an attachment of unknown kind, not shown as the picture.
 * The XML is `feed`'s own output, whose enclosure links have exactly this shape; hrefs are
 * URL-serialized with '&' escaped, so they hold no quote.
 */
function withAtomImages(xml: string, entries: EntryFacts[]): string {
  const types = new Map<string, string | null>();
  for (const entry of entries) if (entry.image !== null) types.set(entry.image.url.replace(/&/g, '&amp;'), entry.image.type);
  if (types.size === 0) return xml;
  const rewritten = xml.replace(/(<link rel="enclosure" href="([^"]*)" type=")([^"]*)"\/>/g, (match, start: string, href: string) => {
    const type = types.get(href);
    if (type === undefined) return match;
    return type === null ? mediaImageElement(href.replace(/&amp;/g, '&')) : `${start}${type}"/>`;
  });
  return hasUntypedImage(entries) ? declareMediaNamespace(rewritten, 'feed') : rewritten;
}

/**
 * JSON Feed 1.1 is written directly: `feed` v6 only emits JSON Feed 1.0 (old version URL, singular
 * `author`), and JSON needs no escaping beyond JSON.stringify.
 */
interface JsonFeedAuthor {
  name: string;
  url?: string;
}

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html: string;
  date_published: string;
  date_modified: string;
  authors: JsonFeedAuthor[];
  tags: string[];
  image?: string;
  /** Extension (JSON Feed §"Extensions": keys start with "_"): every outlet that covered the story. */
  _genai_media_wire: { label: string; reported_by: string; outlets: { name: string; url: string | null }[] };
}

interface JsonFeedDocument {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

function renderJsonFeed(category: FeedCategory, entries: EntryFacts[], site: SiteInfo): string {
  const document: JsonFeedDocument = {
    version: 'https://jsonfeed.org/version/1.1',
    title: toFeedText(feedTitle(site, category)),
    home_page_url: `${site.baseUrl}/`,
    feed_url: feedUrl(site, category, 'json'),
    description: feedDescription(site, category),
    language: 'en',
    authors: [{ name: toFeedText(site.title), url: `${site.baseUrl}/` }],
    items: entries.map((entry) => ({
      id: entry.id,
      url: entry.link,
      title: entry.title,
      // JSON Feed's summary is plain text too, and readers render it like the title.
      ...(entry.summary !== '' ? { summary: toPlainTextField(entry.summary) } : {}),
      content_html: entry.contentHtml || escapeHtml(entry.title),
      date_published: entry.published.toISOString(),
      date_modified: entry.updated.toISOString(),
      authors: [{ name: entry.authorName }],
      tags: [entry.label],
      ...(entry.image !== null ? { image: entry.image.url } : {}),
      _genai_media_wire: { label: entry.label, reported_by: entry.reportedBy, outlets: entry.outlets },
    })),
  };
  return JSON.stringify(document, null, 2);
}
