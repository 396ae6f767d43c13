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
  title: Stem[];
  /** Stemmed content words of the summary / content, with repeats. */
  body: Stem[];
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
 * Words are Latin letters (with accents), digits and currency signs (see rawWords): the site is
 * English-language, and classes without Unicode properties run several times faster.
 */
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

/**
 * One distinct stem, shared by every word that stems to it. `vocabulary` and `id` are scratch for
 * the vocabulary that last numbered it (see TermStats.stemId): most words of an item were seen
 * before, and reading their id here costs less than a lookup in a vocabulary of many thousand words.
 */
export interface Stem {
  readonly text: string;
  vocabulary: object | null;
  id: number;
}

const MAX_CACHED_STEMS = 50_000;
const stemCache = new Map<string, string>();
const stemObjects = new Map<string, Stem>();

/** The shared Stem of a stem's text. */
function stemOf(text: string): Stem {
  let stem = stemObjects.get(text);
  if (stem === undefined) {
    if (stemObjects.size >= MAX_CACHED_STEMS) stemObjects.clear();
    stem = { text, vocabulary: null, id: -1 };
    stemObjects.set(text, stem);
  }
  return stem;
}

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

export interface RawWord {
  text: string;
  lower: string;
  /** First word of the text or of a sentence. */
  sentenceStart: boolean;
  /** Its first letter is a capital. */
  capitalized: boolean;
  info: WordInfo;
}

/** A word starts with a Latin letter (with accents), a digit or a currency sign. */
function isWordStart(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ||
    (code >= 0xc0 && code <= 0x24f) || code === 36 || code === 0x20ac || code === 0xa3
  );
}

/** ...and goes on through those, apostrophes, dots, hyphens and percent signs. */
function isWordPart(code: number): boolean {
  return isWordStart(code) || code === 39 || code === 0x2019 || code === 46 || code === 45 || code === 37;
}

/**
 * Where the word text[start, end) ends without trailing punctuation and possessives: "Runway's."
 * is "Runway".
 */
function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const code = text.charCodeAt(end - 1);
    if (code !== 46 && code !== 39 && code !== 0x2019 && code !== 45) break;
    end -= 1;
  }
  if (end - start >= 2) {
    const last = text.charCodeAt(end - 1);
    const quote = text.charCodeAt(end - 2);
    if ((last === 115 || last === 83) && (quote === 39 || quote === 0x2019)) end -= 2;
  }
  return end;
}

function isCapitalized(word: string): boolean {
  const code = word.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90;
  const first = word.charAt(0);
  return first !== first.toLowerCase();
}

const SENTENCE_PUNCTUATION = /[:!?]/;
const WHITESPACE = /\s/;
const DASH_GAP = /^\s*[-–—|]\s*$/;

/**
 * The text's words, each marked when it opens a sentence. A hand-written scanner: this runs on
 * every ingested item, and a global regular expression with a match object per word cost most of
 * the time the same-event terms take.
 */
export function rawWords(text: string): RawWord[] {
  const words: RawWord[] = [];
  const length = text.length;
  let lastEnd = 0;
  let index = 0;
  while (index < length) {
    if (!isWordStart(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    const start = index;
    for (let code = text.charCodeAt(index); index < length && (index === start || isWordPart(code)); code = text.charCodeAt(++index));
    const end = trimmedEnd(text, start, index);
    if (end === start) continue;
    let sentenceStart = words.length === 0;
    if (!sentenceStart) {
      // A single space is by far the most common gap: only the previous word's last character matters.
      const previous = text.charCodeAt(lastEnd - 1);
      if (start - lastEnd === 1 && text.charCodeAt(lastEnd) === 32) sentenceStart = previous === 46;
      else {
        const gap = text.slice(lastEnd, start);
        sentenceStart = SENTENCE_PUNCTUATION.test(gap) || (previous === 46 && WHITESPACE.test(gap)) || DASH_GAP.test(gap);
      }
    }
    lastEnd = index;
    words.push(readWord(text, start, end, sentenceStart));
  }
  return words;
}

/**
 * The word text[start, end), its lower case and its info. An ASCII word is found in the word table
 * (wordTableInfos) by its characters where they stand; a lower-case one (most words) is then its
 * own cached lower case, and no string is cut out of the text for it.
 */
function readWord(text: string, start: number, end: number, sentenceStart: boolean): RawWord {
  let hash = 0x811c9dc5 | 0;
  let upper = false;
  let ascii = true;
  for (let i = start; i < end; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 128) {
      ascii = false;
      break;
    }
    if (code >= 65 && code <= 90) {
      upper = true;
      code += 32;
    }
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  if (!ascii) {
    const token = text.slice(start, end);
    const lower = token.toLowerCase();
    return { text: token, lower, sentenceStart, capitalized: isCapitalized(token), info: wordInfo(lower) };
  }
  const capitalized = isAsciiUpper(text.charCodeAt(start));
  let slot = hash & WORD_TABLE_MASK;
  // Before the table is made every place reads undefined: nothing is found.
  for (let info = wordTableInfos[slot]; info !== null && info !== undefined; info = wordTableInfos[slot]) {
    if (wordTableHashes[slot] === hash && isLowerCaseOf(info.lower, text, start, end)) {
      return { text: upper ? text.slice(start, end) : info.lower, lower: info.lower, sentenceStart, capitalized, info };
    }
    slot = (slot + 1) & WORD_TABLE_MASK;
  }
  const token = text.slice(start, end);
  const lower = upper ? token.toLowerCase() : token;
  const info = wordInfo(lower);
  if (wordTableSize >= MAX_TABLE_WORDS) {
    // Full (or not made yet): start over; the infos stay in wordInfoCache. `slot` no longer marks an empty place.
    clearWordTable();
  } else {
    wordTableInfos[slot] = info;
    wordTableHashes[slot] = hash;
    wordTableSize += 1;
  }
  return { text: token, lower, sentenceStart, capitalized, info };
}

/** Whether `lower` is text[start, end) in lower case (ASCII). */
function isLowerCaseOf(lower: string, text: string, start: number, end: number): boolean {
  if (lower.length !== end - start) return false;
  for (let i = 0; i < lower.length; i += 1) {
    let code = text.charCodeAt(start + i);
    if (code >= 65 && code <= 90) code += 32;
    if (lower.charCodeAt(i) !== code) return false;
  }
  return true;
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

/** Internal capitals or digits mark a name wherever it stands: "HeyGen", "DALL-E", "Gen-3", "GPT-4o". */
function looksLikeName(word: string): boolean {
  let digit = false;
  let letter = false;
  let previousLower = false;
  for (let i = 0; i < word.length; i += 1) {
    const code = word.charCodeAt(i);
    const upper = code >= 65 && code <= 90;
    const lower = code >= 97 && code <= 122;
    if (upper && (previousLower || (i === 1 && isAsciiUpper(word.charCodeAt(0))))) return true;
    if (code >= 48 && code <= 57) digit = true;
    else if (upper || lower) letter = true;
    if (digit && letter) return true;
    previousLower = lower;
  }
  return false;
}

function isAsciiUpper(code: number): boolean {
  return code >= 65 && code <= 90;
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
  const capitalized = content.filter((word) => word.capitalized).length;
  return { words, trustCapitals: content.length < 3 || capitalized / content.length < 0.75 };
}

/** Extracts the event-identifying terms of an item's headline and summary. */
export function eventTerms(title: string, summary: string, ordinary: OrdinaryWords = () => true): EventTerms {
  // Marks on the cached word infos count this text's words (no Map or Set per item); the cache is
  // only cleared here, so each word keeps one info object for the whole text.
  if (wordInfoCache.size >= MAX_CACHED_WORDS) {
    wordInfoCache.clear();
    clearWordTable();
  }
  const mark = ++textSerial;
  const body = summary.length > MAX_BODY_CHARS ? summary.slice(0, MAX_BODY_CHARS) : summary;
  const headline = section(title, true);
  const lede = section(BOILERPLATE_HINT.test(body) ? body.replace(BOILERPLATE, '') : body, false);
  const terms: EventTerms = { title: [], body: [], entities: [], figures: [], versions: [], lowercaseWords: [], subject: null };
  // Names the body capitalizes mid-sentence tell which Title Case headline words are names; a word
  // capitalized every time it occurs, more than once, is a name even where it opens sentences
  // ("Runway raises..." / "Runway, the New York startup...").
  for (const word of lede.words) if (!word.sentenceStart && word.capitalized) word.info.bodyNameMark = mark;
  const seen: WordInfo[] = [];
  for (const words of [headline.words, lede.words]) {
    for (const { info, capitalized } of words) {
      if (info.seenMark !== mark) {
        info.seenMark = mark;
        info.seenCount = 0;
        seen.push(info);
      }
      info.seenCount = info.seenCount < 0 || !capitalized ? -1 : info.seenCount + 1;
    }
  }
  for (const info of seen) if (info.seenCount >= 2 && !info.capitalizedCommon && !info.stopWord) info.bodyNameMark = mark;
  read(headline, terms.title, terms, mark, ordinary);
  read(lede, terms.body, terms, mark, ordinary);
  // Names are pushed as read, headline first; a two-word name always follows its single words.
  terms.subject = terms.entities.length > 0 ? terms.entities[0] : null;
  for (const { info, text, lower, sentenceStart } of lede.words) {
    // A word written all in lower-case letters, once per text.
    if (sentenceStart || text !== lower || !info.plainLowercase || info.lowercaseMark === mark) continue;
    info.lowercaseMark = mark;
    terms.lowercaseWords.push(lower);
  }
  terms.entities = unique(terms.entities);
  terms.figures = unique(terms.figures);
  terms.versions = unique(terms.versions);
  return terms;
}

const LOWER_CASE_WORD = /^[a-z\u00DF-\u00FF]+$/;
let textSerial = 0;

/** The values without repeats, first occurrences in order (a few values: no Set needed). */
function unique(values: string[]): string[] {
  if (values.length < 2) return values;
  const kept: string[] = [];
  for (const value of values) if (!kept.includes(value)) kept.push(value);
  return kept;
}

/** Reads one section's words into `into` and the names, figures and versions of `terms`; `mark` is eventTerms' text mark. */
function read(part: Section, into: Stem[], terms: EventTerms, mark: number, ordinary: OrdinaryWords): void {
  const { words } = part;
  let previousName: string | null = null;
  /** The content word just before, which a bare number may version: "Veo 3", "Stable Diffusion 3.5". */
  let previousWord: string | null = null;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index];
    const lower = word.lower;
    const next = words[index + 1]?.lower ?? '';

    const info = word.info;
    // Most words hold no digit and no currency sign: they skip the four figure patterns.
    const figureLike = info.figureLike;
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
      into.push(stemOf(versioned[1]));
      previousName = null;
      previousWord = null;
      continue;
    }

    // A capital marks a name mid-sentence (unless the headline capitalizes every word), where the body
    // capitalizes the word too, or on a word never seen in lower case ("Midjourney", "Shutterstock").
    const isName =
      looksLikeName(word.text) ||
      (word.capitalized &&
        !info.capitalizedCommon &&
        ((part.trustCapitals && !word.sentenceStart) || info.bodyNameMark === mark || !ordinary(lower)));
    // Hyphenated words ("text-to-video", "Black-owned") count as their parts; names keep the whole too.
    for (const stem of info.stems) into.push(stem);
    const kept = info.stems.length > 0;
    const bare = info.bare;
    if (isName && !info.stopWord) {
      const name = bare;
      terms.entities.push(name);
      // Two names in a row are usually one: "Stable Diffusion", "Dream Machine", "Black Forest".
      if (previousName !== null) terms.entities.push(`${previousName} ${name}`);
      previousName = name;
    } else {
      previousName = null;
    }
    // Only a name or a capitalized word takes a version: "Veo 3", "Version 5", not "generates 14".
    previousWord = isName || (kept && word.capitalized) || lower === 'version' ? bare : null;
  }
}

const FIGURE_CHARACTER = /[\d$€£]/;
const QUOTE = /['’]/g;

function withoutQuotes(word: string): string {
  return word.includes("'") || word.includes('’') ? word.replace(QUOTE, '') : word;
}

/** What read() needs to know of a lower-case word, worked out once per distinct word. */
interface WordInfo {
  /** The word in lower case. */
  lower: string;
  /** The stems it adds to the text: none for short, stop and letterless words; a hyphenated word's parts. */
  stems: Stem[];
  stopWord: boolean;
  capitalizedCommon: boolean;
  figureLike: boolean;
  /** Without apostrophes: how a name is kept. */
  bare: string;
  /** Only lower-case letters: written so mid-sentence, an ordinary word. */
  plainLowercase: boolean;
  /** Scratch for eventTerms, valid where the mark is the current text's (see textSerial). */
  bodyNameMark: number;
  seenMark: number;
  seenCount: number;
  lowercaseMark: number;
}

const MAX_CACHED_WORDS = 50_000;
const wordInfoCache = new Map<string, WordInfo>();

/**
 * The infos of ASCII words again, by a hash of their lower-case characters (open addressing in
 * 2^16 places, at most half of them used: when full it starts over, and words are found again in
 * wordInfoCache). Made on first use: a process that reads no text does not keep it. See readWord.
 */
const WORD_TABLE_MASK = (1 << 16) - 1;
const MAX_TABLE_WORDS = (WORD_TABLE_MASK + 1) / 2;
let wordTableInfos: (WordInfo | null)[] = [];
let wordTableHashes = new Int32Array(0);
let wordTableSize = MAX_TABLE_WORDS;

function clearWordTable(): void {
  if (wordTableInfos.length === 0) {
    wordTableInfos = new Array<WordInfo | null>(WORD_TABLE_MASK + 1).fill(null);
    wordTableHashes = new Int32Array(WORD_TABLE_MASK + 1);
  } else {
    wordTableInfos.fill(null);
  }
  wordTableSize = 0;
}

function contentStem(word: string): string | null {
  if (word.length < 2 || STOP_WORDS.has(word) || !LETTER.test(word)) return null;
  return stemWord(withoutQuotes(word));
}

function wordInfo(lower: string): WordInfo {
  let info = wordInfoCache.get(lower);
  if (info === undefined) {
    const stems: Stem[] = [];
    for (const part of lower.includes('-') ? lower.split('-') : [lower]) {
      const stem = contentStem(part);
      if (stem !== null) stems.push(stemOf(stem));
    }
    info = {
      lower,
      stems,
      stopWord: STOP_WORDS.has(lower),
      capitalizedCommon: CAPITALIZED_COMMON.has(lower),
      figureLike: FIGURE_CHARACTER.test(lower),
      bare: withoutQuotes(lower),
      plainLowercase: LOWER_CASE_WORD.test(lower),
      bodyNameMark: 0,
      seenMark: 0,
      seenCount: 0,
      lowercaseMark: 0,
    };
    wordInfoCache.set(lower, info);
  }
  return info;
}
