import type { NormalizedItem } from '../model';
import type { EventDoc } from './event-doc';
import type { EventMatch } from './event-index';

/** Read access to what is already stored, implemented by store/ inside the ingest transaction. */
export interface StoryLookup {
  itemExists(feedId: string, guid: string): boolean;
  /** The story holding an item with this canonical URL, or null. */
  storyByCanonicalUrl(canonicalUrl: string): number | null;
  /** Whether this feed already delivered an item with this canonical URL. */
  feedHasUrl(feedId: string, canonicalUrl: string): boolean;
  /** Whether a feed already reported a story. */
  storyHasFeed(storyId: number, feedId: string): boolean;
  /** The item's event vectors; counts its words into the rarity weights (once per stored item). */
  eventDoc(item: NormalizedItem): EventDoc;
  /** The recent story this item most probably reports, from another outlet (see dedupe/event-index.ts). */
  sameEvent(doc: EventDoc): EventMatch | null;
}

export interface DedupeSettings {
  /** Only reports published this many days apart or closer can be one story. */
  windowDays: number;
}

export type StoryAssignment =
  /** This feed already delivered this item (same guid) or the same article (same canonical URL). */
  | { kind: 'already-stored'; reason: 'guid' | 'url' }
  /** Another outlet's report of a stored story. */
  | { kind: 'join'; storyId: number; reason: 'url' | 'event'; similarity: number; evidence: EventDoc }
  /** An event nobody reported yet. */
  | { kind: 'new'; evidence: EventDoc };

/** Decides whether an item is known, joins an existing story cluster, or starts a new one. */
export function assignStory(item: NormalizedItem, lookup: StoryLookup): StoryAssignment {
  if (lookup.itemExists(item.feedId, item.guid)) return { kind: 'already-stored', reason: 'guid' };
  let urlStory: number | null = null;
  if (item.canonicalUrl) {
    urlStory = lookup.storyByCanonicalUrl(item.canonicalUrl);
    // The feed posted this article again under a new guid. (Another item of this feed in the same
    // story is no reason to drop this one: that may be its other report of the event, while this
    // article reached the story first through an outlet that syndicated it.)
    if (urlStory !== null && lookup.feedHasUrl(item.feedId, item.canonicalUrl)) {
      return { kind: 'already-stored', reason: 'url' };
    }
  }
  const evidence = lookup.eventDoc(item);
  if (urlStory !== null) return { kind: 'join', storyId: urlStory, reason: 'url', similarity: 1, evidence };
  const match = lookup.sameEvent(evidence);
  // The index knows the feeds of the items it holds; the store knows them all (older ones may be evicted).
  if (match && !lookup.storyHasFeed(match.storyId, item.feedId)) {
    return { kind: 'join', storyId: match.storyId, reason: 'event', similarity: match.probability, evidence };
  }
  return { kind: 'new', evidence };
}
