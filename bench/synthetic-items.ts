/**
 * Normalized items made straight from synthetic stories, for filling a store with hundreds of
 * thousands of stories without writing and parsing that much XML. Links are canonicalized by the
 * service's own function, so URL dedupe sees exactly what a parsed feed would give it.
 */
import { canonicalizeUrl } from '../src/dedupe/canonical-url';
import type { NormalizedItem } from '../src/model';
import type { SyntheticStory } from './headlines';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#8217;': '’', '&#8594;': '→' };

/** The plain text the parser would make of a generated summary (only the entities the generator emits). */
function plainSummary(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#a-z0-9]+;/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

export function storyLink(feedId: string, story: SyntheticStory): string {
  return `https://${feedId}.example/news/${story.slug}`;
}

export function syntheticItem(
  feedId: string,
  story: SyntheticStory,
  publishedAt: Date,
  overrides: { title?: string; link?: string; guid?: string } = {},
): NormalizedItem {
  const link = overrides.link ?? storyLink(feedId, story);
  return {
    feedId,
    guid: overrides.guid ?? link,
    originalUrl: link,
    canonicalUrl: canonicalizeUrl(link),
    title: overrides.title ?? story.title,
    summary: plainSummary(story.summaryHtml),
    author: story.author,
    publishedAt: publishedAt.toISOString(),
    hasFeedDate: true,
    categories: story.categories,
  };
}
