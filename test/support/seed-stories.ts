import type { Label, NormalizedItem } from '../../src/model';
import type { TestServices } from './test-services';

export interface SeedItem {
  guid: string;
  title: string;
  summary?: string;
  url?: string;
  imageUrl?: string | null;
  publishedAt: string;
  label: Label;
}

/** Stores items through the real ingest transaction, each from its feed, with a fixed classification. */
export function ingest(services: TestServices, feedId: string, items: readonly SeedItem[]): void {
  for (const entry of items) {
    const url = entry.url ?? `https://${feedId}.example/${entry.guid}`;
    const item: NormalizedItem = {
      feedId,
      guid: entry.guid,
      originalUrl: url,
      canonicalUrl: url,
      title: entry.title,
      summary: entry.summary ?? '',
      author: null,
      publishedAt: entry.publishedAt,
      hasFeedDate: true,
      categories: [],
      imageUrl: entry.imageUrl ?? null,
    };
    services.stories.ingestFeedItems(
      feedId,
      [{ item, classification: { label: entry.label, confidence: 0.95, terms: [] } }],
      { feedId, at: entry.publishedAt, etag: null, lastModified: null },
      {},
    );
  }
}
