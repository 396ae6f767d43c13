import type Database from 'better-sqlite3';
import type { Classification, Label, Outlet, ReviewStatus, Story } from '../model';

export interface StoryRow {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  author: string | null;
  categories: string;
  image_url: string | null;
  predicted_label: string;
  confidence: number;
  terms: string;
  editor_label: string | null;
  label: string;
  status: string;
  pinned: number;
  published: number;
  published_at: string;
  first_seen_at: string;
  updated_at: string;
  merged_into?: number | null;
  wording_by_editor?: number;
}

interface OutletRow {
  item_id: number;
  title: string;
  story_id: number;
  feed_id: string;
  feed_name: string;
  url: string | null;
  published_at: string;
  fetched_at: string;
}

function parseJsonArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

/** A story's outlets, and when the last of its items was stored (an outlet joining changes the story). */
interface StoryOutlets {
  outlets: Outlet[];
  lastItemStoredAt: string;
}

/** Loads the outlets of many stories in one query (no N+1 when rendering a feed page). */
function outletsByStory(db: Database.Database, storyIds: readonly number[]): Map<number, StoryOutlets> {
  const result = new Map<number, StoryOutlets>();
  if (storyIds.length === 0) return result;
  const rows = db
    .prepare(
      `SELECT i.id AS item_id, i.title, i.story_id, i.feed_id, f.name AS feed_name, i.original_url AS url, i.published_at,
         i.fetched_at
       FROM items i JOIN feeds f ON f.id = i.feed_id
       WHERE i.story_id IN (SELECT value FROM json_each(?))
       ORDER BY i.story_id, i.published_at, i.id`,
    )
    .all(JSON.stringify(storyIds)) as OutletRow[];
  for (const row of rows) {
    let story = result.get(row.story_id);
    if (!story) result.set(row.story_id, (story = { outlets: [], lastItemStoredAt: row.fetched_at }));
    if (row.fetched_at > story.lastItemStoredAt) story.lastItemStoredAt = row.fetched_at;
    const list = story.outlets;
    // One outlet per feed: a feed re-posting the same URL is still one outlet.
    if (!list.some((outlet) => outlet.feedId === row.feed_id)) {
      list.push({
        feedId: row.feed_id,
        feedName: row.feed_name,
        url: row.url,
        publishedAt: row.published_at,
        itemId: row.item_id,
        title: row.title,
      });
    }
  }
  return result;
}

function toStory(row: StoryRow, stored: StoryOutlets | undefined): Story {
  const predicted: Classification = {
    label: row.predicted_label as Label,
    confidence: row.confidence,
    terms: parseJsonArray(row.terms),
  };
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    url: row.url,
    author: row.author,
    categories: parseJsonArray(row.categories),
    imageUrl: row.image_url,
    predicted,
    editorLabel: (row.editor_label as Label | null) ?? null,
    label: row.label as Label,
    status: row.status as ReviewStatus,
    pinned: row.pinned === 1,
    published: row.published === 1,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    // Its own last change (an editor's, a recluster's) or the last outlet that joined it.
    updatedAt: stored && stored.lastItemStoredAt > row.updated_at ? stored.lastItemStoredAt : row.updated_at,
    outlets: stored?.outlets ?? [],
    mergedInto: row.merged_into ?? null,
    wordingByEditor: row.wording_by_editor === 1,
  };
}

export function hydrateStories(db: Database.Database, rows: readonly StoryRow[]): Story[] {
  const outlets = outletsByStory(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toStory(row, outlets.get(row.id)));
}
