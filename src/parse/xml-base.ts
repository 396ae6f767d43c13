/**
 * XML Base (xml:base): the URL relative references inside an element resolve against. A feed may
 * set it on the root (<feed>, <rss>, <rdf:RDF>), on <channel>, on an item or entry, and on the
 * very element holding a URL (<link>, <content>, <enclosure>, <media:group>...); each resolves
 * against the base in force around it, and the outermost against the document URL.
 *
 * The tree shaping (feed-tree-shape.ts) works out each item's bases once, from the xml2js tree
 * both XML readers build, and hands them to the item under BASES_KEY; the item's own URL-bearing
 * elements still carry their attributes, so their xml:base is applied where they are read.
 */

/** Key under which an item's bases travel through rss-parser: not an XML name, so no element can collide with it. */
export const BASES_KEY = '#xml-base';

/** An item's base, and the bases of its HTML bodies when theirs differ (keys as rss-parser names the item fields). */
export interface ItemBases {
  item: string;
  content?: string;
  summary?: string;
  'content:encoded'?: string;
}

type Tree = Record<string, unknown>;

function isRecord(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element's xml:base attribute, if it has one. */
export function xmlBaseOf(element: unknown): string | undefined {
  if (!isRecord(element)) return undefined;
  const attributes = element.$;
  if (!isRecord(attributes)) return undefined;
  const value = attributes['xml:base'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `xmlBase` resolved against `parent`. An empty value, or one that does not resolve to a URL (a
 * typo'd scheme, a relative value under a URN), leaves the parent's base in force.
 */
export function resolveBase(xmlBase: string | undefined, parent: string): string {
  if (xmlBase === undefined) return parent;
  const trimmed = xmlBase.trim();
  if (!trimmed) return parent;
  try {
    return new URL(trimmed, parent).href;
  } catch {
    return parent;
  }
}

/** Which element each rss-parser item field is read from, per format family. */
const ATOM_BODIES: ReadonlyArray<[keyof ItemBases, string]> = [
  ['content', 'content'],
  ['summary', 'summary'],
];
const RSS_BODIES: ReadonlyArray<[keyof ItemBases, string]> = [
  ['content', 'description'],
  ['content:encoded', 'content:encoded'],
  ['summary', 'summary'],
];

function annotateItems(items: unknown, parentBase: string, bodies: ReadonlyArray<[keyof ItemBases, string]>, documentUrl: string): void {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (!isRecord(item)) continue;
    const bases: ItemBases = { item: resolveBase(xmlBaseOf(item), parentBase) };
    let differs = bases.item !== documentUrl;
    for (const [key, elementName] of bodies) {
      const elements = item[elementName];
      const own = Array.isArray(elements) ? xmlBaseOf(elements[0]) : undefined;
      if (own === undefined) continue;
      bases[key] = resolveBase(own, bases.item);
      differs = true;
    }
    // Most feeds have no xml:base at all: their items carry nothing and resolve against the document.
    if (differs) item[BASES_KEY] = [bases];
  }
}

/** Sets each item's bases (see the module comment) in an xml2js feed tree, in place. */
export function annotateXmlBases(tree: Tree, documentUrl: string): void {
  const atom = tree.feed;
  if (isRecord(atom)) {
    annotateItems(atom.entry, resolveBase(xmlBaseOf(atom), documentUrl), ATOM_BODIES, documentUrl);
    return;
  }
  const rss = tree.rss;
  if (isRecord(rss)) {
    const channel = Array.isArray(rss.channel) ? rss.channel[0] : undefined;
    if (!isRecord(channel)) return;
    const channelBase = resolveBase(xmlBaseOf(channel), resolveBase(xmlBaseOf(rss), documentUrl));
    annotateItems(channel.item, channelBase, RSS_BODIES, documentUrl);
    return;
  }
  const rdf = tree['rdf:RDF'];
  // RSS 1.0 items are the channel's siblings: the channel's base does not reach them.
  if (isRecord(rdf)) annotateItems(rdf.item, resolveBase(xmlBaseOf(rdf), documentUrl), RSS_BODIES, documentUrl);
}

/** The bases an item was given by annotateXmlBases, or the document URL for all. */
export function itemBases(value: unknown, documentUrl: string): ItemBases {
  return isRecord(value) && typeof value.item === 'string' ? (value as unknown as ItemBases) : { item: documentUrl };
}
