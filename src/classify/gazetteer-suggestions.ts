/**
 * Gazetteer suggestions from editors' labels: names in a video or image story an editor labelled
 * that look like a product or company and are not in the gazetteer yet. They are only suggestions,
 * printed by `retrain` and returned by POST /api/retrain; a person decides whether to add them.
 *
 * "Looks like a name" is a run of capitalised or digit-bearing words in the headline ("Lumetra",
 * "Vireo Motion 2"), trimmed of ordinary words (see ordinaryVocabulary), so words that merely
 * start a headline ("Startup", "New") or are everywhere ("AI", "Europe") are not suggested.
 */
import { PUBLISHED_LABELS, type LabelledText, type PublishedLabel } from '../model';
import { findNames, nameWords, type GazetteerEntry } from './gazetteer';

export interface GazetteerSuggestion {
  /** As written in the headline. */
  name: string;
  medium: PublishedLabel;
  /** How many editor-labelled stories of that medium mention it. */
  stories: number;
}

/** A word that starts with a capital letter or contains a digit: "Sora", "Gen-4", "v2", "iOS". */
const NAME_WORD = /^(?:[A-Z][\w.+'-]*|[\w.+-]*\d[\w.+-]*|[a-z]+[A-Z][\w.+-]*)$/;
/** Longest suggested name, in words. */
const MAX_SUGGESTED_WORDS = 3;
const MAX_SUGGESTIONS = 20;

/**
 * Words that are never a name on their own: any word written in lower case somewhere in the corpus,
 * and every word of a *neither* story ("AI", "Europe", "OpenAI" show up there; a new video or image
 * product does not). Compared lowercased.
 */
export function ordinaryVocabulary(examples: Iterable<LabelledText>): Set<string> {
  const words = new Set<string>();
  for (const example of examples) {
    for (const text of [example.title, example.summary]) {
      if (example.label === 'neither') {
        for (const word of nameWords(text)) words.add(word);
        continue;
      }
      for (const match of text.matchAll(/(?<![\w.-])[a-z][a-z'-]*(?![\w.-])/g)) words.add(match[0]);
    }
  }
  return words;
}

function candidateNames(title: string, ordinary: ReadonlySet<string>): string[] {
  const names: string[] = [];
  let run: string[] = [];
  const flush = () => {
    // Trim ordinary words at either end ("New", "Meet"); keep a name only if something distinctive remains.
    // A trailing version number stays ("Motion 2"); something distinctive must remain.
    const isOrdinary = (word: string) => ordinary.has(word.toLowerCase());
    while (run.length > 0 && isOrdinary(run[0])) run.shift();
    while (run.length > 0 && isOrdinary(run[run.length - 1]) && !/\d/.test(run[run.length - 1])) run.pop();
    if (run.length > 0 && run.length <= MAX_SUGGESTED_WORDS && run.some((word) => /[A-Za-z]/.test(word) && !isOrdinary(word))) {
      names.push(run.join(' '));
    }
    run = [];
  };
  for (const raw of title.split(/\s+/)) {
    const word = raw.replace(/^[("'‘“]+|[)"'’”,:;!?]+$|'s$|’s$/g, '');
    if (word !== '' && NAME_WORD.test(word)) run.push(word);
    else flush();
    if (/[,:;!?]$/.test(raw)) flush();
  }
  flush();
  return names;
}

/**
 * Names from editor-labelled video/image stories that the gazetteer does not already cover,
 * most-mentioned first (then alphabetically), at most MAX_SUGGESTIONS.
 */
export function suggestGazetteerEntries(
  editorExamples: readonly LabelledText[],
  gazetteer: readonly GazetteerEntry[],
  ordinary: ReadonlySet<string>,
): GazetteerSuggestion[] {
  const counts = new Map<string, GazetteerSuggestion>();
  for (const example of editorExamples) {
    if (!(PUBLISHED_LABELS as readonly string[]).includes(example.label)) continue;
    const medium = example.label as PublishedLabel;
    const seenInStory = new Set<string>();
    for (const name of candidateNames(example.title, ordinary)) {
      if (findNames(gazetteer, name).length > 0) continue;
      const key = `${medium}\u0000${nameWords(name).join(' ')}`;
      if (seenInStory.has(key)) continue;
      seenInStory.add(key);
      const existing = counts.get(key);
      if (existing) existing.stories += 1;
      else counts.set(key, { name, medium, stories: 1 });
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
}

/** Lines ready to paste into data/gazetteer.tsv. */
export function formatSuggestions(suggestions: readonly GazetteerSuggestion[]): string {
  if (suggestions.length === 0) return 'No new gazetteer names suggested by editor labels.';
  return [
    'Names in editor-labelled stories that are not in the gazetteer (check, then add to data/gazetteer.tsv):',
    ...suggestions.map((s) => `${s.name}\t${s.medium}\tsuggested by ${s.stories} editor-labelled ${s.stories === 1 ? 'story' : 'stories'}`),
  ].join('\n');
}
