/**
 * What every input format's adapter (RSS/Atom/RDF in parse-feed.ts, JSON Feed in json-feed.ts) does
 * the same way when it turns a feed's item into a NormalizedItem: limits, plain-text cleaning,
 * URL resolution, the made-up guid and the cap on items per document.
 */
import { createHash } from 'node:crypto';
import type { NormalizedItem } from '../model';
import { escapeUnpairedTags } from './literal-tags';
import { htmlToPlainText, truncateOnWord } from './plain-text';

export const DEFAULT_MAX_ITEMS = 500;
export const MAX_TITLE_CHARS = 300;
export const MAX_SUMMARY_CHARS = 600;
export const MAX_AUTHOR_CHARS = 200;
export const MAX_CATEGORY_CHARS = 100;
export const MAX_CATEGORIES = 30;
export const MAX_GUID_CHARS = 2048;
/** A title made up from the summary, for items that have a link but no title. */
export const MAX_DERIVED_TITLE_CHARS = 120;

export function nonEmpty(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

/** A headline, name or category as plain text (markup dropped, quoted tags kept as words), capped; null when empty. */
export function cleanInline(text: string | null, maxChars: number): string | null {
  if (text === null) return null;
  return nonEmpty(truncateOnWord(htmlToPlainText(escapeUnpairedTags(text)), maxChars));
}

/** `raw` resolved against `base`, when that gives an http(s) URL. */
export function absoluteHttpUrl(raw: string | null, base: string): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** A guid for an item with neither id nor link: stable as long as its title is. */
export function titleHash(title: string): string {
  return `urn:sha1:${createHash('sha1').update(title).digest('hex')}`;
}

/** Keeps the newest `limit` items (ties: earlier in the document first), in document order. */
export function keepNewest(items: NormalizedItem[], limit: number): NormalizedItem[] {
  if (items.length <= limit) return items;
  const ranked = items
    .map((item, index) => ({ item, index, time: Date.parse(item.publishedAt) }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index);
  return ranked.map((entry) => entry.item);
}

