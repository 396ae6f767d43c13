import { afterEach, describe, expect, it } from 'vitest';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { createTestServices, type TestServices } from './support/test-services';

describe('failing feeds are backed off and eventually disabled, with the reason on /health', () => {
  let fixtures: FixtureServer | undefined;
  let services: TestServices | undefined;

  afterEach(async () => {
    await fixtures?.close();
    services?.dispose();
  });

  const run = (s: TestServices, now: Date, force = false) => runFetchOnce(s, { now, force });

  it('410 Gone disables the feed at once and it is not fetched again', async () => {
    fixtures = await startFixtureServer({ '/gone.rss': (_q, r) => r.writeHead(410).end('gone') });
    services = createTestServices({ feeds: [{ id: 'gone', name: 'Gone', url: `${fixtures.origin}/gone.rss` }] });
    const first = await run(services, new Date());
    expect(first.outcomes[0]).toMatchObject({ kind: 'failed', disabled: true });
    const health = services.feeds.health()[0];
    expect(health.state.disabledReason).toMatch(/410/);
    const second = await run(services, new Date(Date.now() + 86_400_000), true);
    expect(second.outcomes[0]).toMatchObject({ kind: 'skipped' });
    expect(fixtures.requests).toHaveLength(1);
  });

  it('backs off exponentially and disables after the configured number of consecutive failures', async () => {
    fixtures = await startFixtureServer({ '/down.rss': (_q, r) => r.writeHead(503).end('down') });
    services = createTestServices({
      fetch: { backoffBaseMinutes: 10, disableAfterFailures: 3 },
      feeds: [{ id: 'down', name: 'Down', url: `${fixtures.origin}/down.rss` }],
    });
    const t0 = new Date('2026-11-24T10:00:00Z');
    await run(services, t0);
    expect(services.feeds.getState('down')?.nextAttemptAt).toBe('2026-11-24T10:10:00.000Z');
    // Not due yet: the scheduler leaves it alone during backoff.
    const during = await run(services, new Date('2026-11-24T10:05:00Z'));
    expect(during.outcomes[0]).toMatchObject({ kind: 'skipped' });
    await run(services, new Date('2026-11-24T10:10:00Z'));
    expect(services.feeds.getState('down')?.nextAttemptAt).toBe('2026-11-24T10:30:00.000Z');
    const third = await run(services, new Date('2026-11-24T10:30:00Z'));
    expect(third.outcomes[0]).toMatchObject({ kind: 'failed', disabled: true });
    expect(services.feeds.getState('down')?.disabledReason).toMatch(/3 consecutive failures.*503/);
    expect(fixtures.requests).toHaveLength(3);
  });
});
