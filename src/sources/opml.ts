import { Builder, parseStringPromise } from 'xml2js';
import type { FeedSource } from '../model';

export class OpmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpmlError';
  }
}

interface OutlineNode {
  $?: Record<string, string | undefined>;
  outline?: OutlineNode[];
}

/** A readable, URL-safe id for a feed: from its title, else its host and path. */
export function feedIdFor(title: string | undefined, url: string): string {
  const fromTitle = (title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  if (fromTitle.length >= 3) return fromTitle;
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

function collectOutlines(nodes: OutlineNode[] | undefined, into: OutlineNode[]): void {
  for (const node of nodes ?? []) {
    if (node.$?.xmlUrl) into.push(node);
    collectOutlines(node.outline, into);
  }
}

/**
 * Feeds listed in an OPML document (nested folders flattened). Entries whose xmlUrl is not an
 * absolute http(s) URL are reported in `rejected`, not silently dropped.
 */
export async function parseOpml(text: string): Promise<{ feeds: FeedSource[]; rejected: string[] }> {
  if (/<!ENTITY/i.test(text)) throw new OpmlError('OPML with entity declarations is refused');
  let document: { opml?: { body?: { outline?: OutlineNode[] }[] } };
  try {
    document = await parseStringPromise(text, { explicitArray: true });
  } catch (error) {
    throw new OpmlError(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const body = document?.opml?.body?.[0];
  if (!body) throw new OpmlError('not an OPML document (no <opml><body>)');
  const outlines: OutlineNode[] = [];
  collectOutlines(body.outline, outlines);
  const feeds: FeedSource[] = [];
  const rejected: string[] = [];
  const ids = new Set<string>();
  for (const outline of outlines) {
    const url = outline.$?.xmlUrl?.trim() ?? '';
    const title = outline.$?.title ?? outline.$?.text;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      rejected.push(`${url || '(empty)'}: not an absolute URL`);
      continue;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      rejected.push(`${url}: only http and https feeds are supported`);
      continue;
    }
    let id = feedIdFor(title, url);
    for (let n = 2; ids.has(id); n += 1) id = `${feedIdFor(title, url).slice(0, 44)}-${n}`;
    ids.add(id);
    feeds.push({ id, name: title?.trim() || parsed.hostname, url, enabled: true });
  }
  return { feeds, rejected };
}

/** OPML 2.0 subscription list of the given feeds. */
export function buildOpml(feeds: readonly FeedSource[], title: string): string {
  const builder = new Builder({ xmldec: { version: '1.0', encoding: 'UTF-8' } });
  return builder.buildObject({
    opml: {
      $: { version: '2.0' },
      head: { title, dateCreated: new Date().toUTCString() },
      body: {
        outline: feeds.map((feed) => ({
          $: { type: 'rss', text: feed.name, title: feed.name, xmlUrl: feed.url },
        })),
      },
    },
  });
}
