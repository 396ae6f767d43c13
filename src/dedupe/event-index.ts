/**
 * The online same-event matcher: recent items filed under their names, figures, versions and
 * rarest words (an inverted index), grouped by story. A new item is compared only with stories
 * that share one of those keys within the time window, never with the archive, so the cost per
 * item depends on how much news the window holds, not on how much is stored.
 */
import { NO_IDS, type EventDoc } from './event-doc';
import { probability, type EventScorerModel } from './event-scorer';
import { StoryProfile } from './story-profile';
import type { TermStats } from './term-stats';

/** A key filed under more recent items than this is too common to find candidates with. */
const MAX_SCANNED_POSTING = 80;
/** Keys looked up per item: its rarest ones. */
const MAX_SCANNED_KEYS = 10;
/**
 * Posting entries read per item, rarest keys first: in a busy window a report's commoner keys
 * would otherwise cost most of the lookup (each entry is a pointer to chase) and add no story
 * its rarer keys did not already find. Held-out scores are the same at 200, 320 or unlimited.
 */
const MAX_SCANNED_ENTRIES = 240;
/** Stories scored per item, the ones sharing most keys (held-out scores are the same at 6, 8 and 12). */
const MAX_SCORED_STORIES = 6;

/** An item in the index, with the story it is filed under (kept in step by add, evict and move). */
type IndexedDoc = EventDoc & { profile?: StoryProfile };

/**
 * The MAX_SCORED_STORIES stories with most hits, most first, equal ones in the order found (what a
 * stable sort would keep), without sorting every story a busy window offers.
 */
function mostHits(hits: readonly IndexedDoc[]): IndexedDoc[] {
  const top: IndexedDoc[] = [];
  for (const hit of hits) {
    const value = hit.profile!.hits;
    if (top.length === MAX_SCORED_STORIES && value <= top[top.length - 1].profile!.hits) continue;
    // Insert at its place, shifting the fewer-hits ones down (splice would allocate an array per call).
    let at = top.length;
    if (at < MAX_SCORED_STORIES) top.push(hit);
    else at -= 1;
    for (; at > 0 && top[at - 1].profile!.hits < value; at -= 1) top[at] = top[at - 1];
    top[at] = hit;
  }
  return top;
}

interface Candidate {
  storyId: number;
  profile: StoryProfile;
}

export interface EventMatch {
  storyId: number;
  probability: number;
}

export class EventIndex {
  /**
   * The items filed under each key, indexed by the key's term id: ids are small and dense (see
   * TermStats), so an array slot costs less to reach than a Map entry, for every key of every item.
   */
  private readonly postings: (EventDoc[] | undefined)[] = [];
  private readonly stories = new Map<number, StoryProfile>();
  private documents = 0;
  private lookupSerial = 0;

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

  /**
   * The story this item most probably reports, if that probability reaches the threshold.
   * Stories its outlet already reported, or that `allowed` refuses (an editor split them
   * apart), are never chosen: one outlet contributes at most one report to a story.
   */
  match(doc: EventDoc, allowed: (storyId: number) => boolean = () => true): EventMatch | null {
    const likely: { candidate: Candidate; probability: number }[] = [];
    for (const candidate of this.rankedStories(doc, allowed)) {
      const p = probability(this.model, candidate.profile.features(doc, this.stats));
      if (p >= this.model.threshold) likely.push({ candidate, probability: p });
    }
    // Only stories the report would join are checked for a conflict: most are far below the threshold.
    likely.sort((a, b) => b.probability - a.probability);
    for (const { candidate, probability: p } of likely) {
      if (!candidate.profile.conflictsWith(doc)) return { storyId: candidate.storyId, probability: p };
    }
    return null;
  }

  /**
   * Stories sharing index keys with the item within the window, the ones sharing the rarest
   * keys first, at most MAX_SCORED_STORIES; never one its outlet already reported, nor one about
   * another version of something the item names (see StoryProfile.conflictsWith).
   */
  candidates(doc: EventDoc, allowed: (storyId: number) => boolean = () => true): Candidate[] {
    return this.rankedStories(doc, allowed).filter((candidate) => !candidate.profile.conflictsWith(doc));
  }

  /** As candidates, without the check for another version or amount (see match). */
  private rankedStories(doc: EventDoc, allowed: (storyId: number) => boolean): Candidate[] {
    // The rarest keys find the candidates: a report of the same event shares at least one of its
    // rarest names, figures or words; common keys would only add cost (long postings) and noise.
    // doc.keys come rarest first. Hits add up on the stories themselves (marked with this
    // lookup's serial), not in a Map.
    const visit = ++this.lookupSerial;
    let hitStories: IndexedDoc[] = [];
    const windowMs = this.windowMs;
    let scannedKeys = 0;
    let scannedEntries = 0;
    for (let k = 0; k < doc.keys.length && scannedKeys < MAX_SCANNED_KEYS; k += 1) {
      const key = doc.keys[k];
      const posting = this.postings[key];
      if (posting === undefined || posting.length > MAX_SCANNED_POSTING) continue;
      scannedEntries += posting.length;
      if (scannedEntries > MAX_SCANNED_ENTRIES && scannedKeys > 0) break;
      scannedKeys += 1;
      const weight = this.stats.idf(key);
      for (let i = 0; i < posting.length; i += 1) {
        const other = posting[i] as IndexedDoc;
        const gap = other.time - doc.time;
        if (gap > windowMs || gap < -windowMs) continue;
        const profile = other.profile!;
        if (profile.visit !== visit) {
          profile.visit = visit;
          profile.hits = 0;
          hitStories.push(other);
        }
        profile.hits += weight;
      }
    }
    if (hitStories.length > MAX_SCORED_STORIES) hitStories = mostHits(hitStories);
    const found: Candidate[] = [];
    for (const hit of hitStories) {
      const profile = hit.profile!;
      const storyId = hit.storyId;
      if (profile.hasFeed(doc.feedId) || !allowed(storyId)) continue;
      found.push({ storyId, profile });
    }
    return found;
  }

  /** Files an item under its story (doc.storyId). */
  add(doc: EventDoc): void {
    let story = this.stories.get(doc.storyId);
    if (!story) this.stories.set(doc.storyId, (story = new StoryProfile()));
    story.add(doc);
    (doc as IndexedDoc).profile = story;
    for (const key of doc.keys) {
      const posting = this.postings[key];
      if (posting !== undefined) posting.push(doc);
      else this.postings[key] = [doc];
    }
    // What only matching a report needs would otherwise stay in memory for the whole window.
    doc.keys = NO_IDS;
    doc.entityIdf = NO_IDS;
    doc.entityWords = NO_IDS;
    this.documents += 1;
  }

  /** Forgets items published before `time`. */
  evictBefore(time: number): number {
    let evicted = 0;
    for (const [storyId, story] of this.stories) {
      const kept = story.members.filter((member) => member.time >= time);
      if (kept.length === story.members.length) continue;
      evicted += story.members.length - kept.length;
      if (kept.length === 0) {
        this.stories.delete(storyId);
        continue;
      }
      const profile = StoryProfile.of(kept);
      for (const member of kept) (member as IndexedDoc).profile = profile;
      this.stories.set(storyId, profile);
    }
    if (evicted === 0) return 0;
    for (let key = 0; key < this.postings.length; key += 1) {
      const posting = this.postings[key];
      if (posting === undefined) continue;
      const kept = posting.filter((doc) => doc.time >= time);
      if (kept.length === 0) this.postings[key] = undefined;
      else if (kept.length !== posting.length) this.postings[key] = kept;
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
      (doc as IndexedDoc).profile = target;
    }
  }
}
