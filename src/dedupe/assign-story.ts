import type { NormalizedItem } from '../model';
import { epochDay, lshBuckets, pickDuplicate, titleTokens, type DuplicateCandidate } from './title-signature';

/** Read access to what is already stored, implemented by store/ inside the ingest transaction. */
export interface StoryLookup {
  itemExists(feedId: string, guid: string): boolean;
  /** The story holding an item with this canonical URL, and which feeds reported that story. */
  storyByCanonicalUrl(canonicalUrl: string): { storyId: number; feedIds: string[] } | null;
  titleCandidates(buckets: readonly number[], fromDay: number, toDay: number): DuplicateCandidate[];
}

export interface DedupeSettings {
  titleSimilarity: number;
  windowDays: number;
}

export type StoryAssignment =
  /** This feed already delivered this item (same guid) or the same article (same canonical URL). */
  | { kind: 'already-stored'; reason: 'guid' | 'url' }
  /** Another outlet's report of a stored story. */
  | { kind: 'join'; storyId: number; reason: 'url' | 'title'; similarity: number; tokens: string[] }
  | { kind: 'new'; tokens: string[]; buckets: number[] };

/** Decides whether an item is known, joins an existing story cluster, or starts a new one. */
export function assignStory(item: NormalizedItem, lookup: StoryLookup, settings: DedupeSettings): StoryAssignment {
  if (lookup.itemExists(item.feedId, item.guid)) return { kind: 'already-stored', reason: 'guid' };
  const tokens = titleTokens(item.title);
  if (item.canonicalUrl) {
    const byUrl = lookup.storyByCanonicalUrl(item.canonicalUrl);
    if (byUrl) {
      if (byUrl.feedIds.includes(item.feedId)) return { kind: 'already-stored', reason: 'url' };
      return { kind: 'join', storyId: byUrl.storyId, reason: 'url', similarity: 1, tokens };
    }
  }
  const buckets = lshBuckets(tokens);
  if (buckets.length > 0) {
    const day = epochDay(item.publishedAt);
    const candidates = lookup.titleCandidates(buckets, day - settings.windowDays, day + settings.windowDays);
    const duplicate = pickDuplicate(tokens, item.feedId, candidates, settings.titleSimilarity);
    if (duplicate) {
      return { kind: 'join', storyId: duplicate.storyId, reason: 'title', similarity: duplicate.similarity, tokens };
    }
  }
  return { kind: 'new', tokens, buckets };
}
