/**
 * A digest can never be dated in the future, an issue stored in the future by an older version does
 * not freeze the schedule, and an operator can remove a wrongly built issue or rebuild the latest one
 * (through the real CLI on a real database), but never one already mailed to subscribers.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from '../src/cli/digest-command';
import { createDigestBuilder, DigestDateInFutureError } from '../src/digest/build-digest';
import { DigestsRepository } from '../src/store/digests-repository';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('correcting digests', () => {
  let services: TestServices;
  let app: RunningApp;
  let configFile: string;

  /** The real CLI, run asynchronously so the HTTP server in this process keeps answering meanwhile. */
  const cli = (args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [path.join(repoRoot, 'src', 'cli.ts'), ...args],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
      );
    });
  const silent = { write: () => true } as unknown as NodeJS.WritableStream;
  const digestFeed = async () => {
    const response = await fetch(`${app.origin}/feeds/digest.json`);
    return { etag: response.headers.get('etag'), body: (await response.json()) as { items: { id: string; title: string }[] } };
  };

  beforeAll(async () => {
    services = createTestServices({
      server: TEST_SITE_SERVER,
      feeds: [{ id: 'framewire', name: 'FrameWire', url: 'https://framewire.example/feed.rss' }],
      // Every day at 08:00 UTC, so the latest completed period is always within the last day.
      schedule: { digestCron: '0 8 * * *' },
    });
    ingest(services, 'framewire', [
      { guid: 'kling', title: 'Kling 3 renders two-minute clips with consistent characters', publishedAt: daysAgo(1.2), label: 'video' },
      { guid: 'ideogram', title: 'Ideogram adds brand-safe typography presets', publishedAt: daysAgo(1.1), label: 'image' },
      { guid: 'hailuo', title: 'Hailuo video model gets a cheaper tier for schools', publishedAt: daysAgo(0.9), label: 'video' },
    ]);
    configFile = path.join(services.dir, 'cli.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: services.config.database.path },
        classifier: { modelPath: services.config.classifier.modelPath, corpusDir: services.config.classifier.corpusDir },
        schedule: { digestCron: '0 8 * * *' },
        demoDir: null,
        feeds: [{ id: 'framewire', name: 'FrameWire', url: 'https://framewire.example/feed.rss' }],
      }),
    );
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  it('the CLI refuses a date later than now and stores nothing', async () => {
    const result = await cli(['digest', '2036-12-04T00:00:00Z']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/2036-12-04T00:00:00\.000Z is later than now/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // one readable line, no stack trace
    expect(new DigestsRepository(services.db).listNewest(10)).toEqual([]);
    expect(() => createDigestBuilder(services).buildLatest(new Date(NOW.getTime() + 60_000), NOW)).toThrow(DigestDateInFutureError);
  }, 60_000);

  it('an issue stored in the future (by an older version) does not stop the schedule, and digest-remove deletes it', async () => {
    const digests = new DigestsRepository(services.db);
    digests.insertIfAbsent({
      periodStart: '2036-12-03T08:00:00.000Z',
      periodEnd: '2036-12-04T08:00:00.000Z',
      periodDate: '2036-12-04',
      createdAt: daysAgo(0.5),
      sections: [],
    });
    const due = createDigestBuilder(services).buildDue(NOW);
    expect(due.map((result) => result.created)).toEqual([true]);
    const todays = due[0].digest;
    expect(new Date(todays.periodEnd).getTime()).toBeLessThanOrEqual(NOW.getTime());

    const before = await digestFeed();
    expect(before.body.items.map((item) => item.title).join('\n')).toContain('2036-12-04');

    const removed = await cli(['digest-remove', '2036-12-04']);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('Removed the digest of 2036-12-04');
    expect(digests.listNewest(10).map((digest) => digest.periodDate)).toEqual([todays.periodDate]);

    const after = await digestFeed();
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.items.map((item) => item.title).join('\n')).not.toContain('2036');
    expect((await fetch(`${app.origin}/digests/2036-12-04`)).status).toBe(404);

    const missing = await cli(['digest-remove', '2036-12-04']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no stored digest for 2036-12-04/);
  }, 60_000);

  it('digest --rebuild replaces the latest issue with one built from the stories as they are now', async () => {
    const first = digestCommand(services, silent, { now: NOW });
    expect(first.created).toBe(false); // built by the schedule in the previous test
    const hailuo = services.stories.listForReview({ limit: 10, offset: 0 }).find((story) => story.title.startsWith('Hailuo'))!;
    const inFirst = first.digest.sections.flatMap((section) => section.stories.map((entry) => entry.storyId));
    services.stories.applyDecision(hailuo.id, { kind: 'reject' }, 'Desk');
    const beforeEtag = (await digestFeed()).etag;

    const rebuilt = digestCommand(services, silent, { now: NOW, rebuild: true });
    expect(rebuilt.created).toBe(true);
    expect(rebuilt.digest.periodEnd).toBe(first.digest.periodEnd);
    expect(rebuilt.digest.id).not.toBe(first.digest.id);
    const inRebuilt = rebuilt.digest.sections.flatMap((section) => section.stories.map((entry) => entry.storyId));
    expect(inFirst).toContain(hailuo.id);
    expect(inRebuilt).not.toContain(hailuo.id);
    expect((await digestFeed()).etag).not.toBe(beforeEtag);

    // The CLI form of the same command.
    const viaCli = await cli(['digest', '--rebuild']);
    expect(viaCli.status, viaCli.stderr).toBe(0);
    expect(viaCli.stdout).toContain('Removed the stored issue and built it again');
  }, 60_000);

  it('refuses to remove an issue already mailed to subscribers', async () => {
    const latest = new DigestsRepository(services.db).listNewest(1)[0];
    // A subscriber who received it (what the newsletter's send log records).
    const subscriber = Number(
      services.db
        .prepare(`INSERT INTO newsletter_subscribers (email, nonce, status, created_at, confirmed_at) VALUES (?, 'n', 'confirmed', ?, ?)`)
        .run('reader@example.org', daysAgo(3), daysAgo(3)).lastInsertRowid,
    );
    services.db
      .prepare(`INSERT INTO newsletter_sends (subscriber_id, digest_id, status, attempts, updated_at, sent_at) VALUES (?, ?, 'sent', 1, ?, ?)`)
      .run(subscriber, latest.id, daysAgo(0.1), daysAgo(0.1));
    const result = await cli(['digest-remove', latest.periodDate]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/already mailed to 1 subscriber/);
    expect(new DigestsRepository(services.db).listNewest(1)[0].id).toBe(latest.id);
    expect((await cli(['digest', '--rebuild'])).status).toBe(1);
  }, 60_000);
});
