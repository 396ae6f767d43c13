/**
 * The typed domain shared by every pipeline stage.
 *
 * Data flows one way: sources -> fetch -> parse -> dedupe -> classify -> store -> publish -> http.
 * Stages exchange only these types; only `store/` knows SQL and only `http/` knows Express.
 */

export const LABELS = ['video', 'image', 'neither'] as const;
export type Label = (typeof LABELS)[number];

/** The two labels that are ever published to subscribers. */
export const PUBLISHED_LABELS = ['video', 'image'] as const;
export type PublishedLabel = (typeof PUBLISHED_LABELS)[number];

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value);
}

/** One feed listed in feeds.config.json (or imported from OPML). */
export interface FeedSource {
  /** Stable slug, unique across the config; used in URLs, logs and the database. */
  id: string;
  name: string;
  url: string;
  /** Minutes between fetches of this feed; falls back to the global schedule. */
  intervalMinutes?: number;
  /** A prior for the classifier's output, e.g. a video-only outlet. Never overrides an editor. */
  categoryHint?: Label;
  enabled: boolean;
}

/** What the fetcher remembers about a feed between runs (per-feed health). */
export interface FeedState {
  feedId: string;
  etag: string | null;
  lastModified: string | null;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  /** ISO time before which the scheduler must not fetch this feed again (backoff / Retry-After). */
  nextAttemptAt: string | null;
  /** Set when the feed was disabled (410 Gone, too many failures); null while active. */
  disabledReason: string | null;
  errorCount: number;
  /** Set when the last fetched document was broken (e.g. truncated) and only its complete items were read: what was wrong. */
  lastRepair: string | null;
}

/** An item as read from a feed document, before canonicalization and dedupe. */
export interface NormalizedItem {
  feedId: string;
  /** guid / atom:id when the feed gives one, else the link; never empty. */
  guid: string;
  /** The link as published (absolute), or null when the item has none. */
  originalUrl: string | null;
  /** Canonical form of originalUrl (see dedupe/canonical-url.ts), or null. */
  canonicalUrl: string | null;
  title: string;
  /** Plain text, HTML stripped, whitespace collapsed, length-capped. */
  summary: string;
  author: string | null;
  /** ISO 8601. Falls back to the fetch time when the feed has no usable date. */
  publishedAt: string;
  /** True when publishedAt came from the feed rather than the fallback. */
  hasFeedDate: boolean;
  categories: string[];
  /**
   * The item's lead image: an absolute http(s) URL taken from the feed (media:content, an image
   * enclosure, JSON Feed image, else the first <img> of the content), or null. Hotlinked, never fetched.
   */
  imageUrl: string | null;
}

export interface Classification {
  label: Label;
  /** Probability-like score of `label`, in [0, 1]. */
  confidence: number;
  /** Terms that contributed most to the decision, strongest first. */
  terms: string[];
}

/** Who decided a story's fate. */
export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/** One outlet's report of a story. */
export interface Outlet {
  feedId: string;
  feedName: string;
  url: string | null;
  publishedAt: string;
  /** The stored item behind this outlet's report (what an editor splits out of a story). */
  itemId?: number;
  /** The outlet's own headline. */
  title?: string;
}

/** A cluster of items from one or more outlets that report the same story. */
export interface Story {
  id: number;
  title: string;
  summary: string;
  /** Link to the first outlet's article. */
  url: string | null;
  author: string | null;
  categories: string[];
  /** The story's lead image (absolute http(s) URL): its first outlet's, else the first an outlet gave; null when none has one. */
  imageUrl: string | null;
  /** The model's label at ingest time. */
  predicted: Classification;
  /** An editor's label, when one relabelled the story. */
  editorLabel: Label | null;
  /** editorLabel ?? predicted.label */
  label: Label;
  status: ReviewStatus;
  pinned: boolean;
  /** Whether current curation rules put it into the public feeds. */
  published: boolean;
  publishedAt: string;
  firstSeenAt: string;
  updatedAt: string;
  outlets: Outlet[];
  /** Set when an editor merged this story into another: its items, readers and links moved there. */
  mergedInto?: number | null;
  /** True when an editor wrote the headline and summary: kept when outlets join and on recluster. */
  wordingByEditor?: boolean;
}

/** An editor action, stored with who and when. */
export type EditorAction =
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'relabel'; label: Label }
  | { kind: 'pin'; pinned: boolean }
  /** Move every report of this story into another story (this one then redirects there). */
  | { kind: 'merge'; intoStoryId: number }
  /** Take one report (item) out of this story into a story of its own. */
  | { kind: 'split'; itemId: number }
  /** The site's own headline and/or summary for the story. */
  | { kind: 'edit'; title?: string; summary?: string };

export interface EditorDecision {
  id: number;
  storyId: number;
  action: EditorAction;
  editor: string;
  decidedAt: string;
}

/** A labelled training example (corpus line or editor relabel). */
export interface LabelledText {
  title: string;
  summary: string;
  label: Label;
}

/** Which subscriber feed a request is for. */
export type FeedCategory = PublishedLabel | 'all';

/** Per-feed status shown on /health. */
export interface FeedHealth {
  feed: FeedSource;
  state: FeedState;
  itemCount: number;
  lastItemAt: string | null;
}

export interface PublishedFeedQuery {
  category: FeedCategory;
  limit: number;
  offset: number;
}

/**
 * What the publish stage reads from storage. `version` changes whenever anything that could alter a
 * published feed changes (new story, editor decision, relabel), so it keys ETags and the render cache.
 */
export interface PublishedStoryReader {
  /** Published stories of the category, newest first by publishedAt then id. */
  listPublishedStories(query: PublishedFeedQuery): Story[];
  publicationState(): { version: number; lastModified: string | null };
}
