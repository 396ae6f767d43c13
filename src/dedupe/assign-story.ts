import type { NormalizedItem } from '../model';
import { epochDay, lshBuckets, pickDuplicate, titleTokens, tokenHashes, type TitleCandidate } from './title-signature';

/** Read access to what is already stored, implemented by store/ inside the ingest transaction. */
export interface StoryLookup {
  itemExists(feedId: string, guid: string): boolean;
  /** The story holding an item with this canonical URL, or null. */
  storyByCanonicalUrl(canonicalUrl: string): number | null;
  /** Feeds that already reported a story. */
  feedsOfStory(storyId: number): readonly string[];
  titleCandidates(buckets: readonly number[], fromDay: number, toDay: number): readonly TitleCandidate[];
}

export interface DedupeSettings {
  titleSimilarity: number;
  windowDays: number;
}

export type StoryAssignment =
  /** This feed already delivered this item (same guid) or the same article (same canonical URL). */
  | { kind: 'already-stored'; reason: 'guid' | 'url' }
  /** Another outlet's report of a stored story. */
  | { kind: 'join'; storyId: number; reason: 'url' | 'title'; similarity: number }
  /** A story nobody reported yet: its headline words, their hashes and LSH buckets, for the index. */
  | { kind: 'new'; tokens: string[]; hashes: number[]; buckets: number[] };

/** Decides whether an item is known, joins an existing story cluster, or starts a new one. */
export function assignStory(item: NormalizedItem, lookup: StoryLookup, settings: DedupeSettings): StoryAssignment {
  if (lookup.itemExists(item.feedId, item.guid)) return { kind: 'already-stored', reason: 'guid' };
  if (item.canonicalUrl) {
    const storyId = lookup.storyByCanonicalUrl(item.canonicalUrl);
    if (storyId !== null) {
      if (lookup.feedsOfStory(storyId).includes(item.feedId)) return { kind: 'already-stored', reason: 'url' };
      return { kind: 'join', storyId, reason: 'url', similarity: 1 };
    }
  }
  const tokens = titleTokens(item.title);
  const hashes = tokenHashes(tokens);
  const buckets = lshBuckets(hashes);
  if (buckets.length > 0) {
    const day = epochDay(item.publishedAt);
    const candidates = lookup.titleCandidates(buckets, day - settings.windowDays, day + settings.windowDays);
    const duplicate = pickDuplicate(hashes, item.feedId, candidates, settings.titleSimilarity, lookup.feedsOfStory);
    if (duplicate) return { kind: 'join', storyId: duplicate.storyId, reason: 'title', similarity: duplicate.similarity };
  }
  return { kind: 'new', tokens, hashes, buckets };
}
