/**
 * `npm start` runs the compiled, bundled JavaScript on plain node. This builds it the way `npm run build`
 * does (tsc, tsc-alias, then scripts/bundle.mjs, into a private folder, so a developer's own dist/ is
 * left alone), starts the bundled server on 127.0.0.1 with the offline demo feeds and checks that it
 * serves them, and that what it loads only when first used (the fetch pipeline after listen, nodemailer
 * with the first mail, prom-client's /metrics) works from the bundle too: a module specifier that only
 * resolves under tsx, or a file or chunk missing from the build, fails here rather than on a user's machine.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

function post(url: string, form: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end(form);
  });
}

describe('production runtime (compiled JavaScript on plain node)', () => {
  let work: string;
  let outDir: string;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    // Inside the repository so the compiled files resolve node_modules like dist/ does.
    mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
    work = mkdtempSync(path.join(repoRoot, '.tmp', 'build-test-'));
    outDir = path.join(work, 'dist');
    execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', outDir, '--resolve-full-paths'], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.mjs'), outDir], { cwd: repoRoot, stdio: 'pipe' });
  }, 120_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it('starts with node (no TypeScript loader) and publishes the demo feeds', async () => {
    cpSync(path.join(repoRoot, 'data', 'demo'), path.join(work, 'demo'), { recursive: true });
    const configFile = path.join(work, 'feeds.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: path.join(work, 'feeds.db') },
        classifier: { modelPath: path.join(work, 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: path.join(work, 'demo'),
        newsletter: { outboxDir: path.join(work, 'outbox') },
        feeds: [{ id: 'demo-framewire', name: 'FrameWire (offline demo)', url: '/demo/framewire.rss' }],
      }),
    );
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile };
    server = spawn(process.execPath, [path.join(outDir, 'bundle', 'server.js')], {
      cwd: repoRoot,
      env: { ...env, PORT: String(await freePort()) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    server.stderr!.setEncoding('utf8');
    server.stderr!.on('data', (chunk: string) => (log += chunk));
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /listening url=(http:\/\/\S+)/.exec(log);
        if (match) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      server!.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`compiled server exited with ${code}:\n${log}`));
      });
    });

    const index = await get(`${origin}/`);
    expect(index.status).toBe(200);
    expect(index.body).toContain('/feeds/all.rss');

    // The start-up fetch of the demo feed goes through the compiled fetch/parse/classify/store code.
    const deadline = Date.now() + 30_000;
    let feed = await get(`${origin}/feeds/all.rss`);
    while (!feed.body.includes('<item>') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      feed = await get(`${origin}/feeds/all.rss`);
    }
    expect(feed.status).toBe(200);
    expect(feed.body).toContain('<item>');

    // A sign-up sends the confirmation mail: nodemailer is loaded for it, and writes the .eml outbox.
    const signup = await post(`${origin}/newsletter/subscribe`, 'email=reader%40example.org');
    expect(signup.status).toBe(202);
    const outbox = path.join(work, 'outbox');
    const mailDeadline = Date.now() + 15_000;
    const mails = () => (existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : []);
    while (mails().length === 0 && Date.now() < mailDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mails()).toHaveLength(1);
    expect(readFileSync(path.join(outbox, mails()[0]), 'utf8')).toMatch(/^To: reader@example\.org/m);

    const metrics = await get(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_requests_total');

    // The CLI bundle, next to the running server, reads the same store.
    const health = execFileSync(process.execPath, [path.join(outDir, 'bundle', 'cli.js'), 'health'], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(health).toMatch(/demo-framewire\s+\d+ items\s+ok /);
    expect(log).not.toMatch(/ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED_DIR_IMPORT/);
  }, 60_000);

  it('`npm start` stops when npm is told to stop (a process manager signals npm, not its children)', async () => {
    // `npm start` is the README's command and runs the project's own build (made by `npm ci`).
    expect(existsSync(path.join(repoRoot, 'dist', 'bundle', 'server.js')), 'dist/ is built by npm ci (prepare)').toBe(true);
    const configFile = path.join(work, 'npm-start.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: path.join(work, 'npm-start.db') },
        classifier: { modelPath: path.join(work, 'npm-start-model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: path.join(repoRoot, 'data', 'demo'),
        feeds: [{ id: 'demo-framewire', name: 'FrameWire (offline demo)', url: '/demo/framewire.rss' }],
      }),
    );
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    npm.stderr!.setEncoding('utf8');
    npm.stderr!.on('data', (chunk: string) => (log += chunk));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (!/listening url=/.test(log) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toMatch(/listening url=/);
    expect((await get(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    npm.kill('SIGTERM');
    await exited;
    // The service went with it: nothing answers on its port (before, the shell npm ran it under
    // died and left the service running, holding the port).
    const stopDeadline = Date.now() + 10_000;
    let answering = true;
    while (answering && Date.now() < stopDeadline) {
      answering = await get(`http://127.0.0.1:${port}/health`).then(
        () => true,
        () => false,
      );
      if (answering) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answering).toBe(false);
    expect(log).toMatch(/shutting down signal=SIGTERM/);
  }, 60_000);
});
