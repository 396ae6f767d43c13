/**
 * Start-up figures of the production runtime: time from `npm start` to the first HTTP response, and
 * the resident memory of the whole process tree `npm start` creates (npm, the shell, node) once the
 * offline demo fetch has finished and the service is idle.
 *
 * Runs the real `npm start` in a temp folder's config (the offline demo feeds, its own database
 * and a model trained beforehand, so the figure is a normal restart, not the one-off first training),
 * interleaved with the service's node process alone (bundled, as `npm start` runs it) and the unbundled
 * tsc output that `npm start` ran before (`node dist/server.js`), and prints the medians side by side.
 * Besides the resident set (RSS, what the target counts), each process's proportional set (PSS) is
 * printed: npm and node map the same node binary, and RSS counts those shared pages once per process.
 * STARTUP_COMMAND measures a single other command (e.g. "npx tsx src/server.ts").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/free-port';

export interface StartupFigures {
  command: string;
  /** Spawn of `npm start` until the first response to GET /health arrived. */
  firstResponseSeconds: number;
  /** Sum of VmRSS over the process tree after the demo fetch, idle. */
  idleTreeRssBytes: number;
  /** Sum of the proportional set size (shared pages divided among the processes mapping them). */
  idleTreePssBytes: number;
  /** The same, per process: "npm 52 MB", ... */
  perProcess: ProcessMemory[];
}

interface ProcessMemory {
  name: string;
  rssBytes: number;
  /** RSS backed by files (the node binary, shared libraries): mostly the same pages in every node process. */
  rssFileBytes: number;
  pssBytes: number;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const IDLE_SETTLE_MS = 3_000;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Linux only: every descendant of `rootPid` (inclusive) with its name and VmRSS. */
function processTree(rootPid: number): ({ pid: number } & ProcessMemory)[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name; ppid is the second one.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(after[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree.flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
      const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+([0-9]+) kB$`, 'm').exec(text)?.[1] ?? 0) * 1024;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      return [{ pid, name, rssBytes: kb(status, 'VmRSS'), rssFileBytes: kb(status, 'RssFile'), pssBytes: kb(rollup, 'Pss') }];
    } catch {
      return [];
    }
  });
}

function startService(command: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group, so the whole tree (npm, sh, node) can be signalled at the end.
  const [file, ...args] = command.split(" ");
  return spawn(file, args, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening url=(http:\/\/[^\s]+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${seen.slice(-2000)}`)));
  });
}

async function waitForDemoFetch(origin: string, feedCount: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const health = JSON.parse((await get(`${origin}/health`)).body) as { summary: { ok: number } };
    if (health.summary.ok >= feedCount) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the demo feeds were not fetched within 60 s');
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

export async function runStartupBench(command = process.env.STARTUP_COMMAND ?? 'npm start'): Promise<StartupFigures> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'genai-feeds-startup-'));
  try {
    const shipped = JSON.parse(readFileSync(path.join(repoRoot, 'feeds.config.json'), 'utf8')) as {
      feeds: { url: string }[];
      schedule: Record<string, unknown>;
    };
    const demoFeeds = shipped.feeds.filter((feed) => feed.url.startsWith('/demo/'));
    cpSync(path.join(repoRoot, 'data', 'demo'), path.join(workDir, 'demo'), { recursive: true });
    const config = {
      ...shipped,
      database: { path: path.join(workDir, 'feeds.db') },
      classifier: { modelPath: path.join(workDir, 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
      demoDir: path.join(workDir, 'demo'),
      feeds: demoFeeds,
    };
    const configFile = path.join(workDir, 'feeds.config.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const env = { ...process.env, FEEDS_CONFIG: configFile, PORT: String(await freePort()), LOG_LEVEL: 'info' };

    // First start trains and saves the model and fills the store; the measured start is a restart.
    const first = startService(command, env);
    const firstOrigin = await waitForListening(first);
    await waitForDemoFetch(firstOrigin, demoFeeds.length);
    await stop(first);

    const started = performance.now();
    const child = startService(command, env);
    try {
      const origin = await waitForListening(child);
      await get(`${origin}/health`);
      const firstResponseSeconds = (performance.now() - started) / 1000;
      await waitForDemoFetch(origin, demoFeeds.length);
      await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
      const tree = processTree(child.pid!);
      return {
        command,
        firstResponseSeconds,
        idleTreeRssBytes: tree.reduce((sum, proc) => sum + proc.rssBytes, 0),
        idleTreePssBytes: tree.reduce((sum, proc) => sum + proc.pssBytes, 0),
        perProcess: tree.map(({ pid: _pid, ...memory }) => memory),
      };
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The service's node process alone, as `npm start` runs it (no npm, no shell). */
export const NODE_ONLY_COMMAND = 'node --max-old-space-size=512 dist/bundle/server.js';
/** What `npm start` ran before the bundle, without npm: tsc's output, one file per module. */
export const UNBUNDLED_COMMAND = 'node --max-old-space-size=512 dist/server.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Each command in turn, `rounds` times (the machine is shared: medians of interleaved runs). */
export async function compareStartup(commands: string[], rounds = 3): Promise<StartupFigures[]> {
  const runs = commands.map(() => [] as StartupFigures[]);
  for (let i = 0; i < rounds; i++) {
    for (const [index, command] of commands.entries()) runs[index].push(await runStartupBench(command));
  }
  return runs.map((list) => {
    const time = median(list.map((f) => f.firstResponseSeconds));
    const rss = median(list.map((f) => f.idleTreeRssBytes));
    const representative = list.find((f) => f.idleTreeRssBytes === rss) ?? list[0];
    return { ...representative, firstResponseSeconds: time };
  });
}

export type StartupSection =
  | { ran: true; rounds: number; npmStart: StartupFigures; nodeOnly: StartupFigures; unbundled: StartupFigures; loadAverage: [number, number] }
  | { ran: false; reason: string };

/** Section 7 of `npm run bench`: the three commands interleaved; skipped when dist/ is not built. */
export async function runStartupSection(rounds: number): Promise<StartupSection> {
  if (!existsSync(path.join(repoRoot, 'dist', 'bundle', 'server.js')) || !existsSync(path.join(repoRoot, 'dist', 'server.js'))) {
    return { ran: false, reason: 'dist/ not built (npm run build)' };
  }
  const { loadavg } = await import('node:os');
  const loadBefore = loadavg()[0];
  const [npmStart, nodeOnly, unbundled] = await compareStartup(['npm start', NODE_ONLY_COMMAND, UNBUNDLED_COMMAND], rounds);
  return { ran: true, rounds, npmStart, nodeOnly, unbundled, loadAverage: [loadBefore, loadavg()[0]] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadavg } = await import('node:os');
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)}`;
  const line = (f: StartupFigures, what: string) =>
    `${what.padEnd(44)} ${f.firstResponseSeconds.toFixed(2)} s    RSS ${mb(f.idleTreeRssBytes)} MiB (PSS ${mb(f.idleTreePssBytes)})   ` +
    f.perProcess.map((p) => `${p.name} ${mb(p.rssBytes)} [file-backed ${mb(p.rssFileBytes)}, PSS ${mb(p.pssBytes)}]`).join(', ') +
    '\n';
  if (process.env.STARTUP_COMMAND) {
    process.stdout.write(line(await runStartupBench(), process.env.STARTUP_COMMAND));
  } else {
    const loadBefore = loadavg()[0];
    const [npmStart, nodeOnly, unbundled] = await compareStartup(['npm start', NODE_ONLY_COMMAND, UNBUNDLED_COMMAND]);
    process.stdout.write(
      `Start-up: median of 3 interleaved runs each; load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n` +
        `${'command'.padEnd(44)} first response    idle memory after the demo fetch (MiB)\n`,
    );
    process.stdout.write(line(npmStart, '`npm start` (target: <= 0.6 s, <= 120 MiB)'));
    process.stdout.write(line(nodeOnly, 'its node process alone (bundle)'));
    process.stdout.write(line(unbundled, 'before: node dist/server.js (unbundled)'));
    process.stdout.write(
      `node process, bundle vs unbundled: ${((nodeOnly.firstResponseSeconds / unbundled.firstResponseSeconds) * 100).toFixed(0)}% of the start-up time, ` +
        `${((nodeOnly.idleTreeRssBytes / unbundled.idleTreeRssBytes) * 100).toFixed(0)}% of the RSS\n`,
    );
  }
}
