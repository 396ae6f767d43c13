/**
 * Normalized items made straight from synthetic stories, for filling a store with hundreds of
 * thousands of stories without writing and parsing that much XML. Links are canonicalized by the
 * service's own function, so URL dedupe sees exactly what a parsed feed would give it.
 */
import { canonicalizeUrl } from '../src/dedupe/canonical-url';
import type { NormalizedItem } from '../src/model';
import type { SyntheticStory } from './headlines';

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
    summary: story.summaryText,
    author: story.author,
    publishedAt: publishedAt.toISOString(),
    hasFeedDate: true,
    categories: story.categories,
    imageUrl: null,
  };
}
