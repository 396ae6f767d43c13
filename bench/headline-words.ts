/**
 * Headline words and their Jaccard similarity: the bench uses them to make a reworded duplicate
 * headline that stays recognisably the same (the service matches on much more, see src/dedupe/).
 */

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

