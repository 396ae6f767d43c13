/**
 * The digest feed (/feeds/digest.rss|atom|json): one entry per stored issue, newest first.
 *
 * Follows publish/feed-builder.ts: pure (same issues and site give the same bytes), stable tag: ids,
 * every string cleaned with toFeedText, and HTML-interpreted fields receive escaped text so a `<script>`
 * headline stays text. Entry id `tag:<host>,2026:digest/<period date>`, entry date = the period end.
 */
import escapeHtml from 'escape-html';
import { Feed } from 'feed';
import { FEED_MEDIA_TYPES, safeHttpUrl, type FeedFormat, type SiteInfo } from '../publish/feed-builder';
import { breakCdataTerminators, forXmlJsText, toFeedText } from '../publish/xml-safe-text';
import type { Digest, DigestEntry, DigestSection } from './digest-types';

/** Fixed forever (RFC 4151): changing it would make every reader see every issue as new. */
const TAG_ID_YEAR = '2026';

const SECTION_NAMES: Record<DigestSection['label'], string> = { video: 'Video', image: 'Image' };

export function digestFeedPath(format: FeedFormat): string {
  return `/feeds/digest.${format}`;
}

/** The web page (served by http/digest-routes.ts). */
export function digestPagePath(digest: Pick<Digest, 'periodDate'>): string {
  return `/digests/${digest.periodDate}`;
}

export function storyPagePath(storyId: number): string {
  return `/stories/${storyId}`;
}

export function digestTagId(site: SiteInfo, digest: Pick<Digest, 'periodDate'>): string {
  // tag: authorities are DNS names (no port), as in feed-builder.ts.
  return `tag:${new URL(site.baseUrl).hostname},${TAG_ID_YEAR}:digest/${digest.periodDate}`;
}

export function digestFeedTitle(site: SiteInfo): string {
  return `${toFeedText(site.title)} — Digest`;
}

export function digestTitle(site: SiteInfo, digest: Digest): string {
  return `${toFeedText(site.title)} digest — ${digest.periodDate}`;
}

/** "2026-03-02 08:00 UTC": unambiguous whatever the reader's locale. */
export function formatUtcMinute(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function storyCount(digest: Digest): number {
  return digest.sections.reduce((total, section) => total + section.stories.length, 0);
}

/** One-line plain-text summary of an issue. */
export function digestSummary(digest: Digest): string {
  const counts = digest.sections.map(
    (section) => `${section.stories.length} ${SECTION_NAMES[section.label].toLowerCase()}`,
  );
  return `Top stories published ${formatUtcMinute(digest.periodStart)} – ${formatUtcMinute(digest.periodEnd)}: ${counts.join(', ')}.`;
}

function entryHtml(entry: DigestEntry, site: SiteInfo): string {
  const title = escapeHtml(toFeedText(entry.title) || 'Untitled story');
  const storyLink = escapeHtml(`${site.baseUrl}${storyPagePath(entry.storyId)}`);
  const parts = [`<p><a href="${storyLink}"><strong>${title}</strong></a></p>`];
  const summary = toFeedText(entry.summary);
  if (summary !== '') parts.push(`<p>${escapeHtml(summary)}</p>`);
  const outlets = entry.outlets.map((outlet) => {
    const name = escapeHtml(toFeedText(outlet.name));
    const url = safeHttpUrl(outlet.url);
    return url === null ? name : `<a href="${escapeHtml(url)}">${name}</a>`;
  });
  if (outlets.length > 0) parts.push(`<p>Reported by ${outlets.join(', ')}</p>`);
  return `<li>${parts.join('')}</li>`;
}

/** The issue as an HTML fragment: a heading and an ordered list per category. Safe HTML. */
export function digestContentHtml(digest: Digest, site: SiteInfo): string {
  const parts = [`<p>${escapeHtml(digestSummary(digest))}</p>`];
  for (const section of digest.sections) {
    parts.push(`<h2>${SECTION_NAMES[section.label]}</h2>`);
    parts.push(
      section.stories.length === 0
        ? `<p>No ${section.label} stories this period.</p>`
        : `<ol>${section.stories.map((entry) => entryHtml(entry, site)).join('')}</ol>`,
    );
  }
  return parts.join('');
}

/** Plain text for terminals (the CLI). */
export function digestPlainText(digest: Digest): string {
  const lines = [`Digest ${digest.periodDate} (id ${digest.id})`, digestSummary(digest)];
  for (const section of digest.sections) {
    lines.push('', `${SECTION_NAMES[section.label]}:`);
    if (section.stories.length === 0) lines.push('  (no stories this period)');
    section.stories.forEach((entry, index) => {
      const outlets = entry.outlets.map((outlet) => outlet.name).join(', ');
      lines.push(`${String(index + 1).padStart(3)}. ${toFeedText(entry.title)}`);
      lines.push(`     importance ${entry.importance.toFixed(3)} · ${entry.outlets.length} outlet(s): ${outlets}`);
      if (entry.summary !== '') lines.push(`     ${toFeedText(entry.summary)}`);
      if (entry.url !== null) lines.push(`     ${entry.url}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

function feedUpdated(digests: readonly Digest[]): Date {
  // Deterministic: the newest storage time, never "now".
  return new Date(Math.max(0, ...digests.map((digest) => Date.parse(digest.createdAt) || 0)));
}

const FEED_DESCRIPTION = 'The most important generative video and image stories of each digest period.';

export function renderDigestFeed(format: FeedFormat, digests: readonly Digest[], site: SiteInfo): string {
  switch (format) {
    case 'rss':
    case 'atom':
      return renderXmlFeed(format, digests, site);
    case 'json':
      return renderJsonFeed(digests, site);
  }
}

function renderXmlFeed(format: 'rss' | 'atom', digests: readonly Digest[], site: SiteInfo): string {
  const home = `${site.baseUrl}/`;
  const feed = new Feed({
    title: forXmlJsText(digestFeedTitle(site)),
    description: forXmlJsText(FEED_DESCRIPTION),
    link: home,
    language: 'en',
    updated: feedUpdated(digests),
    generator: false,
    id: `tag:${new URL(site.baseUrl).hostname},${TAG_ID_YEAR}:feed/digest`,
    feedLinks: format === 'rss' ? { rss: `${site.baseUrl}${digestFeedPath('rss')}` } : { atom: `${site.baseUrl}${digestFeedPath('atom')}` },
    author: { name: forXmlJsText(toFeedText(site.title)), link: home },
  });
  for (const digest of digests) {
    const periodEnd = new Date(digest.periodEnd);
    const title = digestTitle(site, digest);
    feed.addItem({
      // RSS: plain text in CDATA; Atom: type="html", so escaped (as in feed-builder.ts).
      title: format === 'rss' ? breakCdataTerminators(title) : escapeHtml(title),
      id: digestTagId(site, digest),
      guid: digestTagId(site, digest),
      link: `${site.baseUrl}${digestPagePath(digest)}`,
      date: periodEnd,
      published: periodEnd,
      description: escapeHtml(digestSummary(digest)),
      content: digestContentHtml(digest, site),
    });
  }
  return format === 'rss' ? feed.rss2() : feed.atom1();
}

function renderJsonFeed(digests: readonly Digest[], site: SiteInfo): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: digestFeedTitle(site),
      home_page_url: `${site.baseUrl}/`,
      feed_url: `${site.baseUrl}${digestFeedPath('json')}`,
      description: FEED_DESCRIPTION,
      language: 'en',
      authors: [{ name: toFeedText(site.title), url: `${site.baseUrl}/` }],
      items: digests.map((digest) => ({
        id: digestTagId(site, digest),
        url: `${site.baseUrl}${digestPagePath(digest)}`,
        title: digestTitle(site, digest),
        summary: digestSummary(digest),
        content_html: digestContentHtml(digest, site),
        date_published: new Date(digest.periodEnd).toISOString(),
        _genai_media_wire: { period_start: digest.periodStart, period_end: digest.periodEnd, stories: storyCount(digest) },
      })),
    },
    null,
    2,
  );
}

export const DIGEST_FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: `${FEED_MEDIA_TYPES.rss}; charset=utf-8`,
  atom: `${FEED_MEDIA_TYPES.atom}; charset=utf-8`,
  json: `${FEED_MEDIA_TYPES.json}; charset=utf-8`,
};
