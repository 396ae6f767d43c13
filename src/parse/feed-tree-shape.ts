/**
 * Puts the xml2js tree of a feed into the shape rss-parser reads without tripping over it, or
 * names what is missing. rss-parser assumes what the specs say (an RSS <channel>, an RDF <channel>,
 * Atom dates it can hand to Date#toISOString) and throws TypeErrors or RangeErrors about its own
 * internals when a real feed departs from that. Those internal messages must never reach /health.
 */

import { annotateXmlBases } from './xml-base';

/** A document whose elements are not laid out as any feed format, named for the operator. */
export class FeedStructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedStructureError';
  }
}

type Tree = Record<string, unknown>;

function isRecord(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value._ === 'string') return value._;
  return null;
}

/**
 * Atom entries' <published>/<updated> become the trimmed text when it is a date, and are dropped
 * otherwise (with attributes, nested markup or an unparseable value), so that one bad date makes
 * only its entry fall back to the fetch time.
 */
function normalizeAtomDates(entry: Tree): void {
  for (const name of ['published', 'updated']) {
    const values = entry[name];
    if (!Array.isArray(values)) continue;
    const text = textOf(values[0])?.trim() ?? '';
    if (text && !Number.isNaN(new Date(text).getTime())) entry[name] = [text];
    else delete entry[name];
  }
}

/**
 * rss-parser reads every Atom <link>'s attributes; a link without any (`<link/>`, or the common
 * mistake `<link>https://…</link>`) would make it throw. Text becomes the href it was meant as.
 */
function normalizeAtomLinks(element: Tree): void {
  const links = element.link;
  if (!Array.isArray(links)) return;
  element.link = links.map((link) => {
    if (isRecord(link) && isRecord(link.$)) return link;
    const href = textOf(link)?.trim();
    return { ...(isRecord(link) ? link : {}), $: href ? { href } : {} };
  });
}

/**
 * Returns the tree rss-parser can build a feed from (changed in place), or throws FeedStructureError.
 * Items also get their xml:base (see xml-base.ts), resolved against `documentUrl`.
 */
export function shapeFeedTree(tree: Tree, documentUrl: string): Tree {
  const shaped = shapeFormat(tree);
  annotateXmlBases(shaped, documentUrl);
  return shaped;
}

function shapeFormat(tree: Tree): Tree {
  const atom = tree.feed;
  if (atom !== undefined) {
    // An empty <feed/> is the string '' to xml2js; rss-parser reads its properties.
    if (!isRecord(atom)) {
      tree.feed = {};
      return tree;
    }
    normalizeAtomLinks(atom);
    if (Array.isArray(atom.entry)) {
      atom.entry = atom.entry.map((entry) => {
        if (!isRecord(entry)) return {};
        normalizeAtomDates(entry);
        normalizeAtomLinks(entry);
        return entry;
      });
    }
    return tree;
  }
  const rss = tree.rss;
  if (rss !== undefined) {
    const channel = isRecord(rss) ? rss.channel : undefined;
    if (!Array.isArray(channel) || channel.length === 0) {
      throw new FeedStructureError('The RSS document has no <channel> element, so it has no items to read');
    }
    return tree;
  }
  const rdf = tree['rdf:RDF'];
  if (rdf !== undefined) {
    if (!isRecord(rdf)) throw new FeedStructureError('The RSS 1.0 (RDF) document is empty');
    // RSS 1.0 items are siblings of the channel, so they can be read without one.
    if (!Array.isArray(rdf.channel) || rdf.channel.length === 0) rdf.channel = [{}];
    return tree;
  }
  return tree;
}
