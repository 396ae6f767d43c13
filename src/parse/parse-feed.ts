import Parser from 'rss-parser';
import { canonicalizeParsedUrl } from '../dedupe/canonical-url';
import type { FeedSource, NormalizedItem } from '../model';
import { FeedStructureError, shapeFeedTree } from './feed-tree-shape';
import { chooseItemDate } from './item-date';
import {
  absoluteHttpUrl,
  cleanInline as cleanText,
  DEFAULT_MAX_ITEMS,
  keepNewest,
  MAX_AUTHOR_CHARS,
  MAX_CATEGORIES,
  MAX_CATEGORY_CHARS,
  MAX_DERIVED_TITLE_CHARS,
  MAX_GUID_CHARS,
  MAX_SUMMARY_CHARS,
  MAX_TITLE_CHARS,
  nonEmpty,
  titleHash,
} from './item-fields';
import { htmlToPlainText, truncateOnWord } from './plain-text';
import { prepareFeedXml } from './prepare-xml';
import { looksLikeJson, parseJsonFeedDocument } from './json-feed';
import { recoverCompleteItems } from './recover-items';
import { xmlLeadImage, type HtmlBody, type XmlImageFields } from './xml-lead-image';
import { BASES_KEY, itemBases, resolveBase, xmlBaseOf, type ItemBases } from './xml-base';
import { readXmlTree } from './xml-tree';

export interface ParseError {
  code: 'malformed' | 'not-a-feed' | 'empty';
  message: string;
}

export type ParseResult =
  | {
      ok: true;
      feedTitle: string | null;
      items: NormalizedItem[];
      /** Items not returned: unusable (neither title nor link) or beyond maxItems. */
      skipped: number;
      /** Set when the document was broken and only the items before the break were read: what was wrong. */
      repaired: string | null;
    }
  | { ok: false; error: ParseError };

export interface ParseOptions {
  /** A document with more items keeps only the newest this many. */
  maxItems?: number;
  /** The Content-Type the server sent: a JSON type sends a body that is not XML to the JSON Feed reader. */
  contentType?: string | null;
}

/** Fields rss-parser leaves out for some formats; keepArray keeps element attributes (isPermaLink, term). */
const CUSTOM_ITEM_FIELDS = [
  ['guid', 'guidElements', { keepArray: true }],
  ['category', 'categoryElements', { keepArray: true }],
  ['dc:subject', 'dcSubjects', { keepArray: true }],
  ['dc:date', 'dcDate'],
  ['updated', 'atomUpdated'],
  ['published', 'atomPublished'],
  // Atom 0.3 and Dublin Core terms dates, for feeds that give no other.
  ['issued', 'atomIssued'],
  ['modified', 'atomModified'],
  ['created', 'atomCreated'],
  ['dcterms:issued', 'dctermsIssued'],
  ['dcterms:created', 'dctermsCreated'],
  ['dcterms:modified', 'dctermsModified'],
  // Atom dates inside RSS items (atom:published / atom:updated), as some generators add them.
  ['atom:published', 'atomNsPublished'],
  ['atom:updated', 'atomNsUpdated'],
  ['media:description', 'mediaDescription'],
  ['media:group', 'mediaGroup'],
  // Lead-image candidates (see xml-lead-image.ts); every element, with its attributes.
  ['media:content', 'mediaContents', { keepArray: true }],
  ['media:thumbnail', 'mediaThumbnails', { keepArray: true }],
  ['enclosure', 'enclosureElements', { keepArray: true }],
  ['link', 'linkElements', { keepArray: true }],
  // The item's xml:base values, worked out by shapeFeedTree (see xml-base.ts).
  [BASES_KEY, 'xmlBases'],
];

/** The shape rss-parser produces for one item with the custom fields above; xml2js values are loosely typed. */
interface RawItem extends XmlImageFields {
  [key: string]: unknown;
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  id?: unknown;
  pubDate?: unknown;
  isoDate?: unknown;
  creator?: unknown;
  author?: unknown;
  summary?: unknown;
  content?: unknown;
  contentSnippet?: unknown;
  categories?: unknown;
  'rdf:about'?: unknown;
  xmlBases?: unknown;
}

/** Text of an xml2js value: a string, or an element with text content in `_`. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length > 0 ? textOf(value[0]) : null;
  if (value && typeof value === 'object' && typeof (value as { _?: unknown })._ === 'string') return (value as { _: string })._;
  return null;
}

function cleanInline(value: unknown, maxChars: number): string | null {
  return cleanText(textOf(value), maxChars);
}

function attributesOf(value: unknown): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const attributes = (value as { $?: unknown }).$;
    if (attributes && typeof attributes === 'object') return attributes as Record<string, string>;
  }
  return {};
}

/** RSS 2.0 says a guid is the item's permalink unless isPermaLink="false"; many feeds rely on that instead of <link>. */
function permalinkFromGuid(item: RawItem): { text: string; element: unknown } | null {
  const elements = item.guidElements;
  if (!Array.isArray(elements) || elements.length === 0) return null;
  const element: unknown = elements[0];
  if (attributesOf(element).isPermaLink?.trim().toLowerCase() === 'false') return null;
  const text = nonEmpty(textOf(element));
  if (!text) return null;
  // A relative guid is a permalink only when the feed says so explicitly (isPermaLink="true");
  // otherwise it is an opaque id such as "post-4812".
  const explicit = attributesOf(element).isPermaLink?.trim().toLowerCase() === 'true';
  return /^https?:\/\//i.test(text) || (explicit && /^[/.]|^[\w.-]+\//.test(text)) ? { text, element } : null;
}

/** A relative reference resolved against `base` refined by the element's own xml:base. */
function linkUrl(raw: string | null, element: unknown, base: string): URL | null {
  return absoluteHttpUrl(nonEmpty(raw), resolveBase(xmlBaseOf(element), base));
}

/** The <link> element rss-parser took `link` from (its text for RSS, its href for Atom), for its xml:base. */
function linkElementOf(item: RawItem, link: string): unknown {
  if (!Array.isArray(item.linkElements)) return undefined;
  for (const element of item.linkElements) {
    if (textOf(element) === link || attributesOf(element).href === link) return element;
  }
  return undefined;
}

/** The item's link, parsed: the canonical URL is derived from the same parse. */
function itemLink(item: RawItem, base: string): URL | null {
  // An empty or unusable link falls through to the next candidate: rss-parser's choice first, then
  // Atom alternate links (rel="alternate" or none) in document order, a guid permalink, rdf:about.
  const link = textOf(item.link);
  if (link !== null) {
    const url = linkUrl(link, linkElementOf(item, link), base);
    if (url) return url;
  }
  if (Array.isArray(item.linkElements)) {
    for (const element of item.linkElements) {
      const attributes = attributesOf(element);
      const rel = attributes.rel?.trim().toLowerCase();
      if (rel !== undefined && rel !== '' && rel !== 'alternate') continue;
      const url = linkUrl(attributes.href ?? null, element, base);
      if (url) return url;
    }
  }
  const permalink = permalinkFromGuid(item);
  const fromGuid = permalink === null ? null : linkUrl(permalink.text, permalink.element, base);
  return fromGuid ?? absoluteHttpUrl(nonEmpty(textOf(item['rdf:about'])), base);
}

/** The summary source, shortest-form first: a feed's own summary beats the start of the full article. */
function itemSummary(item: RawItem): string {
  const mediaGroupDescription = Array.isArray(item.mediaGroup)
    ? undefined
    : (item.mediaGroup as { 'media:description'?: unknown } | undefined)?.['media:description'];
  const sources = [
    item.summary,
    item.content,
    item['content:encoded'],
    item.mediaDescription,
    mediaGroupDescription,
  ];
  for (const source of sources) {
    const text = textOf(source);
    if (!text) continue;
    const plain = htmlToPlainText(text);
    if (plain) return truncateOnWord(plain, MAX_SUMMARY_CHARS);
  }
  return '';
}

/** RSS <author> is an e-mail address, often "jane@example.com (Jane Doe)": keep the name when given. */
function itemAuthor(item: RawItem): string | null {
  const raw = nonEmpty(textOf(item.creator) ?? textOf(item.author) ?? textOf(item['dc:creator']));
  if (!raw) return null;
  const named = raw.length <= 400 ? raw.match(/^[^\s@]+@[^\s@(]+\s*\(([^()]+)\)$/) : null;
  return cleanInline(named ? named[1] : raw, MAX_AUTHOR_CHARS);
}

function categoryText(value: unknown): string | null {
  const text = textOf(value);
  if (text !== null) return text;
  const attributes = attributesOf(value);
  return attributes.label ?? attributes.term ?? null;
}

function itemCategories(item: RawItem): string[] {
  const raw: unknown[] = [];
  for (const source of [item.categoryElements, item.categories, item.dcSubjects]) {
    if (Array.isArray(source)) raw.push(...source);
  }
  const seen = new Set<string>();
  const categories: string[] = [];
  for (const value of raw) {
    const text = categoryText(value);
    const clean = text === null ? null : cleanInline(text, MAX_CATEGORY_CHARS);
    if (!clean) continue;
    const key = clean.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    categories.push(clean);
    if (categories.length >= MAX_CATEGORIES) break;
  }
  return categories;
}

/** The item's HTML bodies with the base each resolves against; the full article first, it is where a post's pictures are. */
function htmlBodies(item: RawItem, bases: ItemBases): HtmlBody[] {
  return [
    { html: item['content:encoded'], base: bases['content:encoded'] ?? bases.item },
    { html: item.content, base: bases.content ?? bases.item },
    { html: item.summary, base: bases.summary ?? bases.item },
  ];
}

/** Normalizes one item, or returns null when it has neither a title nor a link. */
function normalizeItem(item: RawItem, feed: FeedSource, fetchedAt: Date, documentUrl: string): NormalizedItem | null {
  const bases = itemBases(item.xmlBases, documentUrl);
  const link = itemLink(item, bases.item);
  const originalUrl = link === null ? null : link.href;
  const summary = itemSummary(item);
  const ownTitle = cleanInline(item.title, MAX_TITLE_CHARS);
  if (!ownTitle && !originalUrl) return null;
  const title = ownTitle ?? (summary ? truncateOnWord(summary, MAX_DERIVED_TITLE_CHARS) : (originalUrl as string));

  const guid =
    nonEmpty(textOf(item.guid)) ?? nonEmpty(textOf(item.id)) ?? originalUrl ?? titleHash(title);
  // Not rss-parser's isoDate: it is pubDate (or dc:date) read by Date alone, which makes dates out of garbled text.
  const { publishedAt, hasFeedDate } = chooseItemDate(
    [
      item.pubDate, item.dcDate, item.atomPublished, item.atomUpdated, item.atomNsPublished, item.atomNsUpdated,
      item.atomIssued, item.dctermsIssued, item.atomCreated, item.dctermsCreated, item.atomModified, item.dctermsModified,
    ].map(textOf),
    fetchedAt,
  );
  return {
    feedId: feed.id,
    guid: guid.slice(0, MAX_GUID_CHARS),
    originalUrl,
    canonicalUrl: link === null ? null : canonicalizeParsedUrl(link),
    title,
    summary,
    author: itemAuthor(item),
    publishedAt,
    hasFeedDate,
    categories: itemCategories(item),
    imageUrl: xmlLeadImage(item, htmlBodies(item, bases), bases.item),
  };
}

/** The callback-style XML parser rss-parser keeps in its `xmlParser` property (an xml2js Parser). */
interface CallbackXmlParser {
  parseString(xml: string, callback: (error: unknown, result: unknown) => void): unknown;
}

/**
 * An rss-parser whose XML step builds its tree with parseXmlTree, and with rss-parser's own xml2js
 * parser for the documents parseXmlTree declines (errors, unusual element names), so results and
 * error messages are the ones rss-parser alone gives. Should a future rss-parser not keep its XML
 * parser where this expects it, the parser is returned unchanged: slower, same results.
 * One per document; creating one is cheap next to parsing, and documents then share no state.
 */
function createFeedParser(documentUrl: string): Parser<Record<string, unknown>, RawItem> {
  const parser = new Parser<Record<string, unknown>, RawItem>({
    defaultRSS: 2,
    customFields: { item: CUSTOM_ITEM_FIELDS as unknown as string[] },
  });
  const internals = parser as unknown as { xmlParser?: CallbackXmlParser };
  const xml2jsParser = internals.xmlParser;
  if (!xml2jsParser || typeof xml2jsParser.parseString !== 'function') return parser;
  internals.xmlParser = {
    parseString(xml, callback) {
      // Either tree is put into the shape rss-parser reads (or refused with a named error) first.
      const shaped = (error: unknown, tree: unknown): void => {
        if (error || !tree || typeof tree !== 'object') return callback(error, tree);
        let result: unknown;
        try {
          result = shapeFeedTree(tree as Record<string, unknown>, documentUrl);
        } catch (shapeError) {
          return callback(shapeError, null);
        }
        callback(null, result);
      };
      const tree = readXmlTree(xml);
      if (tree === null) return xml2jsParser.parseString(xml, shaped);
      if (tree instanceof Error) return callback(tree, null);
      // Synchronous like xml2js: an exception thrown while rss-parser reads the tree rejects the parse.
      shaped(null, tree);
      return undefined;
    },
  };
  return parser;
}

/** Errors thrown by rss-parser's own code rather than reported about the XML: never shown as they are. */
function isInternalError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError;
}

function describeParserError(err: unknown, documentUrl: string): ParseError {
  if (err instanceof FeedStructureError) return { code: 'not-a-feed', message: `${err.message} (${documentUrl})` };
  if (isInternalError(err)) {
    return {
      code: 'malformed',
      message: `Unreadable feed at ${documentUrl}: its elements are not laid out as an RSS, RDF or Atom feed`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/not recognized as RSS/i.test(message)) {
    return { code: 'not-a-feed', message: `${documentUrl} is XML but not an RSS, RDF or Atom feed` };
  }
  return { code: 'malformed', message: `Malformed feed XML at ${documentUrl}: ${message.split('\n').join(' ')}` };
}

type ParsedFeed = Awaited<ReturnType<Parser<Record<string, unknown>, RawItem>['parseString']>>;

/** rss-parser's result for a prepared document, or the error, described. */
async function readFeed(xml: string, documentUrl: string): Promise<{ ok: true; feed: ParsedFeed } | { ok: false; error: ParseError; cause: unknown }> {
  try {
    return { ok: true, feed: await createFeedParser(documentUrl).parseString(xml) };
  } catch (err) {
    return { ok: false, error: describeParserError(err, documentUrl), cause: err };
  }
}

/**
 * A broken document's complete items: read again up to its last complete item, when the XML
 * itself is what failed (not a document that is no feed at all), and when that gives any item.
 */
async function readRecovered(xml: string, documentUrl: string): Promise<{ feed: ParsedFeed; problem: string } | null> {
  const recovered = recoverCompleteItems(xml);
  if (recovered === null) return null;
  const second = await readFeed(recovered.xml, documentUrl);
  if (!second.ok || !Array.isArray(second.feed.items) || second.feed.items.length === 0) return null;
  return { feed: second.feed, problem: recovered.problem };
}

/**
 * Parses an RSS 2.0 / RSS 1.0 (RDF) / Atom 1.0 or JSON Feed 1.0 / 1.1 document into normalized items.
 * Never throws: malformed, hostile or non-feed documents come back as `{ ok: false }`.
 */
export async function parseFeedDocument(
  xml: string,
  feed: FeedSource,
  fetchedAt: Date,
  documentUrl: string,
  options: ParseOptions = {},
): Promise<ParseResult> {
  const maxItems = Math.max(1, Math.floor(options.maxItems ?? DEFAULT_MAX_ITEMS));
  // The format detector: JSON Feed by its first character or a JSON content type (servers get that
  // wrong both ways, so a body that starts like XML is read as XML whatever it was called), else XML.
  const jsonType = /^\s*application\/(?:feed\+)?json\b/i.test(options.contentType ?? '');
  if (looksLikeJson(xml) || (jsonType && !/^\uFEFF?\s*</.test(xml))) return parseJsonFeedDocument(xml, feed, fetchedAt, documentUrl, maxItems);
  const prepared = prepareFeedXml(xml);
  if (!prepared.ok) return { ok: false, error: { ...prepared.error, message: `${prepared.error.message} (${documentUrl})` } };

  let parsed: ParsedFeed;
  let repaired: string | null = null;
  const first = await readFeed(prepared.xml, documentUrl);
  if (first.ok) {
    parsed = first.feed;
  } else {
    const xmlError = first.error.code === 'malformed' && !isInternalError(first.cause);
    const recovered = xmlError ? await readRecovered(prepared.xml, documentUrl) : null;
    if (recovered === null) return { ok: false, error: first.error };
    parsed = recovered.feed;
    repaired = `The document is ${recovered.problem}; read the ${recovered.feed.items.length} complete items before the break`;
  }

  const rawItems = Array.isArray(parsed.items) ? parsed.items : [];
  const normalized: NormalizedItem[] = [];
  for (const raw of rawItems) {
    const item = normalizeItem(raw as RawItem, feed, fetchedAt, documentUrl);
    if (item) normalized.push(item);
  }
  const items = keepNewest(normalized, maxItems);
  return {
    ok: true,
    feedTitle: cleanInline(parsed.title, MAX_TITLE_CHARS),
    items,
    skipped: rawItems.length - items.length,
    repaired,
  };
}
