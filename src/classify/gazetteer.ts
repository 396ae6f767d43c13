/**
 * The gazetteer: names of products, models and companies with the medium they belong to
 * (data/gazetteer.tsv, editable without code). The classifier turns a name found in a story into
 * one more feature ("a video name appears"), whose weight it learns from the corpus like any word;
 * it is never a rule that decides the label on its own.
 *
 * Names are matched as whole words on the same word stream the classifier reads (natural's word
 * splitting, lowercased), so "Gen-4" matches "gen 4" and "Dream Machine" matches across a space.
 */
import { existsSync, readFileSync } from 'node:fs';
import { WordScanner } from './tokenize';

export const GAZETTEER_MEDIA = ['video', 'image'] as const;
export type GazetteerMedium = (typeof GAZETTEER_MEDIA)[number];

export interface GazetteerEntry {
  /** As written in the file, e.g. "Dream Machine". */
  name: string;
  medium: GazetteerMedium;
  /** Free text for people: "video generator", "avatar video maker", "image editor", "company", … */
  kind: string;
}

/** A gazetteer file or line that cannot be used; `file` and `line` say where. */
export class GazetteerError extends Error {
  constructor(message: string, readonly file: string, readonly line: number | null) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'GazetteerError';
  }
}

/** A name longer than this many words is almost certainly a pasted sentence, not a product. */
const MAX_NAME_WORDS = 6;

/** The words natural's tokenizer finds in a lowercased text; the matcher compares these. */
export function nameWords(text: string): string[] {
  const scanner = new WordScanner();
  scanner.reset(text.toLowerCase());
  const words: string[] = [];
  for (let word = scanner.next(); word !== null; word = scanner.next()) words.push(word);
  return words;
}

/** Parses `name<TAB>medium[<TAB>kind]` lines; `#` starts a comment line; blank lines are skipped. */
export function parseGazetteer(text: string, file = 'gazetteer'): GazetteerEntry[] {
  const entries: GazetteerEntry[] = [];
  const seen = new Map<string, { medium: GazetteerMedium; line: number }>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/\r$/, '');
    if (trimmed.trim() === '' || trimmed.trimStart().startsWith('#')) return;
    const [name = '', medium = '', kind = ''] = trimmed.split('\t').map((cell) => cell.trim());
    if (name === '') throw new GazetteerError('empty name (expected name<TAB>medium<TAB>kind)', file, line);
    if (!(GAZETTEER_MEDIA as readonly string[]).includes(medium)) {
      throw new GazetteerError(`medium must be one of ${GAZETTEER_MEDIA.join(', ')}; got ${JSON.stringify(medium)} (columns are separated by tabs)`, file, line);
    }
    const words = nameWords(name);
    if (words.length === 0) throw new GazetteerError(`name ${JSON.stringify(name)} has no letters or digits`, file, line);
    if (words.length > MAX_NAME_WORDS) throw new GazetteerError(`name ${JSON.stringify(name)} has more than ${MAX_NAME_WORDS} words`, file, line);
    const key = words.join(' ');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier.medium !== medium) {
        throw new GazetteerError(`${JSON.stringify(name)} is also listed at line ${earlier.line} as ${earlier.medium}`, file, line);
      }
      return;
    }
    seen.set(key, { medium: medium as GazetteerMedium, line });
    entries.push({ name, medium: medium as GazetteerMedium, kind });
  });
  return entries;
}

export function loadGazetteer(path: string): GazetteerEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GazetteerError(`cannot read gazetteer (${(error as Error).message})`, path, null);
  }
  return parseGazetteer(text, path);
}

interface CompiledName {
  /** The name's words before the last one, in order. */
  before: string[];
  medium: GazetteerMedium;
}

/** How many previous words a matcher keeps; one less than the longest name allowed. */
const HISTORY = MAX_NAME_WORDS - 1;

/**
 * Finds gazetteer names in a word stream. Names are indexed by their LAST word, so the matcher
 * needs no lookahead: each word is one Map lookup, and only words that end some name compare
 * the few words before them. Not reentrant; `reset` before each text.
 */
export class GazetteerMatcher {
  private readonly byLastWord = new Map<string, CompiledName[]>();
  private readonly history: string[] = new Array<string>(HISTORY).fill('');
  private seen = 0;
  /** How many words the name found by the last `push` has (0 when it found none). */
  lastMatchWords = 0;

  constructor(readonly entries: readonly GazetteerEntry[]) {
    for (const entry of entries) {
      const words = nameWords(entry.name);
      const last = words[words.length - 1];
      let names = this.byLastWord.get(last);
      if (names === undefined) this.byLastWord.set(last, (names = []));
      names.push({ before: words.slice(0, -1), medium: entry.medium });
    }
  }

  reset(): void {
    this.seen = 0;
  }

  /**
   * Feeds the next lowercased word; returns the medium of a name ending at this word (the longest
   * one when several end here), or null.
   */
  push(word: string): GazetteerMedium | null {
    const names = this.byLastWord.get(word);
    let found: GazetteerMedium | null = null;
    let longest = -1;
    if (names !== undefined) {
      for (const name of names) {
        const needed = name.before.length;
        if (needed > this.seen || needed <= longest) continue;
        let matches = true;
        for (let i = 0; i < needed && matches; i++) {
          // history[(seen - 1) % HISTORY] is the previous word.
          matches = this.history[(this.seen - needed + i) % HISTORY] === name.before[i];
        }
        if (matches) {
          longest = needed;
          found = name.medium;
        }
      }
    }
    this.history[this.seen % HISTORY] = word;
    this.seen += 1;
    this.lastMatchWords = found === null ? 0 : longest + 1;
    return found;
  }
}

/** Every name the gazetteer finds in `text`, in order, as its lowercased words; for tests and suggestions. */
export function findNames(entries: readonly GazetteerEntry[], text: string): { medium: GazetteerMedium; name: string }[] {
  const matcher = new GazetteerMatcher(entries);
  const found: { medium: GazetteerMedium; name: string }[] = [];
  const words = nameWords(text);
  words.forEach((word, index) => {
    const medium = matcher.push(word);
    if (medium !== null) found.push({ medium, name: words.slice(index + 1 - matcher.lastMatchWords, index + 1).join(' ') });
  });
  return found;
}

/**
 * The configured gazetteer, or none when `path` is null or names no file (a fresh checkout
 * elsewhere, tests with their own data); a file that exists but is broken is an error.
 */
export function loadGazetteerIfPresent(path: string | null): GazetteerEntry[] {
  if (path === null || !existsSync(path)) return [];
  return loadGazetteer(path);
}
