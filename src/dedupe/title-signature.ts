/**
 * Near-duplicate detection of headlines from different outlets.
 *
 * A headline becomes a set of normalized words; two stories are the same when the Jaccard
 * similarity of those sets passes a threshold. To avoid comparing a new story with every stored
 * one, each set gets a MinHash signature cut into bands (LSH): only stories sharing at least one
 * band bucket are compared. With BANDS bands of ROWS rows, a pair with similarity s becomes a
 * candidate with probability 1 - (1 - s^ROWS)^BANDS: ~0.99 at s = 0.6, ~0.93 at s = 0.5, ~0.02 at s = 0.1.
 * Four rows per band keep headlines that share only a common word ("video", "model") apart.
 */

export const BANDS = 30;
export const ROWS = 4;
const SIGNATURE_LENGTH = BANDS * ROWS;

/** Words that say nothing about which story a headline is (on an AI news site "AI" is everywhere). */
const STOP_WORDS = new Set(
  (
    'a an the and or but of to in on for with without at by from into over as is are was were be been ' +
    'its it this that these those their his her our your new now just how why what who when will can ' +
    'says said say after before amid about up out vs via than more most first ai artificial intelligence ' +
    'adds adding add gets get launches launch launched unveils unveil unveiled announces announced announce ' +
    'introduces introduce introduced releases release released debuts debut rolls rolling roll'
  ).split(/\s+/),
);

const NON_ASCII = /[^\x00-\x7f]/;
const POSSESSIVE = /[’']s\b/g;
const DOT = 46;

/** Letters a-z, digits and the dot (kept inside words: "gpt-4.5", "v2.1"). */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === DOT;
}

/**
 * Normalized content words of a headline, each once: lower-case, accents and punctuation removed,
 * possessive "'s" dropped, dots trimmed from word ends, stop words dropped, light plural folding.
 * Runs per ingested item, so it scans the text once and slices each word out, rather than
 * chaining regex passes and array copies.
 */
export function titleTokens(title: string): string[] {
  // Most headlines are ASCII: only the others pay for Unicode decomposition.
  const folded = NON_ASCII.test(title) ? title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : title;
  let text = folded.toLowerCase();
  if (text.includes("'") || text.includes('’')) text = text.replace(POSSESSIVE, '');
  const tokens: string[] = [];
  let position = 0;
  while (position < text.length) {
    while (position < text.length && !isWordCode(text.charCodeAt(position))) position += 1;
    let start = position;
    while (position < text.length && isWordCode(text.charCodeAt(position))) position += 1;
    let end = position;
    while (start < end && text.charCodeAt(start) === DOT) start += 1;
    while (end > start && text.charCodeAt(end - 1) === DOT) end -= 1;
    if (start === end) continue;
    let word = text.slice(start, end);
    if (STOP_WORDS.has(word)) continue;
    if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
    if (!tokens.includes(word)) tokens.push(word);
  }
  return tokens;
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const setA = new Set(a);
  let shared = 0;
  for (const token of new Set(b)) if (setA.has(token)) shared += 1;
  return shared / (setA.size + new Set(b).size - shared);
}

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: spreads similar inputs across the whole range. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Each headline word as a 30-bit hash: what the in-memory index keeps instead of strings (a small
 * integer array per story, no string objects), and what similarity is computed on. Two different
 * words share a hash with probability ~1e-9, which at worst counts one extra shared word.
 */
export function tokenHashes(tokens: readonly string[]): number[] {
  const hashes: number[] = [];
  for (const token of tokens) {
    const hash = mix32(fnv1a(token)) >>> 2;
    if (!hashes.includes(hash)) hashes.push(hash);
  }
  return hashes;
}

const SEEDS = Uint32Array.from({ length: SIGNATURE_LENGTH }, (_, i) => mix32(Math.imul(i + 1, 0x9e3779b1)));
/** Reused by every signature: one runs per ingested item, so it should not allocate. */
const signatureScratch = new Uint32Array(SIGNATURE_LENGTH);

/**
 * MinHash over already well-mixed word hashes: one multiply and one shift per row is enough to
 * give each row its own ordering of the words.
 */
function minhashSignature(hashes: readonly number[]): Uint32Array {
  const signature = signatureScratch.fill(0xffffffff);
  for (const hash of hashes) {
    for (let row = 0; row < SIGNATURE_LENGTH; row += 1) {
      let value = Math.imul(hash ^ SEEDS[row], 0x9e3779b1);
      value = (value ^ (value >>> 15)) >>> 0;
      if (value < signature[row]) signature[row] = value;
    }
  }
  return signature;
}

/**
 * One bucket id per band: the band index and its rows mixed into a 30-bit integer, which V8 keeps
 * unboxed (a small integer) so the in-memory index stays compact. A rare collision between
 * different bands only adds a candidate that the similarity check then rejects.
 */
export function lshBuckets(hashes: readonly number[]): number[] {
  if (hashes.length === 0) return [];
  const signature = minhashSignature(hashes);
  const buckets: number[] = [];
  for (let band = 0; band < BANDS; band += 1) {
    let hash = mix32(band + 0x51ed27);
    for (let row = band * ROWS; row < band * ROWS + ROWS; row += 1) hash = mix32(hash ^ signature[row]);
    const bucket = hash >>> 2;
    if (!buckets.includes(bucket)) buckets.push(bucket);
  }
  return buckets;
}

/** Days since the epoch, the coarse date used to window candidate lookups. */
export function epochDay(iso: string): number {
  return Math.floor(Date.parse(iso) / 86_400_000);
}

/** A stored headline that shares an LSH bucket with the one being placed. */
export interface TitleCandidate {
  readonly storyId: number;
  readonly hashes: readonly number[];
}

/**
 * The most similar candidate at or above the threshold, excluding stories the same feed already
 * covered (one outlet rarely runs the same story twice). `feedsOf` is asked only for a candidate
 * that would win, since it costs the store a query and most candidates are dissimilar.
 */
export function pickDuplicate(
  hashes: readonly number[],
  feedId: string,
  candidates: readonly TitleCandidate[],
  threshold: number,
  feedsOf: (storyId: number) => readonly string[],
  minSharedTokens = 3,
): { storyId: number; similarity: number } | null {
  let best: { storyId: number; similarity: number } | null = null;
  const minShared = Math.min(minSharedTokens, hashes.length);
  for (const candidate of candidates) {
    const theirs = candidate.hashes;
    let shared = 0;
    for (let i = 0; i < theirs.length; i += 1) if (hashes.includes(theirs[i])) shared += 1;
    if (shared < minShared) continue;
    const similarity = shared / (hashes.length + theirs.length - shared);
    if (similarity >= threshold && (!best || similarity > best.similarity) && !feedsOf(candidate.storyId).includes(feedId)) {
      best = { storyId: candidate.storyId, similarity };
    }
  }
  return best;
}
