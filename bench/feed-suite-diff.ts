/**
 * Differential check of the feed parser against public parsers' test suites, which carry the
 * values their parser is expected to produce. The suites are not part of this repository: fetch
 * them yourself and pass the folder.
 *
 *   npx tsx bench/feed-suite-diff.ts <suite-dir> [--show N] [--json out.json]
 *
 * Recognised suites (by their layout):
 *  - kurtmckee/feedparser: tests/wellformed and tests/illformed documents, each with a Python
 *    `Expect:` expression in a leading comment; the clauses about the first entry's title, link,
 *    id, dates, summary and media URLs are compared with our first item. Plus the date strings of
 *    tests/test_date_parsers.py, against our date reader.
 *  - mmcdole/gofeed: testdata/translator/{rss,atom} documents with the expected universal-feed JSON
 *    (title, link, published/updated, image of the first item).
 *  - rowanmanning/sample-feeds: content/ ** /feed.xml (real sites' feeds and spec examples), which
 *    carry no expected values: counted as parsed or not, with items, links and images.
 *  - w3c/feedvalidator: testcases/ (valid and invalid documents for the validator): each must be
 *    read without throwing, as a feed or refused with a named error; the slowest is reported.
 *
 * Prints agreement per field (compared, agree, disagree) and the first disagreements of each.
 * A field counts only where our model has it: feedparser's HTML title and summary are compared as
 * plain text, and a media URL with our one lead image.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FeedSource, NormalizedItem } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { chooseItemDate } from '../src/parse/item-date';
import { htmlToPlainText } from '../src/parse/plain-text';

interface Disagreement {
  file: string;
  expected: string;
  ours: string;
}

interface FieldTally {
  agree: number;
  disagree: Disagreement[];
  /** Expectations about an item our parser leaves out by design (neither title nor link), or outside what it models. */
  notComparable: number;
}

class Tally {
  private readonly fields = new Map<string, FieldTally>();

  private entry(field: string): FieldTally {
    let entry = this.fields.get(field);
    if (!entry) {
      entry = { agree: 0, disagree: [], notComparable: 0 };
      this.fields.set(field, entry);
    }
    return entry;
  }

  record(field: string, agree: boolean, detail: Disagreement): void {
    const entry = this.entry(field);
    if (agree) entry.agree++;
    else entry.disagree.push(detail);
  }

  skip(field: string): void {
    this.entry(field).notComparable++;
  }

  report(title: string, show: number): string {
    const lines = [`\n${title}`, `${'field'.padEnd(34)} compared   agree  disagree   agreement   not comparable`];
    for (const [field, { agree, disagree, notComparable }] of [...this.fields].sort((a, b) => a[0].localeCompare(b[0]))) {
      const total = agree + disagree.length;
      const share = total === 0 ? '-' : `${((100 * agree) / total).toFixed(1)}%`;
      lines.push(
        `${field.padEnd(34)} ${String(total).padStart(8)} ${String(agree).padStart(7)} ${String(disagree.length).padStart(9)}   ${share.padStart(9)}   ${String(notComparable).padStart(14)}`,
      );
    }
    if (show > 0) {
      for (const [field, { disagree }] of this.fields) {
        for (const d of disagree.slice(0, show)) {
          lines.push(`  ✗ ${field}  ${d.file}\n      expected: ${d.expected.slice(0, 200)}\n      ours:     ${d.ours.slice(0, 200)}`);
        }
      }
    }
    return lines.join('\n');
  }

  toJson(): Record<string, FieldTally> {
    return Object.fromEntries(this.fields);
  }
}

const FETCHED_AT = new Date();

function source(url: string): FeedSource {
  return { id: 'suite', name: 'Suite', url, enabled: true };
}

/** Documents whose first item got a placeholder title (see parseForComparison). */
let placeholderTitles = 0;
const PLACEHOLDER_TITLE = 'suite placeholder title';

async function parse(text: string, documentUrl: string) {
  return parseFeedDocument(text, source(documentUrl), FETCHED_AT, documentUrl);
}

/**
 * The suites test one field at a time, so many test items have neither a title nor a link, and
 * our parser leaves such items out by design. To compare the field under test anyway, such a
 * document is read again with a placeholder <title> added at the start of its first item.
 */
async function parseForComparison(text: string, documentUrl: string) {
  const result = await parse(text, documentUrl);
  if (!result.ok || result.items.length > 0) return result;
  const opening = /<((?:\w+:)?(?:entry|item))(\s[^>]*)?>/.exec(text);
  if (!opening || opening[0].endsWith('/>')) return result;
  const prefix = opening[1].includes(':') ? `${opening[1].split(':')[0]}:` : '';
  const at = opening.index + opening[0].length;
  const retried = await parse(`${text.slice(0, at)}<${prefix}title>${PLACEHOLDER_TITLE}</${prefix}title>${text.slice(at)}`, documentUrl);
  if (retried.ok && retried.items.length > 0) placeholderTitles++;
  return retried.ok && retried.items.length > 0 ? retried : result;
}

function walk(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, accept, out);
    else if (accept(full)) out.push(full);
  }
  return out;
}

/** Text as feedparser's tests read a file: by its byte order mark, else UTF-8 (errors dropped). */
function decodeLikeFeedparser(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
}

/** Plain text of an HTML value, as compared: tags dropped, entities decoded, whitespace collapsed. */
function plain(value: string): string {
  return htmlToPlainText(value).replace(/\s+/g, ' ').trim();
}

/** Whether our plain text is the expected value read as HTML or as text (the suites' values are either). */
function sameText(expected: string, ours: string): boolean {
  return ours === plain(expected) || ours === expected.replace(/\s+/g, ' ').trim();
}

/** URLs compared as parsed (host case, a root path's slash), text otherwise. */
function sameUrl(expected: string, ours: string): boolean {
  try {
    return new URL(expected).href === new URL(ours).href;
  } catch {
    return expected === ours;
  }
}

/** Dates outside what the parser accepts as a publication date (before 1995, or ahead of now) are not compared. */
function plausible(tuple: number[]): boolean {
  return tuple[0] >= 1995 && Date.UTC(tuple[0], tuple[1] - 1, tuple[2]) <= FETCHED_AT.getTime();
}

// ---------- Python literals and Expect clauses ----------

type PyValue = string | number[] | null | { unsupported: string };

function readPythonString(text: string): string | null {
  const match = /^[uUbBrR]?(['"])((?:\\.|(?!\1).)*)\1$/s.exec(text.trim());
  if (!match) return null;
  return match[2].replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[\\'"nrt0])/g, (_, escape: string) => {
    if (escape[0] === 'u' || escape[0] === 'U' || escape[0] === 'x') return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', '0': '\0' }[escape] as string;
  });
}

function readPythonValue(text: string): PyValue {
  const trimmed = text.trim();
  if (trimmed === 'None') return null;
  const asString = readPythonString(trimmed);
  if (asString !== null) return asString;
  const tuple = /^\(([\d\s,-]+)\)$/.exec(trimmed);
  if (tuple) return tuple[1].split(',').filter((part) => part.trim() !== '').map((part) => Number(part));
  return { unsupported: trimmed };
}

/** Splits an expression on top-level ` and ` (outside strings and brackets). */
function clauses(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && expression.startsWith(' and ', i)) {
      parts.push(expression.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(expression.slice(start));
  return parts.map((part) => part.trim());
}

/** `entries[0]['a'][0]['b']` or `entries[0].a[0].b` as ['a', 0, 'b'], or null for anything else. */
function entryPath(left: string): Array<string | number> | null {
  const match = /^entries\[0\]((?:\[(?:\d+|'[^']*'|"[^"]*")\]|\.[A-Za-z_]\w*)*)$/.exec(left.trim());
  if (!match) return null;
  const pathParts: Array<string | number> = [];
  const re = /\[(\d+)\]|\[(?:'([^']*)'|"([^"]*)")\]|\.([A-Za-z_]\w*)/g;
  for (let m = re.exec(match[1]); m; m = re.exec(match[1])) {
    if (m[1] !== undefined) pathParts.push(Number(m[1]));
    else pathParts.push((m[2] ?? m[3] ?? m[4]) as string);
  }
  return pathParts;
}

const DATE_FIELDS = new Set(['published_parsed', 'updated_parsed', 'created_parsed', 'issued_parsed', 'modified_parsed', 'date_parsed']);

/** Y-M-D h:m:s of a feedparser time tuple, or of our ISO date, for comparison. */
function tupleText(tuple: number[]): string {
  const [y, mo, d, h, mi, s] = tuple;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')} ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
function isoText(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

/** The first entry's element text of the document (for rel checks), crudely: enough to tell alternate links. */
function firstEntryXml(xml: string): string {
  const start = xml.search(/<(?:\w+:)?(?:entry|item)[\s>]/);
  return start < 0 ? '' : xml.slice(start, start + 4000);
}

function firstLinkIsAlternate(xml: string): boolean {
  const link = /<(?:\w+:)?link\b([^>]*)>/.exec(firstEntryXml(xml));
  if (!link) return false;
  const rel = /\brel\s*=\s*["']([^"']*)["']/.exec(link[1]);
  return rel === null || rel[1].trim() === '' || rel[1].trim() === 'alternate';
}

/** Compares one Expect clause with our first item; returns the field name compared, or null when it is about something we do not model. */
function compareClause(
  clause: string,
  item: NormalizedItem | undefined,
  xml: string,
  file: string,
  tally: Tally,
  group: string,
): void {
  const eq = /^(.*?)\s*==\s*(.*)$/s.exec(clause);
  if (!eq) return;
  const fieldPath = entryPath(eq[1]);
  if (!fieldPath) return;
  const expected = readPythonValue(eq[2]);
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) return;
  const [head, index, sub] = fieldPath;
  const key = fieldPath.join('.');
  let field: string | null = null;
  let expectedText = '';
  let ours: (item: NormalizedItem) => string = () => '';
  let same: (e: string, o: string) => boolean = (e, o) => e === o;
  if ((head === 'title' && fieldPath.length === 1) || (head === 'title_detail' && index === 'value')) {
    if (typeof expected !== 'string' || item?.title === PLACEHOLDER_TITLE) return;
    [field, expectedText, ours, same] = ['title', expected, (i) => i.title, sameText];
  } else if ((head === 'link' && fieldPath.length === 1) || (head === 'links' && index === 0 && sub === 'href' && firstLinkIsAlternate(xml))) {
    if (typeof expected !== 'string') return;
    [field, expectedText, ours, same] = ['link', expected, (i) => i.originalUrl ?? '(none)', sameUrl];
  } else if ((head === 'id' || head === 'guid') && fieldPath.length === 1) {
    if (typeof expected !== 'string') return;
    [field, expectedText, ours] = ['id', expected, (i) => i.guid];
  } else if (typeof head === 'string' && DATE_FIELDS.has(head) && fieldPath.length === 1) {
    if (!Array.isArray(expected)) return;
    [field, expectedText, ours] = ['date', tupleText(expected), (i) => (i.hasFeedDate ? isoText(i.publishedAt) : '(no date)')];
    if (!plausible(expected)) return tally.skip(`${group} date`);
  } else if ((head === 'summary' || head === 'description') && fieldPath.length === 1) {
    if (typeof expected !== 'string') return;
    // Our summary is plain text capped at 600 characters.
    if (plain(expected).length > 590) return;
    [field, expectedText, ours, same] = ['summary (text)', expected, (i) => i.summary, sameText];
  } else if ((head === 'media_thumbnail' || head === 'media_content') && sub === 'url') {
    if (typeof expected !== 'string') return;
    [field, expectedText, ours, same] = ['lead image (media)', expected, (i) => i.imageUrl ?? '(none)', sameUrl];
  } else if (head === 'enclosures' && (sub === 'href' || sub === 'url')) {
    // Only image enclosures become lead images.
    if (typeof expected !== 'string') return;
    if (!/\.(?:jpe?g|png|gif|webp)$/i.test(expected) && !/type=["']image\//.test(firstEntryXml(xml))) return;
    [field, expectedText, ours, same] = ['lead image (enclosure)', expected, (i) => i.imageUrl ?? '(none)', sameUrl];
  }
  // An <img> in the expected HTML of the item's body is what our lead image reads last.
  const body = (head === 'summary' || head === 'description') && fieldPath.length === 1 ? expected : head === 'content' && sub === 'value' ? expected : null;
  const img = typeof body === 'string' ? /<img\b[^>]*\bsrc="(https?:[^"]+)"/i.exec(body) : null;
  if (img) {
    const imageName = `${group} lead image (<img> in the HTML)`;
    if (!item) tally.skip(imageName);
    else {
      const src = img[1].replace(/&amp;/g, '&');
      tally.record(imageName, sameUrl(src, item.imageUrl ?? '(none)'), { file, expected: `${key} has <img src="${src}">`, ours: item.imageUrl ?? '(none)' });
    }
  }
  if (field === null) return;
  const name = `${group} ${field}`;
  if (!item) return tally.skip(name);
  const oursText = ours(item);
  tally.record(name, same(expectedText, oursText), { file, expected: `${key} == ${expectedText}`, ours: oursText });
}

async function runFeedparser(root: string, tally: Tally): Promise<{ documents: number; parsed: number }> {
  let documents = 0;
  let parsed = 0;
  for (const kind of ['wellformed', 'illformed']) {
    const dir = path.join(root, 'tests', kind);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir, (f) => f.endsWith('.xml'))) {
      const text = decodeLikeFeedparser(readFileSync(file));
      const expect = /Description:\s*(.*?)\s*Expect:\s*(.*?)\s*-->/s.exec(text);
      if (!expect) continue;
      documents++;
      const relative = path.relative(root, file).split(path.sep).join('/');
      // feedparser's HTTP tests serve each file at this URL; a Content-Location header (not modelled) would change the base.
      if (/^Header:\s+Content-Location:/im.test(text)) continue;
      const documentUrl = `http://127.0.0.1:8097/${relative}`;
      const result = await parseForComparison(text, documentUrl);
      if (result.ok) parsed++;
      const item = result.ok ? result.items[0] : undefined;
      for (const clause of clauses(expect[2].replace(/\s+/g, ' '))) {
        compareClause(clause.replace(/^not bozo$/, ''), item, text, relative, tally, kind);
      }
    }
  }
  return { documents, parsed };
}

function runFeedparserDates(root: string, tally: Tally): void {
  const file = path.join(root, 'tests', 'test_date_parsers.py');
  if (!existsSync(file)) return;
  const source = readFileSync(file, 'utf8');
  const entry = /\(\s*(_parse_date\w*)\s*,\s*((?:[uU]?"(?:[^"\\]|\\.)*")|(?:[uU]?'(?:[^'\\]|\\.)*'))\s*,\s*(None|\([\d\s,-]+\))\s*,?\s*\)/g;
  for (let m = entry.exec(source); m; m = entry.exec(source)) {
    const input = readPythonString(m[2]);
    if (input === null) continue;
    const expected = readPythonValue(m[3]) as number[] | null;
    const parser = m[1].replace(/^_parse_date_?/, '') || 'any';
    // Through the item-date rule: a date outside 1995..now counts as none, so such expectations are not compared.
    if (expected !== null && !plausible(expected)) {
      tally.skip(`dates ${parser}`);
      continue;
    }
    const ours = chooseItemDate([input], FETCHED_AT);
    const expectedText = expected === null ? 'None' : tupleText(expected);
    const oursText = ours.hasFeedDate ? isoText(ours.publishedAt) : 'None';
    tally.record(`dates ${parser}`, expectedText === oursText, { file: `test_date_parsers.py ${JSON.stringify(input)}`, expected: expectedText, ours: oursText });
  }
}

interface GofeedItem {
  title?: string;
  link?: string;
  publishedParsed?: string;
  updatedParsed?: string;
  image?: { url?: string };
}

async function runGofeed(root: string, tally: Tally): Promise<{ documents: number; parsed: number }> {
  let documents = 0;
  let parsed = 0;
  for (const format of ['rss', 'atom']) {
    const dir = path.join(root, 'testdata', 'translator', format);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir, (f) => f.endsWith('.xml'))) {
      const jsonFile = file.replace(/\.xml$/, '.json');
      if (!existsSync(jsonFile)) continue;
      documents++;
      const expected = JSON.parse(readFileSync(jsonFile, 'utf8')) as { items?: GofeedItem[] };
      const text = readFileSync(file, 'utf8');
      const name = `${format}/${path.basename(file)}`;
      const result = await parseForComparison(text, 'http://example.org/feed.xml');
      if (result.ok) parsed++;
      const want = expected.items?.[0];
      if (!want) continue;
      const item = result.ok ? result.items[0] : undefined;
      const record = (field: string, e: string, o: (i: NormalizedItem) => string, same: (e: string, o: string) => boolean = (a, b) => a === b) => {
        if (!item) return tally.skip(`gofeed ${field}`);
        const oursText = o(item);
        tally.record(`gofeed ${field}`, same(e, oursText), { file: name, expected: e, ours: oursText });
      };
      if (want.title && item?.title !== PLACEHOLDER_TITLE) record('title', want.title, (i) => i.title, sameText);
      if (want.link) record('link', want.link, (i) => i.originalUrl ?? '(none)', sameUrl);
      const date = want.publishedParsed ?? want.updatedParsed;
      if (date) record('date', isoText(new Date(date).toISOString()), (i) => (i.hasFeedDate ? isoText(i.publishedAt) : '(no date)'));
      if (want.image?.url) record('lead image', want.image.url, (i) => i.imageUrl ?? '(none)', sameUrl);
    }
  }
  return { documents, parsed };
}

async function runSampleFeeds(root: string, tally: Tally): Promise<{ documents: number; parsed: number; summary: string }> {
  let documents = 0;
  let parsed = 0;
  let items = 0;
  let withImage = 0;
  let absoluteLinks = 0;
  for (const file of walk(path.join(root, 'content'), (f) => /\/feed\.(?:xml|json)$/.test(f))) {
    documents++;
    const meta = existsSync(path.join(path.dirname(file), 'index.md')) ? readFileSync(path.join(path.dirname(file), 'index.md'), 'utf8') : '';
    const original = /^original:\s*"([^"]+)"/m.exec(meta)?.[1];
    const documentUrl = original && /^https?:/.test(original) ? original : 'https://example.org/feed.xml';
    const result = await parse(readFileSync(file, 'utf8'), documentUrl);
    const name = path.relative(root, file);
    tally.record('sample-feeds parsed', result.ok, { file: name, expected: 'a feed', ours: result.ok ? 'ok' : result.error.message });
    if (!result.ok) continue;
    parsed++;
    items += result.items.length;
    for (const item of result.items) {
      if (item.imageUrl) withImage++;
      if (item.originalUrl) absoluteLinks++;
    }
  }
  return { documents, parsed, summary: `${items} items, ${absoluteLinks} with an absolute link, ${withImage} with a lead image` };
}

/**
 * w3c/feedvalidator's testcases carry expected validator messages, not parsed values: each document
 * counts as read (a feed, or refused with a named error), and the slowest read is reported.
 */
async function runFeedvalidator(root: string, tally: Tally): Promise<{ documents: number; parsed: number; summary: string }> {
  let documents = 0;
  let parsed = 0;
  let slowest = { ms: 0, file: '' };
  const codes = new Map<string, number>();
  for (const file of walk(path.join(root, 'testcases'), (f) => /\.(?:xml|rss|atom|rdf)$/.test(f))) {
    documents++;
    const name = path.relative(root, file);
    const started = performance.now();
    let outcome: string;
    try {
      const result = await parse(decodeLikeFeedparser(readFileSync(file)), 'http://www.example.com/feed.xml');
      outcome = result.ok ? 'feed' : result.error.code;
      if (result.ok) parsed++;
    } catch (error) {
      outcome = 'threw';
      tally.record('feedvalidator read without throwing', false, { file: name, expected: 'a result', ours: String(error) });
    }
    if (outcome !== 'threw') tally.record('feedvalidator read without throwing', true, { file: name, expected: '', ours: '' });
    codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, file: name };
  }
  const outcomes = [...codes].map(([code, n]) => `${code} ${n}`).join(', ');
  return { documents, parsed, summary: `${outcomes}; slowest ${slowest.ms.toFixed(0)} ms (${slowest.file})` };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args.find((arg) => !arg.startsWith('--'));
  const showIndex = args.indexOf('--show');
  const show = showIndex >= 0 ? Number(args[showIndex + 1]) : 5;
  const jsonIndex = args.indexOf('--json');
  if (!dir || !existsSync(dir)) {
    console.error('usage: npx tsx bench/feed-suite-diff.ts <suite-dir> [--show N] [--json out.json]');
    process.exit(2);
  }
  const tally = new Tally();
  let title: string;
  if (existsSync(path.join(dir, 'tests', 'wellformed'))) {
    const { documents, parsed } = await runFeedparser(dir, tally);
    runFeedparserDates(dir, tally);
    title = `feedparser suite: ${documents} documents with expectations, ${parsed} parsed as feeds`;
  } else if (existsSync(path.join(dir, 'testdata', 'translator'))) {
    const { documents, parsed } = await runGofeed(dir, tally);
    title = `gofeed translator suite: ${documents} documents, ${parsed} parsed`;
  } else if (existsSync(path.join(dir, 'content'))) {
    const { documents, parsed, summary } = await runSampleFeeds(dir, tally);
    title = `sample-feeds: ${documents} documents, ${parsed} parsed; ${summary}`;
  } else if (existsSync(path.join(dir, 'testcases'))) {
    const { documents, parsed, summary } = await runFeedvalidator(dir, tally);
    title = `feedvalidator testcases: ${documents} documents, ${parsed} read as feeds; outcomes: ${summary}`;
  } else {
    console.error(`${dir}: not a suite this script knows (feedparser, gofeed, sample-feeds, feedvalidator)`);
    process.exit(2);
  }
  if (placeholderTitles > 0) title += `; ${placeholderTitles} documents read with a placeholder title on their first item (it had neither title nor link)`;
  console.log(tally.report(title, show));
  if (jsonIndex >= 0) writeFileSync(args[jsonIndex + 1], JSON.stringify(tally.toJson(), null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
