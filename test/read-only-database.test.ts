/**
 * A database the service cannot write (a read-only file, or a folder where SQLite cannot create its
 * -wal/-shm files) stops start-up with one line naming the file and the fix, exit 1, and the file is
 * left exactly as it was. The service does not limp on read-only: fetching, editors' decisions and
 * sign-ins all write.
 *
 * Permissions do not bind root, so when the tests run as root the service runs as `nobody`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedsRepository } from '../src/store/feeds-repository';
import { openDatabase } from '../src/store/open-database';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
/** The user the service runs as: `nobody` under root, else the test's own user. */
const serviceUser = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

let dir: string;
/** Folders above the project that `nobody` could not pass through, with the mode each had. */
const opened: { folder: string; mode: number }[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'read-only-db-'));
  chmodSync(dir, 0o755); // nobody must reach the config file and the data folders
  // ...and the project's code: a checkout in a `mktemp -d` folder (mode 700) is closed to others.
  if (asRoot) {
    for (let folder = path.resolve(repoRoot); ; folder = path.dirname(folder)) {
      const mode = statSync(folder).mode & 0o7777;
      if ((mode & 0o005) !== 0o005) {
        opened.push({ folder, mode });
        chmodSync(folder, mode | 0o005);
      }
      if (path.dirname(folder) === folder) break;
    }
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const { folder, mode } of opened) chmodSync(folder, mode);
});

/** A data folder holding a stored database with one feed, owned by the service's user. */
function dataFolderWithDatabase(name: string): { folder: string; dbPath: string } {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const dbPath = path.join(folder, 'feeds.db');
  const db = openDatabase(dbPath);
  new FeedsRepository(db).upsertSources([{ id: 'lens-daily', name: 'Lens Daily', url: 'https://lensdaily.example/rss', enabled: true }], 'config');
  db.close();
  if (asRoot) for (const file of [folder, ...readdirSync(folder).map((f) => path.join(folder, f))]) chownSync(file, NOBODY, NOBODY);
  return { folder, dbPath };
}

function startServer(dbPath: string): Promise<{ code: number; stderr: string }> {
  const configFile = path.join(dir, `${path.basename(path.dirname(dbPath))}.config.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      database: { path: dbPath },
      classifier: { modelPath: path.join(path.dirname(dbPath), 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
      demoDir: null,
      schedule: { fetchOnStart: false },
      feeds: [{ id: 'lens-daily', name: 'Lens Daily', url: 'https://lensdaily.example/rss' }],
    }),
  );
  chmodSync(configFile, 0o644);
  return new Promise((resolve) => {
    execFile(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(repoRoot, 'src', 'server.ts')],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        ...serviceUser,
        // A fixed, unused port: the server must stop before listening.
        env: { PATH: process.env.PATH ?? '', HOME: '/tmp', FEEDS_CONFIG: configFile, PORT: '39871', LOG_LEVEL: 'warn' },
      },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
    );
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a database the service cannot write', () => {
  it('a read-only database file: one line naming it and the fix, exit 1, the file untouched', async () => {
    const { dbPath } = dataFolderWithDatabase('read-only-file');
    chmodSync(dbPath, 0o444);
    const before = sha256(dbPath);
    const { code, stderr } = await startServer(dbPath);
    expect(code, stderr).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain(dbPath);
    expect(lines[0]).toMatch(/cannot start: the database is read-only for this user/);
    expect(lines[0]).toMatch(/database\.path \/ DATABASE_PATH/);
    expect(sha256(dbPath)).toBe(before);
  }, 90_000);

  it('a read-only data folder (no room for the -wal and -shm files): one line naming the file and the fix, exit 1', async () => {
    const { folder, dbPath } = dataFolderWithDatabase('read-only-folder');
    chmodSync(folder, 0o555);
    const before = sha256(dbPath);
    const { code, stderr } = await startServer(dbPath);
    chmodSync(folder, 0o755);
    expect(code, stderr).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain(dbPath);
    expect(lines[0]).toMatch(/cannot start: the database is read-only for this user/);
    expect(lines[0]).toMatch(/folder/);
    expect(sha256(dbPath)).toBe(before);
  }, 90_000);
});
