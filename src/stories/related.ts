/**
 * "Your next read": stories of the same category that are most like a given one.
 *
 * Candidates are the newest RELATED_POOL_SIZE published stories of the story's label (so the cost per
 * page is bounded however large the archive grows), ranked by TF-IDF cosine similarity of title +
 * summary (text-similarity.ts). Slots that no candidate fills with at least MIN_RELATED_SIMILARITY go
 * to the newest stories of the category, so a page always offers something to read next.
 */
import { TextTokenizer } from '../classify/tokenize';
import { PUBLISHED_LABELS, type PublishedLabel, type Story } from '../model';
import type { StoryQueries, StoryText } from '../store/story-queries';
import { TfidfPoolIndex, tfidfSimilarities } from './text-similarity';

export const RELATED_STORY_COUNT = 3;
export const RELATED_POOL_SIZE = 500;
/**
 * Below this cosine two stories share only incidental words. Sharing one pool-rare word between two
 * short texts typically scores 0.1–0.3; 0.05 keeps such matches and drops noise.
 */
export const MIN_RELATED_SIMILARITY = 0.05;

export interface RelatedPick {
  id: number;
  /** Cosine similarity to the story, 0 when picked only for being recent. */
  similarity: number;
  reason: 'similar' | 'recent';
}

/**
 * Pure selection: the `count` most similar pool stories (excluding the story itself), then the newest
 * remaining ones. `pool` must be newest first; `termsOf` turns a text into terms.
 */
export function pickRelated(
  story: StoryText,
  pool: readonly StoryText[],
  termsOf: (text: StoryText) => readonly string[],
  count: number = RELATED_STORY_COUNT,
  minSimilarity: number = MIN_RELATED_SIMILARITY,
): RelatedPick[] {
  const others = pool.filter((candidate) => candidate.id !== story.id);
  const similarities = tfidfSimilarities(
    termsOf(story),
    others.map((candidate) => ({ id: candidate.id, terms: termsOf(candidate) })),
  );
  return selectRelated(others, similarities, count, minSimilarity);
}

/** The selection half of pickRelated: `others` newest first, without the story itself. */
function selectRelated(
  others: readonly StoryText[],
  similarities: ReadonlyMap<number, number>,
  count: number,
  minSimilarity: number,
): RelatedPick[] {
  const similar = others
    .map((candidate) => ({ candidate, similarity: similarities.get(candidate.id) ?? 0 }))
    .filter((entry) => entry.similarity >= minSimilarity)
    // Pool order (newest first) breaks ties because Array.prototype.sort is stable.
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, count)
    .map((entry): RelatedPick => ({ id: entry.candidate.id, similarity: entry.similarity, reason: 'similar' }));
  const chosen = new Set(similar.map((pick) => pick.id));
  const recent = others
    .filter((candidate) => !chosen.has(candidate.id))
    .slice(0, count - similar.length)
    .map((candidate): RelatedPick => ({ id: candidate.id, similarity: 0, reason: 'recent' }));
  return [...similar, ...recent];
}

export function isPublishedLabel(label: string): label is PublishedLabel {
  return (PUBLISHED_LABELS as readonly string[]).includes(label);
}

/** A story's terms are cached by id; the cache is dropped whole when full (simple, bounded). */
const MAX_CACHED_TERM_LISTS = 10_000;

/** Finds related stories in storage; owns a tokenizer whose stem cache makes repeated pages cheap. */
export class RelatedStoriesFinder {
  private readonly tokenizer = new TextTokenizer({ bigrams: false });
  private readonly termsById = new Map<number, { text: string; terms: string[] }>();
  /** Per label: the pool and its TF-IDF index, for as long as the data stamp stays the same. */
  private readonly pools = new Map<PublishedLabel, { stamp: string; pool: StoryText[]; index: TfidfPoolIndex }>();

  /**
   * With `dataStamp` (store/data-version.ts), each label's pool is read and indexed once per data
   * version instead of on every story page, and a story in the pool costs one dot product per candidate.
   */
  constructor(
    private readonly queries: StoryQueries,
    private readonly poolSize: number = RELATED_POOL_SIZE,
    private readonly dataStamp?: () => string,
  ) {}

  /** Up to `count` published stories of the same label as `story`, never `story` itself. */
  findRelated(story: Story, count: number = RELATED_STORY_COUNT): Story[] {
    if (!isPublishedLabel(story.label)) return [];
    const target: StoryText = { id: story.id, title: story.title, summary: story.summary, publishedAt: story.publishedAt };
    const indexed = this.indexedPool(story.label);
    let picks: RelatedPick[];
    if (indexed !== null && indexed.index.has(story.id)) {
      const others = indexed.pool.filter((candidate) => candidate.id !== story.id);
      picks = selectRelated(others, indexed.index.similaritiesOf(story.id), count, MIN_RELATED_SIMILARITY);
    } else {
      const pool = indexed?.pool ?? this.queries.recentPublishedTexts(story.label, this.poolSize);
      picks = pickRelated(target, pool, (text) => this.termsOf(text), count);
    }
    return this.queries.publishedStoriesByIds(picks.map((pick) => pick.id));
  }

  private indexedPool(label: PublishedLabel): { pool: StoryText[]; index: TfidfPoolIndex } | null {
    if (this.dataStamp === undefined) return null;
    const stamp = this.dataStamp();
    const cached = this.pools.get(label);
    if (cached !== undefined && cached.stamp === stamp) return cached;
    const pool = this.queries.recentPublishedTexts(label, this.poolSize);
    const index = new TfidfPoolIndex(pool.map((text) => ({ id: text.id, terms: this.termsOf(text) })));
    const fresh = { stamp, pool, index };
    this.pools.set(label, fresh);
    return fresh;
  }

  private termsOf(text: StoryText): string[] {
    const combined = `${text.title}\n${text.summary}`;
    const cached = this.termsById.get(text.id);
    // Compared by text so a story whose title or summary changed is never matched on stale terms.
    if (cached !== undefined && cached.text === combined) return cached.terms;
    const terms = this.tokenizer.terms(combined);
    if (this.termsById.size >= MAX_CACHED_TERM_LISTS) this.termsById.clear();
    this.termsById.set(text.id, { text: combined, terms });
    return terms;
  }
}
