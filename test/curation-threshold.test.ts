/**
 * The auto-publish threshold comes from config (`curation.autoPublishThreshold`): stories at or
 * above it publish without review, the rest wait; a restart with another threshold re-applies it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Classification, Label } from '../src/model';
import { configSchema } from '../src/config/schema';
import { createServices } from '../src/services';
import { silentLogger } from '../src/logger';
import { createTestServices, type TestServices } from './support/test-services';

const FEEDS = [{ id: 'desk', name: 'Desk Daily', url: 'https://desk.example/rss' }];
const opened: TestServices[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.dispose();
});

function ingest(services: TestServices, stories: { title: string; label: Label; confidence: number }[]): void {
  services.stories.ingestFeedItems(
    'desk',
    stories.map(({ title, label, confidence }, i) => ({
      item: {
        feedId: 'desk',
        guid: `desk-${i}`,
        originalUrl: `https://desk.example/${i}`,
        canonicalUrl: `https://desk.example/${i}`,
        title,
        summary: '',
        author: null,
        publishedAt: new Date(Date.UTC(2026, 10, 24, 8 - i)).toISOString(),
        hasFeedDate: true,
        categories: [],
        imageUrl: null,
      },
      classification: { label, confidence, terms: [] } satisfies Classification,
    })),
    { feedId: 'desk', at: new Date().toISOString(), etag: null, lastModified: null },
    {},
  );
}

const STORIES = [
  { title: 'Runway ships a model that films a whole scene in one take', label: 'video' as const, confidence: 0.97 },
  { title: 'Ideogram adds a poster editor with layers', label: 'image' as const, confidence: 0.75 },
  { title: 'Chipmaker reports record quarter', label: 'neither' as const, confidence: 0.99 },
];

const publishedTitles = (services: TestServices): string[] =>
  services.stories
    .listForReview({ limit: 50, offset: 0 })
    .filter((story) => story.published)
    .map((story) => story.title)
    .sort();

describe('curation.autoPublishThreshold', () => {
  it('defaults to the threshold eval recommends', () => {
    expect(configSchema.parse({ feeds: [] }).curation.autoPublishThreshold).toBe(0.8);
  });

  it('publishes only stories at or above the configured threshold, and never neither', () => {
    const strict = createTestServices({ feeds: FEEDS });
    opened.push(strict);
    ingest(strict, STORIES);
    expect(publishedTitles(strict)).toEqual(['Runway ships a model that films a whole scene in one take']);

    const lenient = createTestServices({ feeds: FEEDS, curation: { autoPublishThreshold: 0.7 } });
    opened.push(lenient);
    ingest(lenient, STORIES);
    expect(publishedTitles(lenient)).toEqual(['Ideogram adds a poster editor with layers', 'Runway ships a model that films a whole scene in one take']);
  });

  it('re-applies a changed threshold to stored stories at the next start', () => {
    const first = createTestServices({ feeds: FEEDS });
    opened.push(first);
    ingest(first, STORIES);
    expect(publishedTitles(first)).not.toContain('Ideogram adds a poster editor with layers');
    const restarted = createServices({ ...first.config, curation: { autoPublishThreshold: 0.7 } }, silentLogger);
    try {
      const titles = restarted.stories
        .listForReview({ limit: 50, offset: 0 })
        .filter((story) => story.published)
        .map((story) => story.title);
      expect(titles).toContain('Ideogram adds a poster editor with layers');
    } finally {
      restarted.close();
    }
  });
});
