import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { syntheticRss } from './support/synthetic-feed';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function runNode(script: string, env: Record<string, string>): ChildProcess {
  // Vitest exports BASE_URL etc. into process.env; the child gets only what it needs from it.
  // One node process with tsx's loader, not the tsx CLI: the CLI relays SIGTERM to its child and
  // SIGKILLs it if the child does not acknowledge within 30 ms, which a busy machine can miss.
  const args = ['--import', 'tsx', path.join(repoRoot, 'src', script), ...(script === 'cli.ts' ? ['fetch-now', '--force'] : [])];
  return spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function countRows(dbFile: string): { items: number; stories: number; perFeed: Record<string, number> } {
  let db: Database.Database;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch {
    return { items: 0, stories: 0, perFeed: {} }; // not created yet
  }
  try {
    const items = db.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
    const stories = db.prepare('SELECT COUNT(*) FROM stories').pluck().get() as number;
    const perFeed = Object.fromEntries(
      (db.prepare('SELECT feed_id, COUNT(*) AS n FROM items GROUP BY feed_id').all() as { feed_id: string; n: number }[]).map(
        (row) => [row.feed_id, row.n],
      ),
    );
    return { items, stories, perFeed };
  } catch {
    return { items: 0, stories: 0, perFeed: {} };
  } finally {
    db.close();
  }
}

describe('crash safety of ingest and shutdown', () => {
  let fixtures: FixtureServer;
  let dir: string;
  let holdSlowFeed = true;
  const FEEDS = ['alpha', 'beta', 'gamma'];
  const PER_FEED = 300;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'crash-test-'));
    const routes: Parameters<typeof startFixtureServer>[0] = {};
    for (const feed of FEEDS) {
      const body = syntheticRss(feed, PER_FEED);
      routes[`/${feed}.rss`] = (_req, res) => {
        if (feed === 'gamma' && holdSlowFeed) {
          // Headers, then nothing: the run stays in flight until it is killed or times out.
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.write('<?xml version="1.0"?>');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
      };
    }
    fixtures = await startFixtureServer(routes);
  });

  afterAll(async () => {
    await fixtures?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(name: string, port = 3000): { configFile: string; dbFile: string } {
    const dbFile = path.join(dir, `${name}.db`);
    const configFile = path.join(dir, `${name}.config.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { port, host: '127.0.0.1' },
        database: { path: dbFile },
        classifier: { modelPath: path.join(dir, 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: null,
        schedule: { fetchOnStart: true },
        fetch: { allowPrivateNetworks: true, timeoutMs: 20_000, concurrency: 3, backoffBaseMinutes: 0 },
        feeds: FEEDS.map((feed) => ({ id: feed, name: feed, url: `${fixtures.origin}/${feed}.rss` })),
      }),
    );
    return { configFile, dbFile };
  }

  it('a SIGKILL mid-run loses no committed item, and a restart creates no duplicate', async () => {
    holdSlowFeed = true;
    const { configFile, dbFile } = writeConfig('kill');
    const first = runNode('cli.ts', { FEEDS_CONFIG: configFile });
    let firstOutput = '';
    first.stderr?.on('data', (chunk) => (firstOutput += String(chunk)));
    first.stdout?.on('data', (chunk) => (firstOutput += String(chunk)));
    // alpha and beta commit while gamma hangs: kill once their items are visible to another connection.
    await waitFor(() => {
      const counts = countRows(dbFile);
      return counts.perFeed.alpha === PER_FEED && counts.perFeed.beta === PER_FEED;
    }, 30_000).catch((error) => {
      throw new Error(`${(error as Error).message}; ingest process said: ${firstOutput}`);
    });
    const committed = countRows(dbFile);
    first.kill('SIGKILL');
    expect((await exitOf(first)).signal).toBe('SIGKILL');

    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(countRows(dbFile).items).toBe(committed.items);

    holdSlowFeed = false;
    const second = runNode('cli.ts', { FEEDS_CONFIG: configFile });
    expect((await exitOf(second)).code).toBe(0);
    const after = countRows(dbFile);
    expect(after.perFeed).toEqual({ alpha: PER_FEED, beta: PER_FEED, gamma: PER_FEED });

    // The interrupted-then-resumed database holds exactly what one uninterrupted run stores.
    const clean = writeConfig('clean');
    const reference = runNode('cli.ts', { FEEDS_CONFIG: clean.configFile });
    expect((await exitOf(reference)).code).toBe(0);
    expect(after).toEqual(countRows(clean.dbFile));

    const check = new Database(dbFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const duplicates = check
      .prepare('SELECT COUNT(*) FROM (SELECT feed_id, guid FROM items GROUP BY feed_id, guid HAVING COUNT(*) > 1)')
      .pluck()
      .get();
    check.close();
    expect(duplicates).toBe(0);
  }, 90_000);

  it('SIGTERM during a fetch run stops accepting connections and exits 0 with a consistent database', async () => {
    holdSlowFeed = true;
    const port = await freePort();
    const { configFile, dbFile } = writeConfig('term', port);
    const server = runNode('server.ts', { FEEDS_CONFIG: configFile, PORT: String(port) });
    let stderr = '';
    server.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    await waitFor(() => countRows(dbFile).perFeed.beta === PER_FEED && countRows(dbFile).perFeed.alpha === PER_FEED, 30_000);
    const origin = /listening url=(http:\/\/[\d.:]+)/.exec(stderr)?.[1];
    expect(origin, stderr).toBeDefined();
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    const exited = exitOf(server);
    server.kill('SIGTERM');
    // gamma is still hanging: shutdown must not wait for it forever, nor crash.
    const { code } = await exited;
    expect(code, stderr).toBe(0);
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(countRows(dbFile).perFeed).toEqual({ alpha: PER_FEED, beta: PER_FEED });
  }, 90_000);
});
