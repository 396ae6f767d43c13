/**
 * The store's side of `recluster`: the reports to match again (and the window of context before
 * them), the editor decisions to keep, and one transaction that applies the plan.
 */
import type Database from 'better-sqlite3';
import type { ReclusterInput, ReclusterPlan, StoredReport } from '../dedupe/recluster-plan';
import { WORDING_FROM_ITEM, type PairLabel } from './story-edits';

const DAY_MS = 86_400_000;

export interface ReclusterOutcome {
  reports: number;
  moved: number;
  storiesCreated: number;
  storiesRemoved: number;
}

export class ReclusterStore {
  constructor(
    private readonly db: Database.Database,
    /** Re-applies the curation policy to these stories (StoriesRepository owns the policy). */
    private readonly republish: (storyIds: readonly number[], at: string) => void,
  ) {}

  /** Reports published at or after `since` (all when null), in arrival order, and the window before them. */
  input(since: string | null, windowDays: number, pairLabels: readonly PairLabel[]): ReclusterInput {
    const columns = 'id AS itemId, story_id AS storyId, feed_id AS feedId, title, summary, published_at AS publishedAt';
    const moving = this.db
      .prepare(`SELECT ${columns} FROM items WHERE (@since IS NULL OR published_at >= @since) ORDER BY id`)
      .all({ since }) as StoredReport[];
    const fixed =
      since === null
        ? []
        : (this.db
            .prepare(`SELECT ${columns} FROM items WHERE published_at >= @from AND published_at < @since ORDER BY id`)
            .all({ since, from: new Date(Date.parse(since) - windowDays * DAY_MS).toISOString() }) as StoredReport[]);
    const keptStories = new Set(
      this.db
        .prepare(
          `SELECT story_id FROM editor_decisions
           UNION SELECT id FROM stories WHERE wording_by_editor = 1 OR status != 'pending'
           UNION SELECT merged_into FROM stories WHERE merged_into IS NOT NULL`,
        )
        .pluck()
        .all() as number[],
    );
    return { fixed, moving, keptStories, pairLabels };
  }

  apply(input: ReclusterInput, plan: ReclusterPlan, at = new Date().toISOString()): ReclusterOutcome {
    return this.db.transaction((): ReclusterOutcome => {
      const currentStory = new Map(input.moving.map((report) => [report.itemId, report.storyId]));
      const claimed = new Set<number>([...input.keptStories, ...input.fixed.map((report) => report.storyId)]);
      for (const cluster of plan.assignments.values()) if (cluster > 0) claimed.add(cluster);

      // A new cluster takes over the story most of its reports were in, so story links stay stable.
      const storyOfCluster = new Map<number, number>();
      let storiesCreated = 0;
      const insertStory = this.db.prepare(
        `INSERT INTO stories (title, summary, url, author, categories, image_url, predicted_label, confidence, terms, label,
           status, published, published_at, first_seen_at, updated_at)
         SELECT title, summary, original_url, author, categories, image_url, label, confidence, terms, label,
           'pending', 0, published_at, fetched_at, @at FROM items WHERE id = @itemId`,
      );
      for (const [cluster, reports] of plan.newStories) {
        const votes = new Map<number, number>();
        for (const report of reports) {
          const storyId = currentStory.get(report.itemId)!;
          if (!claimed.has(storyId)) votes.set(storyId, (votes.get(storyId) ?? 0) + 1);
        }
        const reused = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
        if (reused !== undefined) {
          claimed.add(reused);
          storyOfCluster.set(cluster, reused);
        } else {
          const earliest = [...reports].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.itemId - b.itemId)[0];
          storyOfCluster.set(cluster, Number(insertStory.run({ itemId: earliest.itemId, at }).lastInsertRowid));
          storiesCreated += 1;
        }
      }

      const moveItem = this.db.prepare('UPDATE items SET story_id = ? WHERE id = ?');
      const touched = new Set<number>();
      let moved = 0;
      for (const [itemId, cluster] of plan.assignments) {
        const target = cluster > 0 ? cluster : storyOfCluster.get(cluster)!;
        const before = currentStory.get(itemId)!;
        if (target === before) continue;
        moveItem.run(target, itemId);
        touched.add(target);
        touched.add(before);
        moved += 1;
      }

      // Stories left without reports go; the others take their wording from their earliest report
      // unless an editor wrote it, and recount their outlets.
      const emptied = [...touched].filter(
        (storyId) => this.db.prepare('SELECT 1 FROM items WHERE story_id = ? LIMIT 1').get(storyId) === undefined,
      );
      const removeStory = this.db.prepare('DELETE FROM stories WHERE id = ? AND merged_into IS NULL');
      let storiesRemoved = 0;
      for (const storyId of emptied) {
        // Stories merged into this one follow it nowhere: point them at nothing they could redirect to.
        this.db.prepare('UPDATE stories SET merged_into = NULL WHERE merged_into = ?').run(storyId);
        storiesRemoved += removeStory.run(storyId).changes;
        touched.delete(storyId);
      }
      const refresh = this.db.prepare(
        `UPDATE stories SET ${WORDING_FROM_ITEM},
           published_at = (SELECT MIN(published_at) FROM items WHERE story_id = @storyId),
           updated_at = @at
         WHERE id = @storyId`,
      );
      const firstItem = this.db.prepare('SELECT id FROM items WHERE story_id = ? ORDER BY published_at, id LIMIT 1').pluck();
      for (const storyId of touched) refresh.run({ storyId, first: firstItem.get(storyId), at });
      this.republish([...touched], at);
      return { reports: input.moving.length, moved, storiesCreated, storiesRemoved };
    }).immediate();
  }
}
