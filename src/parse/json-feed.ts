/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into the same NormalizedItem the RSS,
 * RDF and Atom adapter gives: title, url, id, summary / content_html / content_text, authors
 * (1.1) or author (1.0), date_published / date_modified, tags, image / banner_image.
 * The document is untrusted: every field is type-checked, and a wrong type counts as absent.
 */
import { canonicalizeParsedUrl } from '../dedupe/canonical-url';
import type { FeedSource, NormalizedItem } from '../model';
import {
  absoluteHttpUrl,
  cleanInline,
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
import { chooseItemDate } from './item-date';
import { absoluteImageUrl, firstImageInHtml } from './lead-image';
import { collapseWhitespace, htmlToPlainText, truncateOnWord } from './plain-text';

/** What parseFeedDocument returns, for JSON Feed documents. */
export type JsonFeedResult =
  | { ok: true; feedTitle: string | null; items: NormalizedItem[]; skipped: number; repaired: null }
  | { ok: false; error: { code: 'malformed' | 'not-a-feed'; message: string } };

type JsonObject = Record<string, unknown>;

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' ? value : null;
}

/**
 * True when a document is JSON rather than XML: by its first character, whatever the server
 * called it (feeds are served as text/plain, application/json, application/feed+json...). An XML
 * document never starts with '{'.
 */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length && i < 1024; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfeff || code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) continue;
    return code === 0x7b /* { */;
  }
  return false;
}

/** 1.1 `authors`, else 1.0 `author`: the first name given. */
function itemAuthor(item: JsonObject, feedAuthor: string | null): string | null {
  const candidates: unknown[] = Array.isArray(item.authors) ? item.authors : [];
  candidates.push(item.author);
  for (const author of candidates) {
    if (!isObject(author)) continue;
    const name = cleanInline(stringField(author, 'name'), MAX_AUTHOR_CHARS);
    if (name) return name;
  }
  return feedAuthor;
}

function itemSummary(item: JsonObject): string {
  const summary = stringField(item, 'summary');
  const html = stringField(item, 'content_html');
  const text = stringField(item, 'content_text');
  // summary and content_text are plain text: their angle brackets are words, never markup.
  for (const plain of [summary === null ? '' : collapseWhitespace(summary), html === null ? '' : htmlToPlainText(html), text === null ? '' : collapseWhitespace(text)]) {
    if (plain) return truncateOnWord(plain, MAX_SUMMARY_CHARS);
  }
  return '';
}

function itemCategories(item: JsonObject): string[] {
  if (!Array.isArray(item.tags)) return [];
  const seen = new Set<string>();
  const categories: string[] = [];
  for (const tag of item.tags) {
    const clean = typeof tag === 'string' ? cleanInline(tag, MAX_CATEGORY_CHARS) : null;
    if (!clean || seen.has(clean.toLowerCase())) continue;
    seen.add(clean.toLowerCase());
    categories.push(clean);
    if (categories.length >= MAX_CATEGORIES) break;
  }
  return categories;
}

function itemImage(item: JsonObject, base: string): string | null {
  const declared = absoluteImageUrl(item.image, base) ?? absoluteImageUrl(item.banner_image, base);
  if (declared) return declared;
  const html = stringField(item, 'content_html');
  return html === null ? null : firstImageInHtml(html, base);
}

function normalizeItem(item: JsonObject, feed: FeedSource, fetchedAt: Date, base: string, feedAuthor: string | null): NormalizedItem | null {
  const link = absoluteHttpUrl(nonEmpty(stringField(item, 'url')), base) ?? absoluteHttpUrl(nonEmpty(stringField(item, 'external_url')), base);
  const originalUrl = link === null ? null : link.href;
  const summary = itemSummary(item);
  const ownTitle = cleanInline(stringField(item, 'title'), MAX_TITLE_CHARS);
  if (!ownTitle && !originalUrl) return null;
  const title = ownTitle ?? (summary ? truncateOnWord(summary, MAX_DERIVED_TITLE_CHARS) : (originalUrl as string));
  // JSON Feed 1.0 publishers sometimes write numeric ids.
  const rawId = typeof item.id === 'number' && Number.isFinite(item.id) ? String(item.id) : stringField(item, 'id');
  const guid = nonEmpty(rawId) ?? originalUrl ?? titleHash(title);
  const { publishedAt, hasFeedDate } = chooseItemDate([item.date_published, item.date_modified], fetchedAt);
  return {
    feedId: feed.id,
    guid: guid.slice(0, MAX_GUID_CHARS),
    originalUrl,
    canonicalUrl: link === null ? null : canonicalizeParsedUrl(link),
    title,
    summary,
    author: itemAuthor(item, feedAuthor),
    publishedAt,
    hasFeedDate,
    categories: itemCategories(item),
    imageUrl: itemImage(item, base),
  };
}

/** Parses a JSON Feed document. Never throws. */
export function parseJsonFeedDocument(
  text: string,
  feed: FeedSource,
  fetchedAt: Date,
  documentUrl: string,
  maxItems: number,
): JsonFeedResult {
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    return { ok: false, error: { code: 'malformed', message: `Malformed JSON Feed at ${documentUrl}: ${(err as Error).message}` } };
  }
  if (!isObject(document) || typeof document.version !== 'string' || !VERSION.test(document.version.trim())) {
    return { ok: false, error: { code: 'not-a-feed', message: `${documentUrl} is JSON but not a JSON Feed (no jsonfeed.org version)` } };
  }
  if (!Array.isArray(document.items)) {
    return { ok: false, error: { code: 'not-a-feed', message: `The JSON Feed at ${documentUrl} has no "items" array` } };
  }
  const feedAuthor = itemAuthor(document, null);
  const normalized: NormalizedItem[] = [];
  for (const item of document.items) {
    if (!isObject(item)) continue;
    const normalizedItem = normalizeItem(item, feed, fetchedAt, documentUrl, feedAuthor);
    if (normalizedItem) normalized.push(normalizedItem);
  }
  const items = keepNewest(normalized, maxItems);
  return {
    ok: true,
    feedTitle: cleanInline(stringField(document, 'title'), MAX_TITLE_CHARS),
    items,
    skipped: document.items.length - items.length,
    repaired: null,
  };
}
