import type Database from 'better-sqlite3';
import { assignStory, type StoryLookup } from '../dedupe/assign-story';
import type {
  Classification,
  EditorAction,
  EditorDecision,
  Label,
  LabelledText,
  NormalizedItem,
  PublishedFeedQuery,
  PublishedStoryReader,
  ReviewStatus,
  Story,
} from '../model';
import type { FeedsRepository, FetchSuccess } from './feeds-repository';
import { RecentEvents, type RecentEventsOptions } from './recent-events';
import { StoryEdits, StoryEditError, type PairLabel } from './story-edits';
import { ReclusterStore, type ReclusterOutcome } from './recluster-store';
import { planRecluster } from '../dedupe/recluster-plan';
import type { EventScorerModel } from '../dedupe/event-scorer';
import { TermStats } from '../dedupe/term-stats';
import { loadEventScorer } from '../dedupe/event-scorer-file';
import { hydrateStories, type StoryRow } from './story-rows';
import { writeTransaction } from './write-transaction';
import { noteLocalWrite } from './data-version';
import { ANCHOR_STEP, PublishedPageAnchors } from './published-page-anchors';

export interface IngestCandidate {
  item: NormalizedItem;
  classification: Classification;
}

export interface IngestResult {
  /** Items stored (new stories + other outlets' reports of known stories). */
  inserted: number;
  newStories: number;
  /** Items that joined an existing story from another outlet. */
  joined: number;
  /** Items this feed had already delivered. */
  alreadyStored: number;
}

export interface ReviewQueueQuery {
  status?: ReviewStatus;
  label?: Label;
  minConfidence?: number;
  maxConfidence?: number;
  limit: number;
  offset: number;
}

export { StoryEditError } from './story-edits';

/** A stored report's text, as same-event matching reads it. */
export interface ReportText {
  feedId: string;
  title: string;
  summary: string;
  publishedAt: string;
}

export class StoryNotFoundError extends Error {
  constructor(readonly storyId: number) {
    super(`story ${storyId} does not exist`);
    this.name = 'StoryNotFoundError';
  }
}

/** Where the curation policy reads each of a story's fields: column names, or parameters and literals. */
interface PolicyInputs {
  label: string;
  status: string;
  editorLabel: string;
  heldReason: string;
  confidence: string;
}

/**
 * The curation policy, as one SQL expression so it is applied identically everywhere:
 * "neither" never publishes; approved always does, rejected never; otherwise an editor's label
 * or a confident prediction publishes, unless the story is held (e.g. it contradicts its feed's hint).
 */
function publishedExpression(story: PolicyInputs): string {
  return `CASE
    WHEN ${story.label} = 'neither' THEN 0
    WHEN ${story.status} = 'approved' THEN 1
    WHEN ${story.status} = 'rejected' THEN 0
    WHEN ${story.editorLabel} IS NOT NULL THEN 1
    WHEN ${story.heldReason} IS NOT NULL THEN 0
    WHEN ${story.confidence} >= @threshold THEN 1
    ELSE 0 END`;
}

/** The policy over a stored story's columns. */
const PUBLISHED_EXPRESSION = publishedExpression({
  label: 'label',
  status: 'status',
  editorLabel: 'editor_label',
  heldReason: 'held_reason',
  confidence: 'confidence',
});

/** The same policy for a story being inserted: pending, no editor label yet. */
const NEW_STORY_PUBLISHED_EXPRESSION = publishedExpression({
  label: '@label',
  status: "'pending'",
  editorLabel: 'NULL',
  heldReason: '@heldReason',
  confidence: '@confidence',
});

/** The write statements of an ingest transaction. */
interface IngestStatements {
  insertStory: Database.Statement;
  insertItem: Database.Statement;
  fillStoryImage: Database.Statement;
}

export class StoriesRepository implements PublishedStoryReader {
  private readonly recentEvents: RecentEvents;
  private readonly edits: StoryEdits;
  private readonly matching: RecentEventsOptions;
  private readonly republishStory: Database.Statement;
  /** Prepared once: every ingest transaction reuses them. */
  private readonly lookup: StoryLookup;
  private readonly ingestStatements: IngestStatements;

  constructor(
    private readonly db: Database.Database,
    private readonly feeds: FeedsRepository,
    private readonly autoPublishThreshold: number,
    /** Same-event matching: window, scorer and background corpus (see RecentEvents). */
    matching: Partial<RecentEventsOptions> = {},
  ) {
    this.matching = {
      windowDays: matching.windowDays ?? 7,
      model: matching.model ?? loadEventScorer(),
      background: matching.background ?? (() => new TermStats()),
    };
    this.recentEvents = new RecentEvents(db, this.matching);
    this.edits = new StoryEdits(db);
    this.lookup = this.createLookup();
    this.ingestStatements = this.createIngestStatements();
    this.republishStory = db.prepare(`UPDATE stories SET published = ${PUBLISHED_EXPRESSION} WHERE id = @storyId AND merged_into IS NULL`);
    this.publicationStateQuery = db.prepare('SELECT version, last_modified FROM publication_state WHERE singleton = 1');
    this.pageAnchors = new PublishedPageAnchors(db);
    this.deepPageQueries = {
      all: db.prepare(
        `SELECT * FROM stories WHERE published = 1 AND (published_at, id) <= (?, ?)
         ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`,
      ),
      label: db.prepare(
        `SELECT * FROM stories WHERE published = 1 AND label = ? AND (published_at, id) <= (?, ?)
         ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`,
      ),
    };
  }

  /** Re-applies the curation policy to every story, e.g. after the threshold changed in config. */
  applyCurationPolicy(): number {
    return writeTransaction(this.db, 're-applying the curation policy', () => {
      const changed = this.db
        .prepare(`UPDATE stories SET published = ${PUBLISHED_EXPRESSION} WHERE published != ${PUBLISHED_EXPRESSION}`)
        .run({ threshold: this.autoPublishThreshold }).changes;
      if (changed > 0) this.bumpVersion(new Date().toISOString());
      return changed;
    });
  }

  /** Re-applies the curation policy to one story (a story merged away never publishes). */
  private republish(storyId: number): void {
    this.republishStory.run({ storyId, threshold: this.autoPublishThreshold });
  }

  private bumpVersion(at: string): void {
    this.db.prepare('UPDATE publication_state SET version = version + 1, last_modified = ? WHERE singleton = 1').run(at);
    // Cached public pages in this process look again (data-version.ts).
    noteLocalWrite(this.db);
  }

  /** The ingest transaction's reads (for dedupe), prepared with the repository. */
  private createLookup(): StoryLookup {
    const itemExists = this.db.prepare('SELECT 1 FROM items WHERE feed_id = ? AND guid = ?').pluck();
    const byUrl = this.db.prepare('SELECT story_id FROM items WHERE canonical_url = ? ORDER BY id LIMIT 1').pluck();
    const storyHasFeed = this.db.prepare('SELECT 1 FROM items WHERE story_id = ? AND feed_id = ? LIMIT 1').pluck();
    const feedHasUrl = this.db.prepare('SELECT 1 FROM items WHERE canonical_url = ? AND feed_id = ? LIMIT 1').pluck();
    return {
      itemExists: (feedId, guid) => itemExists.get(feedId, guid) !== undefined,
      storyByCanonicalUrl: (canonicalUrl) => (byUrl.get(canonicalUrl) as number | undefined) ?? null,
      storyHasFeed: (storyId, feedId) => storyHasFeed.get(storyId, feedId) !== undefined,
      feedHasUrl: (feedId, canonicalUrl) => feedHasUrl.get(canonicalUrl, feedId) !== undefined,
      eventDoc: (item) => this.recentEvents.eventDoc(item),
      sameEvent: (doc) => this.recentEvents.match(doc),
    };
  }

  /** The ingest transaction's writes, prepared with the repository. */
  private createIngestStatements(): IngestStatements {
    return {
      insertStory: this.db.prepare(`
        INSERT INTO stories (title, summary, url, author, categories, image_url, predicted_label, confidence, terms, label,
          status, held_reason, published, published_at, first_seen_at, updated_at)
        VALUES (@title, @summary, @url, @author, @categories, @imageUrl, @label, @confidence, @terms, @label,
          'pending', @heldReason, ${NEW_STORY_PUBLISHED_EXPRESSION}, @publishedAt, @now, @now)`),
      insertItem: this.db.prepare(`
        INSERT INTO items (feed_id, story_id, guid, original_url, canonical_url, title, summary, author, published_at,
          has_feed_date, categories, image_url, label, confidence, terms, fetched_at)
        VALUES (@feedId, @storyId, @guid, @originalUrl, @canonicalUrl, @title, @summary, @author, @publishedAt,
          @hasFeedDate, @categories, @imageUrl, @label, @confidence, @terms, @now)`),
      // A story whose first outlet gave no image takes the first image a later outlet gives.
      fillStoryImage: this.db.prepare('UPDATE stories SET image_url = @imageUrl WHERE id = @storyId AND image_url IS NULL'),
    };
  }

  /**
   * Stores one successful fetch of one feed: new items, their story clusters and the feed's new
   * validators, all in one transaction, so a crash leaves either all of it or none of it.
   */
  ingestFeedItems(
    feedId: string,
    candidates: readonly IngestCandidate[],
    success: FetchSuccess,
    settings: { categoryHint?: Label },
  ): IngestResult {
    this.recentEvents.seed();
    const lookup = this.lookup;
    const { insertStory, insertItem, fillStoryImage } = this.ingestStatements;
    const ingest = this.db.transaction((): IngestResult => {
      // Under the write lock: stories another process stored since our last ingest become visible.
      this.recentEvents.catchUp();
      const result: IngestResult = { inserted: 0, newStories: 0, joined: 0, alreadyStored: 0 };
      const now = success.at;
      for (const { item, classification } of candidates) {
        const assignment = assignStory(item, lookup);
        if (assignment.kind === 'already-stored') {
          result.alreadyStored += 1;
          continue;
        }
        let storyId: number;
        const categories = JSON.stringify(item.categories);
        const terms = JSON.stringify(classification.terms);
        if (assignment.kind === 'new') {
          const heldReason =
            settings.categoryHint && settings.categoryHint !== classification.label
              ? `model says ${classification.label} but the feed is marked ${settings.categoryHint}`
              : null;
          storyId = Number(
            insertStory.run({
              title: item.title,
              summary: item.summary,
              url: item.originalUrl,
              author: item.author,
              categories,
              imageUrl: item.imageUrl,
              label: classification.label,
              confidence: classification.confidence,
              terms,
              heldReason,
              publishedAt: item.publishedAt,
              now,
              threshold: this.autoPublishThreshold,
            }).lastInsertRowid,
          );
          result.newStories += 1;
        } else {
          storyId = assignment.storyId;
          result.joined += 1;
        }
        const itemId = insertItem.run({
          feedId: item.feedId,
          storyId,
          guid: item.guid,
          originalUrl: item.originalUrl,
          canonicalUrl: item.canonicalUrl,
          title: item.title,
          summary: item.summary,
          author: item.author,
          publishedAt: item.publishedAt,
          hasFeedDate: item.hasFeedDate ? 1 : 0,
          categories,
          imageUrl: item.imageUrl,
          label: classification.label,
          confidence: classification.confidence,
          terms,
          now,
        }).lastInsertRowid;
        this.recentEvents.added(assignment.evidence, storyId, Number(itemId));
        // Another outlet joining changes none of the columns the curation policy reads, and the
        // story's row is not rewritten for it: its outlets and its last change are read from its
        // items (story-rows.ts). Rewriting a random story page per join cost a quarter of the
        // ingest's write-ahead log.
        if (assignment.kind === 'join' && item.imageUrl !== null) fillStoryImage.run({ storyId, imageUrl: item.imageUrl });
        result.inserted += 1;
      }
      this.feeds.recordSuccess(success);
      if (result.inserted > 0) this.bumpVersion(now);
      return result;
    });
    try {
      // IMMEDIATE: take the write lock first, so what catchUp reads cannot change before we write.
      const result = ingest.immediate();
      this.recentEvents.trim();
      return result;
    } catch (error) {
      this.recentEvents.reset();
      throw error;
    }
  }

  /**
   * Copies committed transactions from the write-ahead log into the database file without waiting
   * for readers (PASSIVE). Called after a fetch run, so readers start from a short log and the
   * next run's commits do not pay for a checkpoint.
   */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  listPublishedStories(query: PublishedFeedQuery): Story[] {
    if (query.offset >= ANCHOR_STEP) return this.listDeepPage(query);
    const rows = (
      query.category === 'all'
        ? this.db
            .prepare(
              `SELECT * FROM stories WHERE published = 1 ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`,
            )
            .all(query.limit, query.offset)
        : this.db
            .prepare(
              `SELECT * FROM stories WHERE published = 1 AND label = ?
               ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`,
            )
            .all(query.category, query.limit, query.offset)
    ) as StoryRow[];
    return hydrateStories(this.db, rows);
  }

  /** A page far down the feed, read from the nearest anchor before it (published-page-anchors.ts). */
  private listDeepPage(query: PublishedFeedQuery): Story[] {
    // One read transaction: the anchors, made for this version, and the page see the same data.
    const rows = this.db.transaction(() => {
      const { version } = this.publicationState();
      const anchor = this.pageAnchors.anchorBefore(query.category, version, query.offset);
      if (anchor === null) return [];
      const skip = query.offset - anchor.position;
      return (
        query.category === 'all'
          ? this.deepPageQueries.all.all(anchor.publishedAt, anchor.id, query.limit, skip)
          : this.deepPageQueries.label.all(query.category, anchor.publishedAt, anchor.id, query.limit, skip)
      ) as StoryRow[];
    })();
    return hydrateStories(this.db, rows);
  }

  private readonly pageAnchors: PublishedPageAnchors;
  /** From an anchor (published_at, id) on, in the feeds' order; the anchor row itself is the first. */
  private readonly deepPageQueries: { all: Database.Statement; label: Database.Statement };

  /** Read on every feed request (ETag check): prepared once. */
  private readonly publicationStateQuery: Database.Statement;

  publicationState(): { version: number; lastModified: string | null } {
    const row = this.publicationStateQuery.get() as {
      version: number;
      last_modified: string | null;
    };
    return { version: row.version, lastModified: row.last_modified };
  }

  getStory(storyId: number): Story | null {
    const row = this.db.prepare('SELECT * FROM stories WHERE id = ?').get(storyId) as StoryRow | undefined;
    return row ? hydrateStories(this.db, [row])[0] : null;
  }

  /** Candidate stories for editors, newest first, filterable by status, label and confidence. */
  listForReview(query: ReviewQueueQuery): Story[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM stories
         WHERE merged_into IS NULL AND (@status IS NULL OR status = @status)
           AND (@label IS NULL OR label = @label)
           AND (@minConfidence IS NULL OR confidence >= @minConfidence)
           AND (@maxConfidence IS NULL OR confidence <= @maxConfidence)
         ORDER BY first_seen_at DESC, published_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({
        status: query.status ?? null,
        label: query.label ?? null,
        minConfidence: query.minConfidence ?? null,
        maxConfidence: query.maxConfidence ?? null,
        limit: query.limit,
        offset: query.offset,
      }) as StoryRow[];
    return hydrateStories(this.db, rows);
  }

  /**
   * Applies an editor action, records who/when, re-applies the curation policy; returns the story
   * the action leaves the reader with (for a merge, the target; for a split, the new story).
   * Throws StoreBusyError (nothing saved) when another process holds the write lock past the busy timeout.
   */
  applyDecision(storyId: number, action: EditorAction, editor: string, at = new Date().toISOString()): Story {
    const resultId = writeTransaction(this.db, `the editor decision on story ${storyId}`, (): number => {
      const row = this.db.prepare('SELECT merged_into AS mergedInto FROM stories WHERE id = ?').get(storyId) as
        | { mergedInto: number | null }
        | undefined;
      if (!row) throw new StoryNotFoundError(storyId);
      if (row.mergedInto !== null) {
        throw new StoryEditError(storyId, `Story ${storyId} was merged into story ${row.mergedInto}; act on that one.`);
      }
      let resultId = storyId;
      let detail: Record<string, unknown> | null = null;
      switch (action.kind) {
        case 'approve':
          this.db.prepare(`UPDATE stories SET status = 'approved', updated_at = ? WHERE id = ?`).run(at, storyId);
          break;
        case 'reject':
          this.db.prepare(`UPDATE stories SET status = 'rejected', updated_at = ? WHERE id = ?`).run(at, storyId);
          break;
        case 'relabel':
          this.db
            .prepare('UPDATE stories SET editor_label = ?, label = ?, updated_at = ? WHERE id = ?')
            .run(action.label, action.label, at, storyId);
          break;
        case 'pin':
          this.db
            .prepare('UPDATE stories SET pinned = ?, updated_at = ? WHERE id = ?')
            .run(action.pinned ? 1 : 0, at, storyId);
          break;
        case 'merge':
          this.edits.merge(storyId, action.intoStoryId, editor, at);
          resultId = action.intoStoryId;
          detail = { intoStoryId: action.intoStoryId };
          break;
        case 'split':
          resultId = this.edits.split(storyId, action.itemId, editor, at);
          detail = { itemId: action.itemId, newStoryId: resultId };
          break;
        case 'edit':
          this.edits.edit(storyId, action, at);
          detail = { title: action.title ?? null, summary: action.summary ?? null };
          break;
      }
      const recordDecision = this.db.prepare(
        `INSERT INTO editor_decisions (story_id, action, label, pinned, editor, decided_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      recordDecision.run(
        storyId,
        action.kind,
        action.kind === 'relabel' ? action.label : null,
        action.kind === 'pin' ? (action.pinned ? 1 : 0) : null,
        editor,
        at,
        detail === null ? null : JSON.stringify(detail),
      );
      this.republish(storyId);
      if (resultId !== storyId) this.republish(resultId);
      this.bumpVersion(at);
      return resultId;
    });
    // Story membership changed: the same-event index reloads what it holds from the store.
    if (action.kind === 'merge') this.recentEvents.merged(storyId, resultId);
    if (action.kind === 'split') this.recentEvents.reset();
    return this.getStory(resultId)!;
  }

  /**
   * Matches stored reports (published since `since`, or all) again with the current scorer,
   * keeping every editor decision (see dedupe/recluster-plan.ts), in one transaction.
   */
  recluster(options: {
    since: string | null;
    model: EventScorerModel;
    onProgress?: (done: number, total: number) => void;
  }): ReclusterOutcome {
    const store = new ReclusterStore(this.db, (storyIds, at) => {
      for (const storyId of storyIds) this.republish(storyId);
      this.bumpVersion(at);
    });
    const input = store.input(options.since, this.matching.windowDays, this.edits.pairLabels());
    const stats = new TermStats().copyFrom(this.matching.background());
    const plan = planRecluster(input, stats, options.model, this.matching.windowDays, options.onProgress);
    const outcome = store.apply(input, plan);
    this.recentEvents.setModel(options.model);
    this.recentEvents.reset();
    return outcome;
  }

  /** Editors' verdicts on pairs of reports (from merges and splits). */
  pairLabels(): PairLabel[] {
    return this.edits.pairLabels();
  }

  /** The same verdicts with both reports' text, for tuning the scorer. */
  labelledReportPairs(): { a: ReportText; b: ReportText; sameEvent: boolean }[] {
    const text = this.db.prepare('SELECT feed_id AS feedId, title, summary, published_at AS publishedAt FROM items WHERE id = ?');
    return this.edits.pairLabels().flatMap((label) => {
      const a = text.get(label.itemA) as ReportText | undefined;
      const b = text.get(label.itemB) as ReportText | undefined;
      return a && b ? [{ a, b, sameEvent: label.sameEvent }] : [];
    });
  }

  decisionsFor(storyId: number): EditorDecision[] {
    const rows = this.db
      .prepare('SELECT * FROM editor_decisions WHERE story_id = ? ORDER BY decided_at, id')
      .all(storyId) as {
      id: number;
      story_id: number;
      action: string;
      label: string | null;
      pinned: number | null;
      editor: string;
      decided_at: string;
      detail: string | null;
    }[];
    return rows.map((row) => {
      const detail = (row.detail === null ? {} : JSON.parse(row.detail)) as Record<string, unknown>;
      const action: EditorAction =
        row.action === 'relabel'
          ? { kind: 'relabel', label: row.label as Label }
          : row.action === 'pin'
            ? { kind: 'pin', pinned: row.pinned === 1 }
            : row.action === 'merge'
              ? { kind: 'merge', intoStoryId: Number(detail.intoStoryId ?? storyId) }
              : row.action === 'split'
                ? { kind: 'split', itemId: Number(detail.itemId) }
                : row.action === 'edit'
                  ? { kind: 'edit', ...(typeof detail.title === 'string' ? { title: detail.title } : {}), ...(typeof detail.summary === 'string' ? { summary: detail.summary } : {}) }
                  : { kind: row.action as 'approve' | 'reject' };
      return { id: row.id, storyId: row.story_id, action, editor: row.editor, decidedAt: row.decided_at };
    });
  }

  /**
   * Training examples from editors: every relabelled story with its editor label, and approved
   * stories with their predicted label (an approval confirms it).
   */
  editorTrainingExamples(): LabelledText[] {
    return this.db
      .prepare(
        `SELECT title, summary, label FROM stories
         WHERE editor_label IS NOT NULL OR status = 'approved' ORDER BY id`,
      )
      .all() as LabelledText[];
  }

  counts(): { stories: number; items: number; published: number } {
    return this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM stories) AS stories, (SELECT COUNT(*) FROM items) AS items,
          (SELECT COUNT(*) FROM stories WHERE published = 1) AS published`,
      )
      .get() as { stories: number; items: number; published: number };
  }
}
