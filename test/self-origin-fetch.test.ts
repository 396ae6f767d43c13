/**
 * The SSRF guard's one exception, this service's own origin, covers only the configured demo feeds
 * (service-relative "/demo/..." URLs) and only those URLs: never another feed, and never a redirect
 * from an allowed feed to the service's port. Checked with the real server and the real CLI, each
 * against real local HTTP servers.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../src/http/health-route';
import { freePort } from './support/free-port';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const childEnv = (configFile: string, extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  FEEDS_CONFIG: configFile,
  LOG_LEVEL: 'info',
  ...extra,
});

/** Runs the CLI without blocking this process, whose fixture servers must keep answering. */
function cli(args: string[], configFile: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [path.join(repoRoot, 'src', 'cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: childEnv(configFile, { LOG_LEVEL: 'warn' }) }, (error, stdout, stderr) =>
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

/** An internal service on the port the config names, the kind of thing a redirect must not reach. */
const INTERNAL_FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Staff wiki</title>
  <link>http://intranet.local/</link><description>internal</description>
  <item><title>Quarterly payroll export for the finance team</title><link>http://intranet.local/payroll</link>
  <guid>payroll-q4</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate><description>Salaries by employee.</description></item>
</channel></rss>`;

describe('the service origin is trusted only for the configured demo feeds', () => {
  let dir: string;
  let outlet: FixtureServer;
  /** Where the outlet's two "moved" feeds redirect: set per test to the service's port. */
  let servicePort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'self-origin-'));
    const redirectTo = (target: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(302, { location: `http://127.0.0.1:${servicePort}${target}` }).end();
    };
    outlet = await startFixtureServer({
      '/moved-to-demo.rss': redirectTo('/demo/framewire.rss'),
      '/moved-to-feed.rss': redirectTo('/feeds/all.rss'),
    });
  });

  afterAll(async () => {
    await outlet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The outlet is let through explicitly (fetch.allowedHosts names its host:port), as an operator would. */
  function writeConfig(name: string, port: number): string {
    const configFile = path.join(dir, `${name}.config.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { port, host: '127.0.0.1' },
        database: { path: path.join(dir, `${name}.db`) },
        classifier: { modelPath: path.join(dir, 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: path.join(repoRoot, 'data', 'demo'),
        schedule: { fetchOnStart: true },
        fetch: { allowedHosts: [new URL(outlet.origin).host], backoffBaseMinutes: 0 },
        feeds: [
          { id: 'demo-framewire', name: 'FrameWire (offline demo)', url: '/demo/framewire.rss' },
          { id: 'moved-to-demo', name: 'Outlet moved to the demo path', url: `${outlet.origin}/moved-to-demo.rss` },
          { id: 'moved-to-feed', name: 'Outlet moved to our own feed', url: `${outlet.origin}/moved-to-feed.rss` },
        ],
      }),
    );
    return configFile;
  }

  it('server: the demo feed is fetched by the scheduler; a feed redirecting to the service port fails, counted against that feed', async () => {
    servicePort = await freePort();
    const server: ChildProcess = spawn(tsx, [path.join(repoRoot, 'src', 'server.ts')], {
      cwd: repoRoot,
      env: childEnv(writeConfig('server', servicePort), { PORT: String(servicePort) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    server.stderr!.on('data', (chunk) => (log += String(chunk)));
    try {
      const origin = `http://127.0.0.1:${servicePort}`;
      const deadline = Date.now() + 60_000;
      let health: HealthReport | null = null;
      while (Date.now() < deadline) {
        if (server.exitCode !== null) throw new Error(`server exited ${server.exitCode}:\n${log}`);
        health = await fetch(`${origin}/health`)
          .then((res) => res.json() as Promise<HealthReport>)
          .catch(() => null);
        if (health && health.summary.pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health?.summary.pending, log).toBe(0);
      const byId = new Map(health!.feeds.map((feed) => [feed.id, feed]));
      expect(byId.get('demo-framewire')).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
      expect(byId.get('demo-framewire')!.itemCount).toBeGreaterThan(5);
      for (const [id, target] of [['moved-to-demo', '/demo/framewire.rss'], ['moved-to-feed', '/feeds/all.rss']]) {
        const feed = byId.get(id)!;
        expect(feed, id).toMatchObject({ status: 'failing', consecutiveFailures: 1, itemCount: 0 });
        expect(feed.lastError).toBe(`Refusing to fetch ${origin}${target}: 127.0.0.1 is a loopback address`);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }, 90_000);

  it('fetch-now: the demo feed is served by the CLI itself; a redirect to the configured port reaches nothing there', async () => {
    // Another program listens on the configured port while the service is stopped.
    const internal = await startFixtureServer({
      '/demo/framewire.rss': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(INTERNAL_FEED),
      '/feeds/all.rss': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(INTERNAL_FEED),
    });
    try {
      servicePort = Number(new URL(internal.origin).port);
      const configFile = writeConfig('cli', servicePort);
      const result = await cli(['fetch-now'], configFile);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^demo-framewire\s+\d+ new items/m);
      expect(Number(/^demo-framewire\s+(\d+) new items/m.exec(result.stdout)?.[1])).toBeGreaterThan(5);
      for (const [id, target] of [['moved-to-demo', '/demo/framewire.rss'], ['moved-to-feed', '/feeds/all.rss']]) {
        expect(result.stdout).toContain(`${id.padEnd(28)} FAILED: Refusing to fetch ${internal.origin}${target}: 127.0.0.1 is a loopback address`);
      }
      // Neither the demo fetch nor the redirects touched the program on the configured port.
      expect(internal.requests).toEqual([]);

      const health = await cli(['health'], configFile);
      expect(health.stdout).toMatch(/moved-to-demo.*Refusing to fetch/);
      expect(health.stdout).not.toContain('payroll');
    } finally {
      await internal.close();
    }
  }, 90_000);
});
