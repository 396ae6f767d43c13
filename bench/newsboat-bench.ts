/**
 * Section 5: ingest end to end against newsboat, process start included.
 *
 * The same 200 fixture feeds (served by the orchestrator's fixture server) are fetched into a fresh
 * store by `node dist/bundle/cli.js fetch-now --force` (what `npm run cli -- fetch-now --force` runs, without
 * npm's own start) and by `newsboat -x reload` (a C++ reader that parses and stores into SQLite), both
 * with 4 feeds in flight, alternately, three times each on fresh stores; the medians are compared.
 * Skipped when newsboat is not installed (`apt-get install -y newsboat`) or dist/ is not built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { FixtureManifest } from './fixture-manifest';

export type NewsboatFigures =
  | { ran: false; reason: string }
  | {
      ran: true;
      cliSeconds: number;
      newsboatSeconds: number;
      rounds: number;
      items: number;
      feeds: number;
      /** Items each stored in its last round: both must have read every item for the times to compare. */
      cliStoredItems: number;
      newsboatStoredItems: number;
    };

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 3;
const CONCURRENCY = 4;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${(result.stderr ?? '').slice(-2000)}`);
  }
  return seconds;
}

export function runNewsboatBench(opts: {
  manifest: FixtureManifest;
  feedOrigin: string;
  workDir: string;
  modelPath: string;
  corpusDir: string;
  gazetteerPath: string;
}): NewsboatFigures {
  const newsboat = spawnSync('newsboat', ['-v'], { encoding: 'utf8' });
  if (newsboat.error || newsboat.status !== 0) return { ran: false, reason: 'newsboat not installed (apt-get install -y newsboat)' };
  const cliEntry = path.join(repoRoot, 'dist', 'bundle', 'cli.js');
  if (!existsSync(cliEntry)) return { ran: false, reason: 'dist/ not built (npm run build)' };

  const dir = path.join(opts.workDir, 'vs-newsboat');
  mkdirSync(dir, { recursive: true });
  const urls = opts.manifest.feeds.map((feed) => `${opts.feedOrigin}${feed.urlPath}`);
  const urlsFile = path.join(dir, 'urls');
  writeFileSync(urlsFile, `${urls.join('\n')}\n`);
  const newsboatConfig = path.join(dir, 'newsboat.conf');
  writeFileSync(newsboatConfig, `reload-threads ${CONCURRENCY}\nshow-read-feeds yes\n`);

  let cliStoredItems = 0;
  let newsboatStoredItems = 0;
  const cliSeconds: number[] = [];
  const newsboatSeconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dbFile = path.join(dir, `cli-${round}.db`);
    const configFile = path.join(dir, `feeds-${round}.config.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: dbFile },
        classifier: { modelPath: opts.modelPath, corpusDir: opts.corpusDir, gazetteerPath: opts.gazetteerPath },
        demoDir: null,
        fetch: { allowPrivateNetworks: true, concurrency: CONCURRENCY },
        feeds: opts.manifest.feeds.map((feed, index) => ({ id: feed.id, name: feed.name, url: urls[index] })),
      }),
    );
    const env = { PATH: process.env.PATH ?? '', HOME: dir, FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' };
    cliSeconds.push(timed(process.execPath, ['--max-old-space-size=512', cliEntry, 'fetch-now', '--force'], env));
    const cache = path.join(dir, `newsboat-${round}.db`);
    newsboatSeconds.push(timed('newsboat', ['-u', urlsFile, '-c', cache, '-C', newsboatConfig, '-x', 'reload'], { PATH: process.env.PATH ?? '', HOME: dir }));
    cliStoredItems = countRows(dbFile, 'items');
    newsboatStoredItems = countRows(cache, 'rss_item');
    rmSync(dbFile, { force: true });
    rmSync(cache, { force: true });
  }
  return {
    ran: true,
    cliSeconds: median(cliSeconds),
    newsboatSeconds: median(newsboatSeconds),
    rounds: ROUNDS,
    items: opts.manifest.itemCount,
    feeds: opts.manifest.feeds.length,
    cliStoredItems,
    newsboatStoredItems,
  };
}

function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}
