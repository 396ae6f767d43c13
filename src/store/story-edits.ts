/**
 * Editors' fixes to same-event matching: merge a story into another, split a report out into a
 * story of its own, and give a story the site's own headline and summary. Each also leaves
 * labelled report pairs (item_pair_labels) that recluster obeys and tune-clustering learns from.
 * Runs inside StoriesRepository.applyDecision's transaction.
 */
import type Database from 'better-sqlite3';

export class StoryEditError extends Error {
  constructor(
    readonly storyId: number,
    message: string,
  ) {
    super(message);
    this.name = 'StoryEditError';
  }
}

/**
 * SET clauses that give a story the wording of item @first, unless an editor wrote its own: used
 * when the report a story took its wording from leaves it (split, recluster).
 */
export const WORDING_FROM_ITEM = `
  title = CASE WHEN wording_by_editor = 1 THEN title ELSE (SELECT title FROM items WHERE id = @first) END,
  summary = CASE WHEN wording_by_editor = 1 THEN summary ELSE (SELECT summary FROM items WHERE id = @first) END,
  url = CASE WHEN wording_by_editor = 1 THEN url ELSE (SELECT original_url FROM items WHERE id = @first) END`;

export const MAX_EDITED_TITLE = 300;
export const MAX_EDITED_SUMMARY = 4000;

export interface PairLabel {
  itemA: number;
  itemB: number;
  sameEvent: boolean;
}

export class StoryEdits {
  private readonly itemsOf: Database.Statement;
  private readonly storyOf: Database.Statement;
  private readonly recordPair: Database.Statement;
  private readonly touch: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.itemsOf = db.prepare('SELECT id FROM items WHERE story_id = ? ORDER BY id').pluck();
    this.storyOf = db.prepare('SELECT id, merged_into AS mergedInto FROM stories WHERE id = ?');
    this.recordPair = db.prepare(
      `INSERT INTO item_pair_labels (item_a, item_b, same_event, editor, decided_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (item_a, item_b) DO UPDATE SET same_event = excluded.same_event, editor = excluded.editor,
         decided_at = excluded.decided_at`,
    );
    this.touch = db.prepare('UPDATE stories SET updated_at = @at WHERE id = @storyId');
  }

  private labelPairs(left: readonly number[], right: readonly number[], same: boolean, editor: string, at: string): void {
    for (const a of left) {
      for (const b of right) {
        if (a === b) continue;
        this.recordPair.run(Math.min(a, b), Math.max(a, b), same ? 1 : 0, editor, at);
      }
    }
  }

  /** Moves every report of `storyId` into `intoStoryId`; the emptied story redirects there. */
  merge(storyId: number, intoStoryId: number, editor: string, at: string): void {
    if (storyId === intoStoryId) throw new StoryEditError(storyId, 'A story cannot be merged into itself.');
    const target = this.storyOf.get(intoStoryId) as { id: number; mergedInto: number | null } | undefined;
    if (!target) throw new StoryEditError(storyId, `There is no story ${intoStoryId} to merge into.`);
    if (target.mergedInto !== null) {
      throw new StoryEditError(storyId, `Story ${intoStoryId} was itself merged into ${target.mergedInto}; merge into that one.`);
    }
    const moving = this.itemsOf.all(storyId) as number[];
    this.labelPairs(moving, this.itemsOf.all(intoStoryId) as number[], true, editor, at);
    this.db.prepare('UPDATE items SET story_id = ? WHERE story_id = ?').run(intoStoryId, storyId);
    // Stories merged into this one earlier now point at the new target too.
    this.db.prepare('UPDATE stories SET merged_into = ? WHERE merged_into = ?').run(intoStoryId, storyId);
    this.db
      .prepare(`UPDATE stories SET merged_into = ?, published = 0, updated_at = ? WHERE id = ?`)
      .run(intoStoryId, at, storyId);
    // The target is covered earlier if the merged story was.
    this.db
      .prepare(
        `UPDATE stories SET published_at = MIN(published_at, (SELECT published_at FROM stories WHERE id = @from)),
           first_seen_at = MIN(first_seen_at, (SELECT first_seen_at FROM stories WHERE id = @from)) WHERE id = @into`,
      )
      .run({ from: storyId, into: intoStoryId });
    this.touch.run({ storyId: intoStoryId, at });
  }

  /** Takes one report out of `storyId` into a new story of its own; returns the new story's id. */
  split(storyId: number, itemId: number, editor: string, at: string): number {
    const remaining = (this.itemsOf.all(storyId) as number[]).filter((id) => id !== itemId);
    const item = this.db
      .prepare(
        `SELECT id, title, summary, original_url AS url, author, categories, image_url AS imageUrl, label, confidence, terms,
           published_at AS publishedAt
         FROM items WHERE id = ? AND story_id = ?`,
      )
      .get(itemId, storyId) as
      | {
          id: number;
          title: string;
          summary: string;
          url: string | null;
          author: string | null;
          categories: string;
          imageUrl: string | null;
          label: string;
          confidence: number;
          terms: string;
          publishedAt: string;
        }
      | undefined;
    if (!item) throw new StoryEditError(storyId, `Story ${storyId} has no report (item) ${itemId}.`);
    if (remaining.length === 0) throw new StoryEditError(storyId, `Report ${itemId} is the only one in story ${storyId}: there is nothing to split it from.`);
    const newStoryId = Number(
      this.db
        .prepare(
          `INSERT INTO stories (title, summary, url, author, categories, image_url, predicted_label, confidence, terms, label,
             status, published, published_at, first_seen_at, updated_at)
           VALUES (@title, @summary, @url, @author, @categories, @imageUrl, @label, @confidence, @terms, @label,
             'pending', 0, @publishedAt, @at, @at)`,
        )
        .run({ ...item, at }).lastInsertRowid,
    );
    this.db.prepare('UPDATE items SET story_id = ? WHERE id = ?').run(newStoryId, itemId);
    this.labelPairs([itemId], remaining, false, editor, at);
    // The story keeps the wording of a report still in it, unless an editor wrote its own.
    this.db
      .prepare(
        `UPDATE stories SET ${WORDING_FROM_ITEM}
         WHERE id = @storyId AND (SELECT original_url FROM items WHERE id = @item) IS url`,
      )
      .run({ first: remaining[0], storyId, item: itemId });
    this.touch.run({ storyId, at });
    this.touch.run({ storyId: newStoryId, at });
    return newStoryId;
  }

  /** The site's own headline and/or summary; plain text, trimmed, never empty. */
  edit(storyId: number, fields: { title?: string; summary?: string }, at: string): void {
    const title = fields.title?.trim();
    const summary = fields.summary?.trim();
    this.db
      .prepare(
        `UPDATE stories SET title = COALESCE(@title, title), summary = COALESCE(@summary, summary),
           wording_by_editor = 1, updated_at = @at WHERE id = @storyId`,
      )
      .run({ title: title ?? null, summary: summary ?? null, at, storyId });
  }

  /** Every editor verdict on a pair of reports. */
  pairLabels(): PairLabel[] {
    return (
      this.db.prepare('SELECT item_a AS itemA, item_b AS itemB, same_event AS sameEvent FROM item_pair_labels').all() as {
        itemA: number;
        itemB: number;
        sameEvent: number;
      }[]
    ).map((row) => ({ itemA: row.itemA, itemB: row.itemB, sameEvent: row.sameEvent === 1 }));
  }
}
