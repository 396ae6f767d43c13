import type Database from 'better-sqlite3';
import { buildEventDoc, type EventDoc } from '../dedupe/event-doc';
import { EventIndex, type EventMatch } from '../dedupe/event-index';
import type { EventScorerModel } from '../dedupe/event-scorer';
import { TermStats } from '../dedupe/term-stats';
import type { NormalizedItem } from '../model';

const DAY_MS = 86_400_000;
/** How many retained ranges recent lookups can keep in memory. */
const MAX_PINNED_RANGES = 4;

interface ItemRow {
  id: number;
  storyId: number;
  feedId: string;
  title: string;
  summary: string;
  publishedAt: string;
}

export interface RecentEventsOptions {
  windowDays: number;
  model: EventScorerModel;
  /** Word rarity before any item is stored (see dedupe/background-stats.ts): copied, never changed. */
  background: () => TermStats;
}

/**
 * Keeps the same-event index (dedupe/event-index.ts) in step with the items table: on first use
 * it learns word rarity from the background corpus and the stored items of the recent window,
 * loads older days on demand for backfilled items, picks up items other processes (the CLI)
 * stored, and forgets items far behind the newest, so memory follows the window, not the archive.
 */
export class RecentEvents {
  private stats = new TermStats();
  private index: EventIndex;
  private model: EventScorerModel;
  private seeded = false;
  /** Items published at or after this time are all in the index (null: nothing loaded yet). */
  private coveredFrom: number | null = null;
  private lastSeenItemId = 0;
  private newest = Number.NEGATIVE_INFINITY;
  /** The oldest time a lookup needed, and the newest item's time then (see trim). */
  private oldestNeeded = Number.POSITIVE_INFINITY;
  private oldestNeededAsOf = Number.NEGATIVE_INFINITY;
  private readonly retainMs: number;
  private readonly maxItemId: Database.Statement;
  private readonly itemsAfterId: Database.Statement;
  private readonly itemsInRange: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly options: RecentEventsOptions,
  ) {
    this.model = options.model;
    this.index = new EventIndex(this.stats, this.model, options.windowDays * DAY_MS);
    this.retainMs = (2 * options.windowDays + 1) * DAY_MS;
    this.maxItemId = db.prepare('SELECT COALESCE(MAX(id), 0) FROM items').pluck();
    const columns = `id, story_id AS storyId, feed_id AS feedId, title, summary, published_at AS publishedAt`;
    this.itemsAfterId = db.prepare(`SELECT ${columns} FROM items WHERE id > ? ORDER BY id`);
    this.itemsInRange = db.prepare(
      `SELECT ${columns} FROM items WHERE published_at >= @from AND (@to IS NULL OR published_at < @to) AND id <= @maxId ORDER BY id`,
    );
  }

  setModel(model: EventScorerModel): void {
    this.model = model;
    this.index.setModel(model);
  }

  /**
   * Learns word rarity from the background corpus (once). Call before taking the write lock: it
   * reads a few thousand texts, which other processes' writes should not wait for.
   */
  seed(): void {
    if (this.seeded) return;
    this.stats.copyFrom(this.options.background());
    this.seeded = true;
  }

  private load(rows: readonly ItemRow[]): void {
    for (const row of rows) {
      const time = Date.parse(row.publishedAt);
      if (this.coveredFrom !== null && time < this.coveredFrom) continue;
      this.index.add(buildEventDoc(row, this.stats));
      if (time > this.newest) this.newest = time;
    }
  }

  /** Call inside the write transaction, before lookups: adds items stored since the last call. */
  catchUp(): void {
    if (this.coveredFrom === null) return;
    const rows = this.itemsAfterId.all(this.lastSeenItemId) as ItemRow[];
    this.load(rows);
    if (rows.length > 0) this.lastSeenItemId = rows[rows.length - 1].id;
  }

  private cover(neededFrom: number): void {
    if (neededFrom < this.oldestNeeded) {
      this.oldestNeeded = neededFrom;
      this.oldestNeededAsOf = this.newest;
    }
    if (this.coveredFrom !== null && neededFrom >= this.coveredFrom) return;
    this.seed();
    // Load a day more than needed, so slightly older items do not each extend the range again.
    const from = neededFrom - DAY_MS;
    if (this.coveredFrom === null) this.lastSeenItemId = this.maxItemId.get() as number;
    const to = this.coveredFrom === null ? null : new Date(this.coveredFrom).toISOString();
    const rows = this.itemsInRange.all({ from: new Date(from).toISOString(), to, maxId: this.lastSeenItemId }) as ItemRow[];
    this.coveredFrom = from;
    this.load(rows);
  }

  /**
   * The item's event vectors, counted into word rarity (call once per stored item), after
   * loading the stored items it can be compared with.
   */
  eventDoc(item: NormalizedItem): EventDoc {
    this.cover(Date.parse(item.publishedAt) - this.options.windowDays * DAY_MS);
    return buildEventDoc(
      { storyId: 0, feedId: item.feedId, title: item.title, summary: item.summary, publishedAt: item.publishedAt },
      this.stats,
    );
  }

  match(doc: EventDoc, allowed?: (storyId: number) => boolean): EventMatch | null {
    return this.index.match(doc, allowed);
  }

  /** Records an item this process just stored in `storyId` (inside the same transaction). */
  added(doc: EventDoc, storyId: number, itemId: number): void {
    doc.storyId = storyId;
    if (this.coveredFrom !== null && doc.time >= this.coveredFrom) {
      this.index.add(doc);
      if (doc.time > this.newest) this.newest = doc.time;
    }
    if (itemId > this.lastSeenItemId) this.lastSeenItemId = itemId;
  }

  /** An editor merged one story into another. */
  merged(from: number, into: number): void {
    this.index.moveStory(from, into);
  }

  /**
   * Drops items far behind the newest one. Call after a commit. A feed's first fetch reaches
   * further back than the retained range, and the next feed's usually does too: what lookups
   * needed stays (up to MAX_PINNED_RANGES ranges) until the newest item has moved a range on,
   * rather than being evicted and re-read (and re-analysed) for every feed.
   */
  trim(): void {
    if (this.coveredFrom === null || !Number.isFinite(this.newest)) return;
    if (!Number.isFinite(this.oldestNeededAsOf)) this.oldestNeededAsOf = this.newest;
    if (this.newest - this.oldestNeededAsOf > this.retainMs) this.oldestNeeded = Number.POSITIVE_INFINITY;
    const pinnedFrom = Math.max(this.oldestNeeded - DAY_MS, this.newest - MAX_PINNED_RANGES * this.retainMs);
    const keepFrom = Math.min(this.newest - this.retainMs, pinnedFrom);
    // Evict in steps of a day, not an item at a time.
    if (keepFrom - this.coveredFrom < DAY_MS) return;
    this.index.evictBefore(keepFrom);
    this.coveredFrom = keepFrom;
  }

  /**
   * After a rolled-back transaction or a change to story membership (split, recluster): start
   * over, word rarity included, so the reloaded items are counted once (and rolled-back ones not at all).
   */
  reset(): void {
    this.stats = new TermStats();
    this.index = new EventIndex(this.stats, this.model, this.options.windowDays * DAY_MS);
    this.seeded = false;
    this.coveredFrom = null;
    this.lastSeenItemId = 0;
    this.newest = Number.NEGATIVE_INFINITY;
    this.oldestNeeded = Number.POSITIVE_INFINITY;
    this.oldestNeededAsOf = Number.NEGATIVE_INFINITY;
  }
}
