import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRunSummary } from '../src/jobs/fetch-run';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { pipelineFeedRoutes } from './support/pipeline-fixtures';
import { createTestServices, type TestServices } from './support/test-services';

describe('a fetch run against a local server with good and broken feeds', () => {
  let fixtures: FixtureServer;
  let services: TestServices;
  let firstRun: FetchRunSummary;
  let app: RunningApp;

  const run = () => runFetchOnce(services, { force: true });

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      ...pipelineFeedRoutes(),
      '/broken.rss': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error'),
      '/homepage.rss': (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hello</p></body></html>'),
      '/slow.rss': (_req, res) => {
        // Headers then silence: only an overall deadline ends this request.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      },
    });
    const feed = (id: string, path: string) => ({ id, name: id.toUpperCase(), url: `${fixtures.origin}${path}` });
    services = createTestServices({
      server: TEST_SITE_SERVER,
      fetch: { timeoutMs: 1500 },
      feeds: [
        feed('framewire', '/framewire.rss'),
        feed('pixelpost', '/pixelpost.atom'),
        feed('modelbeat', '/modelbeat.rdf'),
        feed('broken', '/broken.rss'),
        feed('homepage', '/homepage.rss'),
        feed('slow', '/slow.rss'),
      ],
    });
    firstRun = await run();
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fixtures?.close();
    services?.dispose();
  });

  it('stores the items of the RSS 2.0, RSS 1.0 and Atom feeds', () => {
    const health = new Map(services.feeds.health().map((entry) => [entry.feed.id, entry]));
    expect(health.get('framewire')?.itemCount).toBe(3);
    expect(health.get('pixelpost')?.itemCount).toBe(3);
    expect(health.get('modelbeat')?.itemCount).toBe(2);
    const stored = firstRun.outcomes.filter((outcome) => outcome.kind === 'stored');
    expect(stored.map((outcome) => outcome.feedId).sort()).toEqual(['framewire', 'modelbeat', 'pixelpost']);
  });

  it('records a 500, an HTML page and a timeout against their own feeds in /health', async () => {
    const response = await fetch(`${app.origin}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; feeds: { id: string; lastError: string | null }[] };
    expect(body.status).toBe('degraded');
    const errors = new Map(body.feeds.map((feed) => [feed.id, feed.lastError]));
    expect(errors.get('broken')).toMatch(/500/);
    expect(errors.get('homepage')).toMatch(/html|not a feed/i);
    expect(errors.get('slow')).toMatch(/time/i);
    for (const good of ['framewire', 'pixelpost', 'modelbeat']) expect(errors.get(good)).toBeNull();
  });

  it('groups one story reported by two outlets, by tracking-URL variant and by near-identical title', () => {
    const stories = services.stories.listForReview({ limit: 100, offset: 0 });
    const veo = stories.filter((story) => /veo 4/i.test(story.title));
    expect(veo).toHaveLength(1);
    expect(veo[0].outlets.map((outlet) => outlet.feedId).sort()).toEqual(['framewire', 'pixelpost']);
    const study = stories.filter((story) => /spot AI-generated video/i.test(story.title));
    expect(study).toHaveLength(1);
    expect(study[0].outlets.map((outlet) => outlet.feedId).sort()).toEqual(['framewire', 'pixelpost']);
    // 8 items, 6 distinct stories
    expect(stories).toHaveLength(6);
  });

  it('labels stories and keeps "neither" out of the public feeds', () => {
    const stories = services.stories.listForReview({ limit: 100, offset: 0 });
    const byTitle = (pattern: RegExp) => stories.find((story) => pattern.test(story.title))!;
    expect(byTitle(/Runway Gen-5/).label).toBe('video');
    expect(byTitle(/Midjourney V8/).label).toBe('image');
    expect(byTitle(/Nvidia posts record/).label).toBe('neither');
    const published = services.stories.listPublishedStories({ category: 'all', limit: 100, offset: 0 });
    expect(published.some((story) => /Nvidia/.test(story.title))).toBe(false);
    expect(published.length).toBeGreaterThan(0);
  });

  it('a second run gets 304s for unchanged feeds and stores nothing new', async () => {
    const before = services.stories.counts();
    const second = await run();
    expect(second.inserted).toBe(0);
    const notModified = second.outcomes.filter((outcome) => outcome.kind === 'not-modified').map((o) => o.feedId);
    expect(notModified.sort()).toEqual(['framewire', 'modelbeat', 'pixelpost']);
    expect(fixtures.requests.filter((request) => request.ifNoneMatch === '"fixture-v1"').length).toBeGreaterThanOrEqual(3);
    expect(services.stories.counts()).toEqual(before);
  });

  it('a feed that starts failing keeps every item it already stored', async () => {
    const before = services.feeds.health().find((entry) => entry.feed.id === 'framewire')!.itemCount;
    services.feeds.upsertSources(
      [{ id: 'framewire', name: 'FRAMEWIRE', url: `${fixtures.origin}/broken.rss`, enabled: true }],
      'config',
    );
    await run();
    const after = services.feeds.health().find((entry) => entry.feed.id === 'framewire')!;
    expect(after.state.lastError).toMatch(/500/);
    expect(after.itemCount).toBe(before);
  });
});
