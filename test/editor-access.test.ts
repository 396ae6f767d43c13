/**
 * Editor access hardening over real HTTP on a real database: wrong-token throttling per client
 * address (429 + Retry-After, growing blocks, logged in aggregate), sign-out that ends the session
 * on the server, the Secure cookie behind a TLS proxy (server.trustProxy), and blank tokens refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/load-config';
import { createApp } from '../src/http/app';
import { createReviewRouters } from '../src/http/review';
import { EditorAuth } from '../src/http/review/editor-auth';
import { createHttpApp } from '../src/http-composition';
import { createLogger } from '../src/logger';
import { EditorSessionsRepository } from '../src/store/editor-sessions-repository';
import { listenOnLoopback, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';

const EDITOR_TOKEN = 'access-test-token-0f9e8d7c6b5a4';
const WRONG_TOKEN = 'not-the-token-but-long-enough';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function services(raw: Record<string, unknown> = {}): TestServices {
  const created = createTestServices({ server: TEST_SITE_SERVER, review: { editorToken: EDITOR_TOKEN }, ...raw });
  cleanups.push(() => created.dispose());
  return created;
}

async function serve(handler: Parameters<typeof listenOnLoopback>[0]): Promise<RunningApp> {
  const app = await listenOnLoopback(handler);
  cleanups.push(() => app.close());
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function loginForm(origin: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${origin}/review/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ editor: 'Iris', token, next: '/review' }).toString(),
  });
}

const apiGet = (origin: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/api/stories`, { headers: { authorization: `Bearer ${token}`, ...headers } });

describe('wrong-token throttling', () => {
  /** The production review routers with a short first block and a fast log summary, logging into `lines`. */
  async function throttledSite(lines: string[], firstBlockSeconds = 1): Promise<RunningApp> {
    const svc = services();
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    return serve(
      createApp({
        reader: svc.stories,
        feedHealth: () => [],
        site: { baseUrl: 'http://news.example', title: 'Test Wire', description: 'test' },
        trustProxy: true,
        extraRouters: createReviewRouters({
          stories: svc.stories,
          editorToken: EDITOR_TOKEN,
          sessions: new EditorSessionsRepository(svc.db),
          logger,
          throttle: { maxFailures: 3, firstBlockSeconds, maxBlockSeconds: 120, summaryIntervalMs: 1_000 },
        }),
      }),
    );
  }

  it('answers 429 with Retry-After after a few wrong tokens, even to the right token, and the block grows', async () => {
    const lines: string[] = [];
    const { origin } = await throttledSite(lines);
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 3; i += 1) expect((await apiGet(origin, WRONG_TOKEN, from)).status).toBe(401);
    const blocked = await apiGet(origin, EDITOR_TOKEN, from);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(((await blocked.json()) as { error: string }).error).toBe('too_many_attempts');
    // The sign-in form shares the count: the same address is refused there too.
    const form = await loginForm(origin, EDITOR_TOKEN, from);
    expect(form.status).toBe(429);
    expect(await form.text()).toMatch(/Too many wrong tokens/);
    // Another address is not affected.
    expect((await apiGet(origin, EDITOR_TOKEN, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(200);

    await sleep(1_100);
    expect((await apiGet(origin, EDITOR_TOKEN, from)).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await apiGet(origin, WRONG_TOKEN, from)).status).toBe(401);
    const again = await apiGet(origin, WRONG_TOKEN, from);
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('2');
  }, 20_000);

  it('logs failed attempts in aggregate, not one line per guess', async () => {
    const lines: string[] = [];
    const { origin } = await throttledSite(lines, 60);
    const from = { 'x-forwarded-for': '192.0.2.99' };
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) statuses.push((await loginForm(origin, `${WRONG_TOKEN}-${i}`, from)).status);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(57);
    await sleep(1_200);
    const authLines = lines.filter((line) => /token|sign-in|authentication/i.test(line));
    const summaries = authLines.filter((line) => line.includes('editor authentication failures'));
    const counted = (field: string) =>
      summaries.reduce((total, line) => total + Number(new RegExp(`${field}=(\\d+)`).exec(line)?.[1] ?? 0), 0);
    // Every attempt is accounted for, in a handful of lines (one per summary period, plus the block).
    expect(counted('failed_attempts')).toBe(3);
    expect(counted('refused_while_blocked')).toBe(57);
    expect(summaries.every((line) => line.includes('192.0.2.99'))).toBe(true);
    expect(authLines.length, authLines.join('\n')).toBeLessThanOrEqual(6);
    expect(authLines.filter((line) => line.includes('editor token guessing throttled'))).toHaveLength(1);
  }, 20_000);
});

describe('every route that checks the editor token shares the throttle', () => {
  it('wrong tokens on the subscriber export count with the review API, and the export answers 429 too', async () => {
    const svc = services({ review: { editorToken: EDITOR_TOKEN, throttle: { maxFailures: 2, firstBlockSeconds: 30 } } });
    const { origin } = await serve(createHttpApp(svc));
    const csv = (token: string) => fetch(`${origin}/api/newsletter/subscribers.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await csv(WRONG_TOKEN)).status).toBe(401);
    expect((await apiGet(origin, WRONG_TOKEN)).status).toBe(401);
    const blockedApi = await apiGet(origin, EDITOR_TOKEN);
    expect(blockedApi.status).toBe(429);
    const blockedCsv = await csv(EDITOR_TOKEN);
    expect(blockedCsv.status).toBe(429);
    expect(Number(blockedCsv.headers.get('retry-after'))).toBeGreaterThan(25);
  });
});

describe('sessions', () => {
  it('sign-out ends the session on the server: the old cookie and its CSRF token no longer work', async () => {
    const svc = services();
    const { origin } = await serve(createHttpApp(svc));
    const signedIn = await loginForm(origin, EDITOR_TOKEN);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie()[0].split(';')[0];
    const page = await (await fetch(`${origin}/review?status=all`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];

    const signOut = await fetch(`${origin}/review/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(signOut.status).toBe(303);

    // The attacker kept the old cookie and CSRF token.
    expect((await fetch(`${origin}/review?status=all`, { headers: { cookie } })).status).toBe(401);
    const replay = await fetch(`${origin}/review/stories/1/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(replay.status).toBe(401);
  });

  it('a session survives a server restart on the same database, until signed out', async () => {
    const svc = services();
    const first = await listenOnLoopback(createHttpApp(svc));
    const cookie = (await loginForm(first.origin, EDITOR_TOKEN)).headers.getSetCookie()[0].split(';')[0];
    await first.close();
    const { origin } = await serve(createHttpApp(svc));
    expect((await fetch(`${origin}/review?status=all`, { headers: { cookie } })).status).toBe(200);
  });

  it('the cookie is Secure behind a TLS proxy only when server.trustProxy allows the proxy', async () => {
    const forwardedHttps = { 'x-forwarded-proto': 'https' };
    const plain = await serve(createHttpApp(services()));
    const untrusted = (await loginForm(plain.origin, EDITOR_TOKEN, forwardedHttps)).headers.getSetCookie()[0];
    expect(untrusted).not.toMatch(/;\s*Secure/i);

    const svc = services({ server: { ...TEST_SITE_SERVER, trustProxy: 'loopback' } });
    const proxied = await serve(createHttpApp(svc));
    const trusted = (await loginForm(proxied.origin, EDITOR_TOKEN, forwardedHttps)).headers.getSetCookie()[0];
    expect(trusted).toMatch(/;\s*Secure/i);
    const direct = (await loginForm(proxied.origin, EDITOR_TOKEN)).headers.getSetCookie()[0];
    expect(direct).not.toMatch(/;\s*Secure/i);
  });
});

describe('editor token', () => {
  it('refuses a blank or whitespace token in config, EDITOR_TOKEN and a hand-built router', () => {
    for (const token of [' '.repeat(16), '\t'.repeat(20), 'correct horse battery staple']) {
      expect(() => createTestServices({ review: { editorToken: token } })).toThrow(ConfigError);
      expect(() => createTestServices({}, { EDITOR_TOKEN: token })).toThrow(/review\.editorToken: must not be blank/);
      expect(() => new EditorAuth(token)).toThrow(/blank or contain whitespace/);
    }
  });
});
