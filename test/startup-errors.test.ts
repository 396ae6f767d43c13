/**
 * Start-up problems an operator can fix are one readable line naming the file and the fix, with
 * exit code 1, never a stack trace: a database that cannot be opened, and a copied config whose
 * relative corpus path points nowhere.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'startup-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(script: 'server.ts' | 'cli.ts', config: unknown, args: string[] = [], env: Record<string, string> = {}) {
  const configFile = path.join(dir, `${Math.random().toString(36).slice(2)}.config.json`);
  writeFileSync(configFile, JSON.stringify(config));
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(repoRoot, 'src', script), ...args],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, ...env } },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
    );
  });
}

/** The config file an "Invalid configuration in <file>: ..." line names. */
function configFileOf(stderr: string): string {
  return /Invalid configuration in (\S+\.json):/.exec(stderr)?.[1] ?? '(no config file named)';
}

describe('start-up errors', () => {
  it('a PORT that is not a decimal 1-65535 (0, hex, a sign, a space, too large): one line naming PORT, exit 1', async () => {
    for (const port of ['0', '0x5A1F', '+8080', '8080 ', '65536']) {
      const { code, stderr } = await start('server.ts', { database: { path: path.join(dir, 'port.db') }, demoDir: null, feeds: [] }, [], { PORT: port });
      expect(code, stderr).toBe(1);
      expect(stderr.trim().split('\n'), stderr).toEqual([
        `Invalid configuration in ${configFileOf(stderr)}: PORT="${port}" is not a TCP port: use a decimal number 1-65535`,
      ]);
    }
  }, 90_000);

  it('a database that cannot be opened: one line with its path and the fix, exit 1', async () => {
    const notAFolder = path.join(dir, 'plain-file');
    writeFileSync(notAFolder, 'not a folder');
    const dbPath = path.join(notAFolder, 'feeds.db');
    for (const script of ['server.ts', 'cli.ts'] as const) {
      const { code, stderr } = await start(script, { database: { path: dbPath }, demoDir: null, feeds: [] }, script === 'cli.ts' ? ['health'] : []);
      expect(code, stderr).toBe(1);
      const lines = stderr.trim().split('\n').filter((line) => !/^\d{4}-\d\d-\d\dT.* (INFO|DEBUG) /.test(line));
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toContain(dbPath);
      expect(lines[0]).toMatch(/database\.path \/ DATABASE_PATH/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  }, 90_000);

  it('a copied config with a relative corpus path that points nowhere names the folder', async () => {
    const { code, stderr } = await start('server.ts', {
      database: { path: path.join(dir, 'ok.db') },
      classifier: { modelPath: 'copied/model.json', corpusDir: 'copied/corpus' },
      demoDir: null,
      feeds: [],
    });
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(path.join(dir, 'copied', 'corpus'));
    expect(stderr).toMatch(/classifier\.corpusDir/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
