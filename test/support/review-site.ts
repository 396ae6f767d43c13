import { runFetchOnce } from './fetch-once';
import { startFixtureServer, feedWithEtag } from './fixture-server';
import { startApp, TEST_SITE_SERVER } from './http-app';
import { pipelineFeedRoutes } from './pipeline-fixtures';
import { createTestServices, type TestServices } from './test-services';

/** The test site's auto-publish threshold (config `curation.autoPublishThreshold`). */
export const REVIEW_SITE_THRESHOLD = 0.99;

export interface ReviewSiteOptions {
  /** The configured editor token; null runs the site without review access. */
  editorToken: string | null;
  /** RSS served as the "Desk Daily" feed: stories the model is unsure about, so they stay held. */
  deskFeed: string;
  /** A Desk Daily video story with markup in its headline, summary and terms. */
  hostile: { title: string; summary: string; terms: string[] };
}

export interface ReviewSite {
  origin: string;
  services: TestServices;
  close(): Promise<void>;
}

/**
 * Real services filled by a real fetch run from a local fixture server (the three pipeline outlets
 * plus Desk Daily), one hostile story, and the production HTTP app on 127.0.0.1:0.
 */
export async function startReviewSite(options: ReviewSiteOptions): Promise<ReviewSite> {
  const fixtures = await startFixtureServer({
    ...pipelineFeedRoutes(),
    '/desk.rss': feedWithEtag(options.deskFeed, 'application/rss+xml'),
  });
  const feed = (id: string, name: string, feedPath: string) => ({ id, name, url: `${fixtures.origin}${feedPath}` });
  const services = createTestServices({
    server: TEST_SITE_SERVER,
    // These tests send many wrong tokens on purpose; the throttle has its own tests (editor-access).
    review: { editorToken: options.editorToken, throttle: { maxFailures: 1000 } },
    // A high bar, so the Desk Daily stories the model is unsure about stay held whatever the
    // shipped default is; the hostile story (confidence 0.995) still publishes.
    curation: { autoPublishThreshold: REVIEW_SITE_THRESHOLD },
    feeds: [
      feed('framewire', 'FrameWire', '/framewire.rss'),
      feed('pixelpost', 'PixelPost', '/pixelpost.atom'),
      feed('modelbeat', 'ModelBeat', '/modelbeat.rdf'),
      feed('desk', 'Desk Daily', '/desk.rss'),
    ],
  });
  await runFetchOnce(services, { force: true });
  // Stored as a feed could deliver it after entity decoding: the markup is text that must never run.
  services.stories.ingestFeedItems(
    'desk',
    [
      {
        item: {
          feedId: 'desk',
          guid: 'desk-hostile',
          originalUrl: 'https://desk.example/pika-3',
          canonicalUrl: 'https://desk.example/pika-3',
          title: options.hostile.title,
          summary: options.hostile.summary,
          author: null,
          publishedAt: '2026-11-24T05:00:00.000Z',
          hasFeedDate: true,
          categories: [],
          imageUrl: null,
        },
        classification: { label: 'video', confidence: 0.995, terms: options.hostile.terms },
      },
    ],
    { feedId: 'desk', at: new Date().toISOString(), etag: null, lastModified: null },
    {},
  );
  const app = await startApp(services);
  return {
    origin: app.origin,
    services,
    close: async () => {
      await app.close();
      await fixtures.close();
      services.dispose();
    },
  };
}
