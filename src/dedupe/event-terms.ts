/**
 * What identifies a news event in an item's text, for same-event matching across outlets.
 *
 * Outlets write their own headlines, so matching cannot rest on shared headline words. What
 * different reports of one event do share is its names (products, companies, people), model
 * versions ("Veo 3", "Gen-3", "v6.1"), figures ("$40 million", "1080p", "10-second") and a few
 * rare words; what every report on this beat shares ("AI", "model", "launches", "new") says
 * nothing. This module only extracts those kinds of terms; how much each counts is learned
 * (see event-scorer.ts) and weighted by rarity (see term-stats.ts).
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';

export interface EventTerms {
  /** Stemmed content words of the headline, with repeats. */
  title: string[];
  /** Stemmed content words of the summary / content, with repeats. */
  body: string[];
  /** Proper names, lower-cased: single words ("ideogram") and adjacent pairs ("stable diffusion"). */
  entities: string[];
  /** Normalized figures: "$40m", "1080p", "10s", "4k", "n:300". */
  figures: string[];
  /** A name with its version: "veo 3", "gen 3", "diffusion 3.5", "v 7". */
  versions: string[];
  /** Words written in lower case mid-sentence: ordinary words, which a capital at a sentence start does not make a name. */
  lowercaseWords: string[];
  /**
   * The first name in the headline (else in the summary): who or what the news is about. Reports
   * of one event share their subject; a funding round by one investor in two startups does not.
   */
  subject: string | null;
}

/** Whether a word has been seen written in lower case (an ordinary word) in earlier text. */
export type OrdinaryWords = (lowerCaseWord: string) => boolean;

/** How much of a long body is read: the lede carries the event; the rest costs time and adds noise. */
const MAX_BODY_CHARS = 700;

/** Words on this beat that name no particular event, beyond the general stop words. */
const BEAT_WORDS = new Set(
  (
    'ai artificial intelligence generative genai new model models launch launches launched unveil unveils unveiled ' +
    'announce announces announced announcement release releases released introduce introduces introduced debut debuts ' +
    'roll rolls rolling rolled out update updates updated tool tools feature features say says said report reports ' +
    'company companies startup today week year users user can will now also just use using used make makes made ' +
    'get gets take takes first latest help helps let lets via amid ' +
    // Outlets date the same event differently ("on Tuesday", "today"): calendar words do not identify it.
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july august ' +
    'september october november december yesterday tomorrow'
  ).split(/\s+/),
);
const STOP_WORDS: ReadonlySet<string> = new Set([...naturalStopWords, ...BEAT_WORDS]);

/** Capitalized words that are not names (sentence openers, calendar words, job titles). */
const CAPITALIZED_COMMON = new Set(
  (
    'the a an this that these those it its in on at for with from by of and or but as to is are was were be ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august ' +
    'september october november december today tomorrow yesterday ceo cto cfo coo president chief founder ' +
    'ai us uk eu new how why what when who where which here there after before update exclusive breaking ' +
    'opinion review hands-on analysis report watch video image photo'
  ).split(/\s+/),
);

/** "The post X appeared first on Y." and similar feed boilerplate would make every item of a blog alike. */
const BOILERPLATE = /\b(?:the post .{0,200}? appeared first on .{0,80}$|continue reading.{0,80}$|read more.{0,40}$)/i;

/**
 * Latin letters (with accents), digits and currency signs: the site is English-language, and a
 * regex without Unicode property classes runs several times faster on every ingested item.
 */
const WORD = /[A-Za-z0-9\u00C0-\u024F$€£][A-Za-z0-9\u00C0-\u024F'’.\-$%€£]*/g;
const LETTER = /[a-z\u00C0-\u024F]/;
/** Cheap test before the boilerplate pattern, which most summaries do not contain. */
const BOILERPLATE_HINT = /appeared first on|continue reading|read more/i;
const AMOUNT_UNITS: Record<string, string> = {
  thousand: 'k',
  k: 'k',
  million: 'm',
  mn: 'm',
  m: 'm',
  billion: 'b',
  bn: 'b',
  b: 'b',
  trillion: 't',
  tn: 't',
};
const TIME_UNITS: Record<string, string> = {
  second: 's',
  seconds: 's',
  sec: 's',
  secs: 's',
  minute: 'min',
  minutes: 'min',
  min: 'min',
  mins: 'min',
  hour: 'h',
  hours: 'h',
  fps: 'fps',
  percent: '%',
  per: '',
};

const MAX_CACHED_STEMS = 50_000;
const stemCache = new Map<string, string>();

/** The Porter stem of a lower-case word, memoized. */
export function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = word.length <= 3 ? word : PorterStemmer.stem(word);
    if (stemCache.size >= MAX_CACHED_STEMS) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

interface RawWord {
  text: string;
  lower: string;
  /** First word of the text or of a sentence. */
  sentenceStart: boolean;
}

function rawWords(text: string): RawWord[] {
  const words: RawWord[] = [];
  let lastEnd = 0;
  for (const match of text.matchAll(WORD)) {
    let token = match[0];
    // Trailing punctuation and possessives are not part of the name.
    if (/[.'’-]$/.test(token)) token = token.replace(/[.'’\-]+$/, '');
    if (/['’][sS]$/.test(token)) token = token.slice(0, -2);
    if (token === '') continue;
    const gap = text.slice(lastEnd, match.index);
    const previous = words.length === 0 ? '' : text.charAt(match.index - gap.length - 1);
    // A single space is by far the most common gap: only the previous word's last character matters.
    const sentenceStart =
      words.length === 0 ||
      (gap === ' '
        ? previous === '.'
        : /[:!?]/.test(gap) || (/\s/.test(gap) && previous === '.') || /^\s*[-–—|]\s*$/.test(gap));
    lastEnd = match.index + match[0].length;
    words.push({ text: token, lower: token.toLowerCase(), sentenceStart });
  }
  return words;
}

const NUMBER = /^\d+(?:[.,]\d+)*$/;
const CURRENCY_AMOUNT = /^[$€£](\d+(?:[.,]\d+)*)([a-z]*)$/;
const NUMBER_WITH_SUFFIX = /^(\d+(?:\.\d+)?)[-]?([a-z]+)$/;
const NAME_WITH_VERSION = /^([a-z]+)-?(\d+(?:\.\d+)*[a-z]?)$/;
const YEAR = /^(19|20)\d\d$/;

/** "Version 5", "V5" and "v5" version the same thing. */
function versionName(word: string): string {
  return word === 'version' || word === 'ver' ? 'v' : word;
}

function normalizeNumber(text: string): string {
  const plain = text.replace(/,(?=\d{3}\b)/g, '');
  // "2.0" and "2" name the same version.
  return plain.replace(/\.0+$/, '');
}

function isCapitalized(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase();
}

/** Internal capitals or digits mark a name wherever it stands: "HeyGen", "DALL-E", "Gen-3", "GPT-4o". */
function looksLikeName(word: string): boolean {
  return /[a-z][A-Z]/.test(word) || /^[A-Z]{2,}/.test(word) || (/\d/.test(word) && /[a-zA-Z]/.test(word));
}

interface Section {
  words: RawWord[];
  /** Headlines in Title Case capitalize every word, so their capitals say nothing about names. */
  trustCapitals: boolean;
}

function section(text: string, isHeadline: boolean): Section {
  const words = rawWords(text);
  if (!isHeadline) return { words, trustCapitals: true };
  // The first word is capitalized in any style; short and stop words are lower-cased in most Title Case styles.
  const content = words
    .slice(1)
    .filter((word) => word.lower.length > 3 && !STOP_WORDS.has(word.lower) && LETTER.test(word.lower.charAt(0)));
  const capitalized = content.filter((word) => isCapitalized(word.text)).length;
  return { words, trustCapitals: content.length < 3 || capitalized / content.length < 0.75 };
}

/** Extracts the event-identifying terms of an item's headline and summary. */
export function eventTerms(title: string, summary: string, ordinary: OrdinaryWords = () => true): EventTerms {
  const body = summary.length > MAX_BODY_CHARS ? summary.slice(0, MAX_BODY_CHARS) : summary;
  const headline = section(title, true);
  const lede = section(BOILERPLATE_HINT.test(body) ? body.replace(BOILERPLATE, '') : body, false);
  const terms: EventTerms = { title: [], body: [], entities: [], figures: [], versions: [], lowercaseWords: [], subject: null };
  // Names the body capitalizes mid-sentence tell which Title Case headline words are names; a word
  // capitalized every time it occurs, more than once, is a name even where it opens sentences
  // ("Runway raises..." / "Runway, the New York startup...").
  const bodyNames = new Set<string>();
  for (const word of lede.words) if (!word.sentenceStart && isCapitalized(word.text)) bodyNames.add(word.lower);
  const seen = new Map<string, number>();
  for (const word of [...headline.words, ...lede.words]) {
    const count = seen.get(word.lower) ?? 0;
    seen.set(word.lower, count < 0 || !isCapitalized(word.text) ? -1 : count + 1);
  }
  for (const [word, count] of seen) if (count >= 2 && !CAPITALIZED_COMMON.has(word) && !STOP_WORDS.has(word)) bodyNames.add(word);
  read(headline, terms.title, terms, bodyNames, ordinary);
  read(lede, terms.body, terms, bodyNames, ordinary);
  // Names are pushed as read, headline first; a two-word name always follows its single words.
  terms.subject = terms.entities.length > 0 ? terms.entities[0] : null;
  for (const word of lede.words) if (!word.sentenceStart && /^[a-z\u00DF-\u00FF]+$/.test(word.text)) terms.lowercaseWords.push(word.lower);
  terms.lowercaseWords = unique(terms.lowercaseWords);
  terms.entities = unique(terms.entities);
  terms.figures = unique(terms.figures);
  terms.versions = unique(terms.versions);
  return terms;
}

function unique(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

function read(part: Section, into: string[], terms: EventTerms, bodyNames: ReadonlySet<string>, ordinary: OrdinaryWords): void {
  const { words } = part;
  let previousName: string | null = null;
  /** The content word just before, which a bare number may version: "Veo 3", "Stable Diffusion 3.5". */
  let previousWord: string | null = null;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index];
    const lower = word.lower;
    const next = words[index + 1]?.lower ?? '';

    // Most words hold no digit and no currency sign: they skip the four figure patterns.
    const figureLike = /[\d$€£]/.test(lower);
    const amount = figureLike ? CURRENCY_AMOUNT.exec(lower) : null;
    if (amount) {
      const unit = AMOUNT_UNITS[amount[2]] ?? AMOUNT_UNITS[next] ?? '';
      terms.figures.push(`$${normalizeNumber(amount[1])}${unit}`);
      previousName = null;
      previousWord = null;
      continue;
    }
    if (figureLike && NUMBER.test(lower)) {
      const value = normalizeNumber(lower);
      if (AMOUNT_UNITS[next] && next.length > 1) terms.figures.push(`$${value}${AMOUNT_UNITS[next]}`);
      else if (TIME_UNITS[next] !== undefined) terms.figures.push(`${value}${TIME_UNITS[next]}`);
      else if (previousWord !== null) terms.versions.push(`${versionName(previousWord)} ${value}`);
      else if (!YEAR.test(value)) terms.figures.push(`n:${value}`);
      previousName = null;
      previousWord = null;
      continue;
    }
    const suffixed = figureLike ? NUMBER_WITH_SUFFIX.exec(lower) : null;
    if (suffixed && (suffixed[2] in TIME_UNITS || suffixed[2] in AMOUNT_UNITS || /^(p|k|x|fps|gb|tb|mp)$/.test(suffixed[2]))) {
      const unit = TIME_UNITS[suffixed[2]] ?? AMOUNT_UNITS[suffixed[2]] ?? suffixed[2];
      terms.figures.push(`${normalizeNumber(suffixed[1])}${unit}`);
      previousName = null;
      previousWord = null;
      continue;
    }
    const versioned = figureLike ? NAME_WITH_VERSION.exec(lower) : null;
    if (versioned) {
      terms.versions.push(`${versioned[1]} ${normalizeNumber(versioned[2])}`);
      terms.entities.push(versioned[1]);
      into.push(versioned[1]);
      previousName = null;
      previousWord = null;
      continue;
    }

    // Hyphenated words ("text-to-video", "Black-owned") count as their parts; names keep the whole too.
    const parts = lower.includes('-') ? lower.split('-').filter((part) => part.length > 0) : [lower];
    // A capital marks a name mid-sentence (unless the headline capitalizes every word), where the body
    // capitalizes the word too, or on a word never seen in lower case ("Midjourney", "Shutterstock").
    const isName =
      looksLikeName(word.text) ||
      (isCapitalized(word.text) &&
        !CAPITALIZED_COMMON.has(lower) &&
        ((part.trustCapitals && !word.sentenceStart) || bodyNames.has(lower) || !ordinary(lower)));
    let kept = false;
    for (const partWord of parts) {
      if (partWord.length < 2 || STOP_WORDS.has(partWord) || !LETTER.test(partWord)) continue;
      into.push(stemWord(partWord.replace(/['’]/g, '')));
      kept = true;
    }
    if (isName && !STOP_WORDS.has(lower)) {
      const name = lower.replace(/['’]/g, '');
      terms.entities.push(name);
      // Two names in a row are usually one: "Stable Diffusion", "Dream Machine", "Black Forest".
      if (previousName !== null) terms.entities.push(`${previousName} ${name}`);
      previousName = name;
    } else {
      previousName = null;
    }
    // Only a name or a capitalized word takes a version: "Veo 3", "Version 5", not "generates 14".
    previousWord = isName || (kept && isCapitalized(word.text)) || lower === 'version' ? lower.replace(/['’]/g, '') : null;
  }
}
