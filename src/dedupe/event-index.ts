/**
 * The online same-event matcher: recent items filed under their names, figures, versions and
 * rarest words (an inverted index), grouped by story. A new item is compared only with stories
 * that share one of those keys within the time window, never with the archive, so the cost per
 * item depends on how much news the window holds, not on how much is stored.
 */
import type { EventDoc } from './event-doc';
import { probability, type EventScorerModel } from './event-scorer';
import { StoryProfile } from './story-profile';
import type { TermStats } from './term-stats';

/** A key filed under more recent items than this is too common to find candidates with. */
const MAX_SCANNED_POSTING = 120;
/** Stories scored per item, the ones sharing most keys. */
const MAX_SCORED_STORIES = 12;

export interface EventMatch {
  storyId: number;
  probability: number;
}

export class EventIndex {
  private readonly postings = new Map<number, EventDoc[]>();
  private readonly stories = new Map<number, StoryProfile>();
  private documents = 0;

  constructor(
    private readonly stats: TermStats,
    private model: EventScorerModel,
    private readonly windowMs: number,
  ) {}

  get size(): number {
    return this.documents;
  }

  get storyCount(): number {
    return this.stories.size;
  }

  setModel(model: EventScorerModel): void {
    this.model = model;
  }

  /** Feeds that already reported a story in the index. */
  feedsOf(storyId: number): ReadonlySet<string> | undefined {
    return this.stories.get(storyId)?.feeds;
  }

  /**
   * The story this item most probably reports, if that probability reaches the threshold.
   * Stories its outlet already reported, or that `allowed` refuses (an editor split them
   * apart), are never chosen: one outlet contributes at most one report to a story.
   */
  match(doc: EventDoc, allowed: (storyId: number) => boolean = () => true): EventMatch | null {
    let best: EventMatch | null = null;
    for (const candidate of this.candidates(doc, allowed)) {
      const p = probability(this.model, candidate.profile.features(doc, this.stats));
      if (p >= this.model.threshold && (!best || p > best.probability)) best = { storyId: candidate.storyId, probability: p };
    }
    return best;
  }

  /**
   * Stories sharing index keys with the item within the window, the ones sharing the rarest
   * keys first, at most MAX_SCORED_STORIES; never one its outlet already reported, nor one about
   * another version of something the item names (see StoryProfile.conflictsWith).
   */
  candidates(doc: EventDoc, allowed: (storyId: number) => boolean = () => true): { storyId: number; profile: StoryProfile }[] {
    const hits = new Map<number, number>();
    for (const key of doc.keys) {
      const posting = this.postings.get(key);
      if (!posting || posting.length > MAX_SCANNED_POSTING) continue;
      const weight = this.stats.idf(key);
      for (const other of posting) {
        if (Math.abs(other.time - doc.time) > this.windowMs) continue;
        hits.set(other.storyId, (hits.get(other.storyId) ?? 0) + weight);
      }
    }
    let ranked = [...hits.entries()];
    if (ranked.length > MAX_SCORED_STORIES) ranked = ranked.sort((a, b) => b[1] - a[1]).slice(0, MAX_SCORED_STORIES);
    const found: { storyId: number; profile: StoryProfile }[] = [];
    for (const [storyId] of ranked) {
      const profile = this.stories.get(storyId);
      if (!profile || profile.feeds.has(doc.feedId) || profile.conflictsWith(doc) || !allowed(storyId)) continue;
      found.push({ storyId, profile });
    }
    return found;
  }

  /** Files an item under its story (doc.storyId). */
  add(doc: EventDoc): void {
    let story = this.stories.get(doc.storyId);
    if (!story) this.stories.set(doc.storyId, (story = new StoryProfile()));
    story.add(doc);
    for (const key of doc.keys) {
      const posting = this.postings.get(key);
      if (posting) posting.push(doc);
      else this.postings.set(key, [doc]);
    }
    this.documents += 1;
  }

  /** Forgets items published before `time`. */
  evictBefore(time: number): number {
    let evicted = 0;
    for (const [storyId, story] of this.stories) {
      const kept = story.members.filter((member) => member.time >= time);
      if (kept.length === story.members.length) continue;
      evicted += story.members.length - kept.length;
      if (kept.length === 0) this.stories.delete(storyId);
      else this.stories.set(storyId, StoryProfile.of(kept));
    }
    if (evicted === 0) return 0;
    for (const [key, posting] of this.postings) {
      const kept = posting.filter((doc) => doc.time >= time);
      if (kept.length === 0) this.postings.delete(key);
      else if (kept.length !== posting.length) this.postings.set(key, kept);
    }
    this.documents -= evicted;
    return evicted;
  }

  /** An editor merged `from` into `into`: its items now belong to `into`. */
  moveStory(from: number, into: number): void {
    const source = this.stories.get(from);
    if (!source) return;
    this.stories.delete(from);
    let target = this.stories.get(into);
    if (!target) this.stories.set(into, (target = new StoryProfile()));
    for (const doc of source.members) {
      doc.storyId = into;
      target.add(doc);
    }
  }

  clear(): void {
    this.postings.clear();
    this.stories.clear();
    this.documents = 0;
  }
}
