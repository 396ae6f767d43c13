/**
 * Read-only queries over stories for story pages, related reads and digests.
 * Writes and the curation policy stay in stories-repository.ts; this file only reads.
 */
import type Database from 'better-sqlite3';
import type { PublishedLabel, Story } from '../model';
import { hydrateStories, type StoryRow } from './story-rows';

/** The text of a published story, without outlets: what similarity needs, cheap to load in bulk. */
export interface StoryText {
  id: number;
  title: string;
  summary: string;
  publishedAt: string;
}

export class StoryQueries {
  constructor(private readonly db: Database.Database) {}

  /** The newest `limit` published stories of a label (by publishedAt, then id), text only. */
  recentPublishedTexts(label: PublishedLabel, limit: number): StoryText[] {
    return this.db
      .prepare(
        `SELECT id, title, summary, published_at AS publishedAt FROM stories
         WHERE published = 1 AND label = ? ORDER BY published_at DESC, id DESC LIMIT ?`,
      )
      .all(label, limit) as StoryText[];
  }

  /** Published stories with these ids, with outlets, in the order of `ids`; unknown or unpublished ids are skipped. */
  publishedStoriesByIds(ids: readonly number[]): Story[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM stories WHERE published = 1 AND id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as StoryRow[];
    const byId = new Map(hydrateStories(this.db, rows).map((story) => [story.id, story]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Published stories of a label with `from <= publishedAt < to`, with outlets, newest first.
   * publishedAt is stored as `Date.toISOString()` output, so ISO strings compare like the instants they
   * denote and the range uses the (published, label, published_at) index. At most `limit` rows.
   */
  publishedStoriesInRange(label: PublishedLabel, from: Date, to: Date, limit: number): Story[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM stories
         WHERE published = 1 AND label = ? AND published_at >= ? AND published_at < ?
         ORDER BY published_at DESC, id DESC LIMIT ?`,
      )
      .all(label, from.toISOString(), to.toISOString(), limit) as StoryRow[];
    return hydrateStories(this.db, rows);
  }
}
