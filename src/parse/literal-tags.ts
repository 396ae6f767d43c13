/**
 * Headlines, author names and categories are text, but feeds put HTML in them both ways: as
 * markup to drop ("Adobe <b>Firefly</b>") and as words about markup ("Why <video> tags matter").
 * Read as HTML, the second loses its words: an unclosed <video> swallows the rest of the line.
 *
 * Rule: a tag counts as markup only when it is paired (an opening with a later closing of the same
 * name) or is a line break; every other tag-shaped run is text, so its '<' is escaped before the
 * HTML-to-text step and the words survive.
 */

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]{0,30})(?:\s[^<>]*)?\/?>/g;
/** Breaks are markup on their own; nothing else without a partner is. */
const LONE_MARKUP = new Set(['br', 'wbr']);

/** `text` with the '<' of every unpaired tag escaped as '&lt;' (text itself when there is none). */
export function escapeUnpairedTags(text: string): string {
  if (!text.includes('<')) return text;
  const tags: { index: number; closing: boolean; name: string; paired: boolean }[] = [];
  const openByName = new Map<string, number[]>();
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match; match = TAG.exec(text)) {
    const name = match[2].toLowerCase();
    const tag = { index: match.index, closing: match[1] === '/', name, paired: LONE_MARKUP.has(name) };
    tags.push(tag);
    if (tag.paired) continue;
    if (!tag.closing) {
      const list = openByName.get(name);
      if (list) list.push(tags.length - 1);
      else openByName.set(name, [tags.length - 1]);
      continue;
    }
    const opening = openByName.get(name)?.pop();
    if (opening !== undefined) {
      tags[opening].paired = true;
      tag.paired = true;
    }
  }
  const literal = tags.filter((tag) => !tag.paired);
  if (literal.length === 0) return text;
  const parts: string[] = [];
  let copiedUpTo = 0;
  for (const tag of literal) {
    parts.push(text.slice(copiedUpTo, tag.index), '&lt;');
    copiedUpTo = tag.index + 1;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}
