/**
 * An editor's decision is never lost while another process writes to the same SQLite file:
 * a second process holding the write lock briefly makes the decision wait, not fail; holding it
 * longer than the busy timeout gets 503 + Retry-After and changes nothing; and decisions sent while
 * the real CLI `fetch-now` ingests into the same database all land.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { ingest } from './support/seed-stories';
import { syntheticRss } from './support/synthetic-feed';
import { createTestServices, type TestServices } from './support/test-services';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const EDITOR_TOKEN = 'locking-test-token-5c1f0e7a9b2d4e6f';
const BUSY_TIMEOUT_MS = 600;

/** Another process that takes the write lock, writes, and commits after `holdMs`. */
async function holdWriteLock(dbFile: string, holdMs: number): Promise<{ child: ChildProcess; released: Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE feeds SET error_count = error_count WHERE 1").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, dbFile, String(holdMs)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const released = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`))));
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('locked')) resolve();
    });
    child.once('exit', () => reject(new Error(`lock holder ended early: ${output}`)));
  });
  return { child, released };
}

describe('editor decisions while another process writes the database', () => {
  let services: TestServices;
  let app: RunningApp;
  let fixtures: FixtureServer;
  let dbFile: string;
  const storyIds: number[] = [];

  const decide = (id: number, action: string, body?: unknown) =>
    fetch(`${app.origin}/api/stories/${id}/${action}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${EDITOR_TOKEN}`,
        'x-editor': 'Rosa',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    fixtures = await startFixtureServer(
      Object.fromEntries(['wirecast', 'lensdaily', 'reeltime', 'gridnews'].map((feed) => [`/${feed}.rss`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(syntheticRss(feed, 400));
      }])) as Parameters<typeof startFixtureServer>[0],
    );
    services = createTestServices({
      server: TEST_SITE_SERVER,
      review: { editorToken: EDITOR_TOKEN },
      database: { busyTimeoutMs: BUSY_TIMEOUT_MS },
      feeds: [{ id: 'desk', name: 'Desk Daily', url: 'https://desk.example/feed.rss' }],
    });
    dbFile = services.config.database.path;
    ingest(services, 'desk', [
      { guid: 'lumen-4k', title: 'Lumen Labs opens its 4K text-to-video model to every paying subscriber', publishedAt: '2026-11-23T09:00:00Z', label: 'video' },
      { guid: 'brushwork', title: 'Brushwork adds layer-aware inpainting to its image generator', publishedAt: '2026-11-23T10:00:00Z', label: 'image' },
      { guid: 'dubbing', title: 'Studio cuts dubbing costs with a lip-sync video model, union objects', publishedAt: '2026-11-23T11:00:00Z', label: 'video' },
      { guid: 'stockphoto', title: 'Stock photo agency pays contributors whose pictures trained its generator', publishedAt: '2026-11-23T12:00:00Z', label: 'image' },
    ]);
    storyIds.push(...services.stories.listForReview({ limit: 10, offset: 0 }).map((story) => story.id));
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fixtures?.close();
    services?.dispose();
  });

  it('waits for a short lock held by another process, then records the decision', async () => {
    const [id] = storyIds;
    const before = services.stories.decisionsFor(id).length;
    const { released } = await holdWriteLock(dbFile, 250);
    const response = await decide(id, 'approve');
    expect(response.status, await response.clone().text()).toBe(200);
    await released;
    expect(services.stories.getStory(id)!.status).toBe('approved');
    expect(services.stories.decisionsFor(id).length).toBe(before + 1);
  });

  it('answers 503 with Retry-After and changes nothing when the lock is held past the busy timeout', async () => {
    const id = storyIds[1];
    const before = {
      story: services.stories.getStory(id),
      decisions: services.stories.decisionsFor(id).length,
      version: services.stories.publicationState().version,
    };
    const { released } = await holdWriteLock(dbFile, BUSY_TIMEOUT_MS * 4);
    const started = Date.now();
    const response = await decide(id, 'reject');
    const waited = Date.now() - started;
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('busy');
    expect(body.message).toMatch(/nothing was changed/i);
    // Bounded: the request gave up after about the busy timeout, not after the holder finished.
    expect(waited).toBeLessThan(BUSY_TIMEOUT_MS * 3);
    await released;
    expect({
      story: services.stories.getStory(id),
      decisions: services.stories.decisionsFor(id).length,
      version: services.stories.publicationState().version,
    }).toEqual(before);
    // Retrying as told succeeds.
    const retry = await decide(id, 'reject');
    expect(retry.status).toBe(200);
    expect(services.stories.getStory(id)!.status).toBe('rejected');
  });

  it('keeps every decision sent while the CLI fetch-now ingests into the same database', async () => {
    const configFile = path.join(services.dir, 'cli.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: dbFile },
        classifier: { modelPath: services.config.classifier.modelPath, corpusDir: services.config.classifier.corpusDir },
        demoDir: null,
        fetch: { allowPrivateNetworks: true, concurrency: 4 },
        feeds: ['wirecast', 'lensdaily', 'reeltime', 'gridnews'].map((feed) => ({ id: feed, name: feed, url: `${fixtures.origin}/${feed}.rss` })),
      }),
    );
    const cli = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'src', 'cli.ts'), 'fetch-now', '--force'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cliOutput = '';
    cli.stdout!.on('data', (chunk) => (cliOutput += String(chunk)));
    cli.stderr!.on('data', (chunk) => (cliOutput += String(chunk)));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));

    const decisionsBefore = storyIds.map((id) => services.stories.decisionsFor(id).length).reduce((a, b) => a + b, 0);
    const statuses: number[] = [];
    const actions: [string, unknown][] = [
      ['pin', { pinned: true }],
      ['relabel', { label: 'image' }],
      ['approve', undefined],
      ['pin', { pinned: false }],
      ['relabel', { label: 'video' }],
    ];
    let sent = 0;
    // Keep deciding for as long as the CLI runs (and at least 40 times), four requests at a time.
    while (running || sent < 40) {
      const batch = [0, 1, 2, 3].map((slot) => {
        const [action, body] = actions[(sent + slot) % actions.length];
        return decide(storyIds[(sent + slot) % storyIds.length], action, body);
      });
      sent += batch.length;
      for (const response of await Promise.all(batch)) statuses.push(response.status);
    }
    expect(await exited, cliOutput).toBe(0);
    expect(cliOutput).toMatch(/1600 new items/);
    expect(statuses.filter((status) => status !== 200), `of ${statuses.length}`).toEqual([]);
    const decisionsAfter = storyIds.map((id) => services.stories.decisionsFor(id).length).reduce((a, b) => a + b, 0);
    expect(decisionsAfter - decisionsBefore).toBe(sent);
  }, 90_000);
});
