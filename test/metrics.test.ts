/**
 * GET /metrics: Prometheus text with what an operator graphs: routed requests per route pattern,
 * response-memo hits, fetch outcomes per feed, items ingested and stories formed by a real fetch run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpListener } from '../src/http-composition';
import { ServiceMetrics } from '../src/metrics/service-metrics';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { listenOnLoopback, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { pipelineFeedRoutes } from './support/pipeline-fixtures';
import { createTestServices, type TestServices } from './support/test-services';

/** The value of one sample line, e.g. sample(text, 'items_ingested_total'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let fixtures: FixtureServer;
  let services: TestServices;
  let app: RunningApp;
  const metrics = new ServiceMetrics();

  beforeAll(async () => {
    fixtures = await startFixtureServer(pipelineFeedRoutes());
    services = createTestServices({
      server: TEST_SITE_SERVER,
      feeds: [
        { id: 'framewire', name: 'FrameWire', url: `${fixtures.origin}/framewire.rss` },
        { id: 'pixelpost', name: 'PixelPost', url: `${fixtures.origin}/pixelpost.atom` },
        { id: 'gone', name: 'Gone Daily', url: `${fixtures.origin}/no-such-feed.rss` },
      ],
    });
    app = await listenOnLoopback(createHttpListener(services, undefined, metrics));
  });
  afterAll(async () => {
    await app.close();
    await fixtures.close();
    services.dispose();
  });

  it('counts fetch outcomes per feed, items and new stories, routed requests by pattern and memo hits', async () => {
    const summary = await runFetchOnce(services, { force: true });
    metrics.recordFetchRun(summary);
    expect(summary.inserted).toBeGreaterThan(0);

    expect((await fetch(`${app.origin}/feeds/all.rss`)).status).toBe(200);
    expect((await fetch(`${app.origin}/feeds/all.rss`)).status).toBe(200);
    expect((await fetch(`${app.origin}/feeds/nope.rss`)).status).toBe(400);

    const res = await fetch(`${app.origin}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(sample(text, 'feed_fetches_total{feed="framewire",outcome="stored"}')).toBe(1);
    expect(sample(text, 'feed_fetches_total{feed="pixelpost",outcome="stored"}')).toBe(1);
    expect(sample(text, 'feed_fetches_total{feed="gone",outcome="failed"}')).toBe(1);
    expect(sample(text, 'items_ingested_total')).toBe(summary.inserted);
    const newStories = summary.outcomes.reduce((sum, outcome) => sum + (outcome.kind === 'stored' ? outcome.newStories : 0), 0);
    expect(sample(text, 'stories_formed_total')).toBe(newStories);
    // The first request went through the routes, the second came from the memo.
    expect(sample(text, 'http_requests_total{route="/feeds/:category.:format",method="GET",status="200"}')).toBe(1);
    expect(sample(text, 'http_requests_total{route="/feeds/:category.:format",method="GET",status="400"}')).toBe(1);
    expect(sample(text, 'response_memo_hits_total')).toBe(1);
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.0005",route="/feeds/:category.:format"}');
  });
});
