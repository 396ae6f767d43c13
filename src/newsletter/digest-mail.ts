/**
 * The digest issue as an e-mail: subject with the issue's date, a plain-text part and an HTML part
 * with the top stories per category (title, summary, lead image or a placeholder, link to the story
 * page), a visible unsubscribe link, and the RFC 8058 one-click unsubscribe headers.
 *
 * Everything from source feeds (titles, summaries, outlet names, image URLs) is plain text: it goes
 * through toFeedText and escape-html, and URLs must be http(s), so nothing a feed sends becomes markup.
 * The HTML is table-free and uses inline styles only: mail clients drop <style> blocks and scripts.
 */
import escapeHtml from 'escape-html';
import type { Digest, DigestEntry } from '../digest/digest-types';
import { storyPagePath } from '../digest/digest-feed';
import { CATEGORY_NAMES, safeHttpUrl, type SiteInfo } from '../publish/feed-builder';
import { toFeedText } from '../publish/xml-safe-text';
import type { OutgoingMail } from './mail-transport';

/** A story's lead image URL (Story.imageUrl); null when the story has none. */
export type LeadImageLookup = (storyId: number) => string | null;

export interface DigestMailInput {
  site: SiteInfo;
  digest: Digest;
  from: string;
  to: string;
  /** Signed one-click unsubscribe URL for this subscriber. */
  unsubscribeUrl: string;
  leadImage: LeadImageLookup;
}

const SUMMARY_MAX_CHARS = 400;

export function digestMailSubject(site: SiteInfo, digest: Pick<Digest, 'periodDate'>): string {
  return `${toFeedText(site.title)} digest — ${longDate(digest.periodDate)}`;
}

/** "2026-12-03" -> "Thursday, 3 December 2026" (UTC calendar date, so no zone shifts it). */
export function longDate(periodDate: string): string {
  const date = new Date(`${periodDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return periodDate;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** A deterministic Message-ID per subscriber and issue: if a send is ever repeated, mailbox providers that de-duplicate by Message-ID show it once. */
export function digestMessageId(site: SiteInfo, digestId: number, subscriberId: number): string {
  return `<digest-${digestId}.subscriber-${subscriberId}@${new URL(site.baseUrl).hostname}>`;
}

function shortSummary(summary: string): string {
  const text = toFeedText(summary);
  if (text.length <= SUMMARY_MAX_CHARS) return text;
  const cut = text.slice(0, SUMMARY_MAX_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > SUMMARY_MAX_CHARS * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

interface MailStory {
  title: string;
  summary: string;
  storyUrl: string;
  imageUrl: string | null;
  outlets: string[];
}

function toMailStory(entry: DigestEntry, site: SiteInfo, leadImage: LeadImageLookup): MailStory {
  return {
    title: toFeedText(entry.title) || 'Untitled story',
    summary: shortSummary(entry.summary),
    storyUrl: `${site.baseUrl}${storyPagePath(entry.storyId)}`,
    imageUrl: safeHttpUrl(leadImage(entry.storyId)),
    outlets: [...new Set(entry.outlets.map((outlet) => toFeedText(outlet.name)).filter((name) => name !== ''))],
  };
}

export function buildDigestMail(input: DigestMailInput): OutgoingMail {
  const { site, digest } = input;
  const sections = digest.sections.map((section) => ({
    heading: CATEGORY_NAMES[section.label],
    label: section.label,
    stories: section.stories.map((entry) => toMailStory(entry, site, input.leadImage)),
  }));
  const subject = digestMailSubject(site, digest);
  return {
    from: input.from,
    to: input.to,
    subject,
    text: plainText(site, digest, sections, input.unsubscribeUrl),
    html: html(site, digest, subject, sections, input.unsubscribeUrl),
    // nodemailer writes List-Unsubscribe: <url>; RFC 8058 adds the one-click POST marker.
    list: { unsubscribe: input.unsubscribeUrl },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

type MailSection = { heading: string; label: string; stories: MailStory[] };

function plainText(site: SiteInfo, digest: Digest, sections: MailSection[], unsubscribeUrl: string): string {
  const lines = [`${toFeedText(site.title)} — the digest of ${longDate(digest.periodDate)}`, ''];
  for (const section of sections) {
    lines.push(section.heading.toUpperCase(), '');
    if (section.stories.length === 0) lines.push(`No ${section.label} stories this time.`, '');
    section.stories.forEach((story, index) => {
      lines.push(`${index + 1}. ${story.title}`);
      if (story.summary !== '') lines.push(`   ${story.summary}`);
      if (story.outlets.length > 0) lines.push(`   Reported by ${story.outlets.join(', ')}`);
      lines.push(`   ${story.storyUrl}`, '');
    });
  }
  lines.push('--', `You receive this because you subscribed at ${site.baseUrl}/ and confirmed your address.`);
  lines.push(`Unsubscribe (one click, at once): ${unsubscribeUrl}`);
  return `${lines.join('\n')}\n`;
}

const FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";
const IMAGE_BOX = 'display:block;width:100%;max-width:560px;height:auto;border-radius:6px;margin:0 0 10px';

function storyHtml(story: MailStory, label: string): string {
  const link = escapeHtml(story.storyUrl);
  const title = escapeHtml(story.title);
  const picture =
    story.imageUrl !== null
      ? `<a href="${link}"><img class="lead-image" src="${escapeHtml(story.imageUrl)}" alt="${title}" width="560" style="${IMAGE_BOX}"></a>`
      : // A neutral block of the category's colour keeps every story the same shape without fetching anything.
        `<div class="lead-placeholder" role="presentation" style="${IMAGE_BOX};height:64px;background:${label === 'video' ? '#e7f0ff' : '#fdeefa'}"></div>`;
  const summary = story.summary !== '' ? `<p style="margin:0 0 6px;color:#1d2330">${escapeHtml(story.summary)}</p>` : '';
  const outlets =
    story.outlets.length > 0
      ? `<p style="margin:0 0 6px;color:#5b6475;font-size:13px">Reported by ${escapeHtml(story.outlets.join(', '))}</p>`
      : '';
  return `<div class="story" style="margin:0 0 26px">${picture}<h3 style="margin:0 0 6px;font-size:17px;line-height:1.3"><a class="story-link" href="${link}" style="color:#1d2330;text-decoration:none">${title}</a></h3>${summary}${outlets}<p style="margin:0"><a href="${link}" style="color:#3a5bd9">Read the story</a></p></div>`;
}

function html(site: SiteInfo, digest: Digest, subject: string, sections: MailSection[], unsubscribeUrl: string): string {
  const siteTitle = escapeHtml(toFeedText(site.title));
  const body = sections
    .map((section) => {
      const stories =
        section.stories.length === 0
          ? `<p style="color:#5b6475">No ${escapeHtml(section.label)} stories this time.</p>`
          : section.stories.map((story) => storyHtml(story, section.label)).join('');
      return `<h2 style="font-size:20px;margin:28px 0 14px;border-bottom:1px solid #dde1ea;padding-bottom:4px">${escapeHtml(section.heading)}</h2>${stories}`;
    })
    .join('');
  const unsubscribe = escapeHtml(unsubscribeUrl);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f8">
<div style="max-width:600px;margin:0 auto;padding:24px 20px;background:#ffffff;${FONT};font-size:15px;line-height:1.5;color:#1d2330">
<p style="margin:0;color:#5b6475;font-size:13px">${escapeHtml(longDate(digest.periodDate))}</p>
<h1 style="margin:4px 0 4px;font-size:24px"><a href="${escapeHtml(`${site.baseUrl}/`)}" style="color:#1d2330;text-decoration:none">${siteTitle}</a></h1>
<p style="margin:0 0 8px;color:#5b6475">The most important stories in generative image and video AI, distilled into a 2-minute read.</p>
${body}
<hr style="border:0;border-top:1px solid #dde1ea;margin:28px 0 14px">
<p style="margin:0;color:#5b6475;font-size:13px">You receive this because you subscribed at <a href="${escapeHtml(`${site.baseUrl}/`)}" style="color:#5b6475">${siteTitle}</a> and confirmed your address.
<a class="unsubscribe" href="${unsubscribe}" style="color:#5b6475">Unsubscribe</a> at any time.</p>
</div>
</body></html>
`;
}
