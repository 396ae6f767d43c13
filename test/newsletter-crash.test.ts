/**
 * "Nothing is sent twice, even if killed mid-send": the real CLI (`send-digest`) in a child process,
 * SIGKILLed while a mail is in flight, then run again. A real SMTP server on 127.0.0.1 holds the third
 * transaction at MAIL FROM, so the kill lands at a known point: two mails accepted, one started.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { createDigestBuilder } from '../src/digest/build-digest';
import { silentLogger } from '../src/logger';
import { createServices } from '../src/services';
import { SubscribersRepository } from '../src/store/subscribers-repository';
import { ingest } from './support/seed-stories';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import type { TestServices } from './support/test-services';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READERS = ['ana@example.com', 'bo@example.net', 'cy@example.org', 'dee@example.com', 'eli@example.net'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

describe('send-digest killed mid-send and restarted', () => {
  let dir: string;
  let configFile: string;
  let sink: SmtpSink;
  let digestId: number;

  /** `npm run cli -- send-digest` as one node process (no tsx wrapper process), so a kill hits the sender itself. */
  const startCli = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli.ts'), 'send-digest'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<Run>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stdout: `${stdout}${stderr}` })),
    );
    return { child, exited };
  };

  const sendLog = () => {
    const db = new Database(path.join(dir, 'news.db'), { readonly: true });
    try {
      return db.prepare('SELECT status, COUNT(*) AS n FROM newsletter_sends WHERE digest_id = ? GROUP BY status ORDER BY status').all(digestId);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    dir = mkdtempSync(path.join(tmpdir(), 'newsletter-crash-'));
    configFile = path.join(dir, 'feeds.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        server: { baseUrl: 'https://wire.example', siteTitle: 'Test Wire' },
        database: { path: 'news.db' },
        classifier: { modelPath: 'model.json', corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: null,
        newsletter: { smtpUrl: sink.url, retryBaseMs: 5 },
        feeds: [{ id: 'framewire', name: 'Framewire', url: 'https://framewire.example/feed.rss' }],
      }),
    );
    const services = createServices(loadConfig({}, configFile), silentLogger);
    try {
      services.feeds.upsertSources([{ id: 'framewire', name: 'Framewire', url: 'https://framewire.example/feed.rss', enabled: true }], 'config');
      ingest(services as TestServices, 'framewire', [
        { guid: 'a', title: 'Kling 3 renders two-minute scenes in 4K', summary: 'Kuaishou doubles clip length.', publishedAt: '2026-03-03T10:00:00.000Z', label: 'video' },
        { guid: 'b', title: 'Adobe Firefly Image 5 adds layered edits', summary: 'Generative fill now works per layer.', publishedAt: '2026-03-04T10:00:00.000Z', label: 'image' },
      ]);
      digestId = createDigestBuilder(services).buildDigest(new Date('2026-03-05T08:00:00Z'), new Date('2026-03-05T09:00:00Z')).digest.id;
      const subscribers = new SubscribersRepository(services.db);
      for (const email of READERS) {
        const { subscriber } = subscribers.signUp(email, new Date('2026-03-01T10:00:00Z'));
        subscribers.confirm(subscriber.id, new Date('2026-03-01T10:05:00Z'));
      }
    } finally {
      services.close();
    }
  });

  afterAll(async () => {
    await sink?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each subscriber ends up with exactly one mail', async () => {
    sink.stallAfter(2);
    const first = startCli();
    const deadline = Date.now() + 45_000;
    while (!sink.stalled) {
      if (Date.now() > deadline) throw new Error('the sender never reached the third mail');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(sink.messages).toHaveLength(2);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    // Two recorded as sent, the one in flight as started: exactly what was and was not accepted.
    expect(sendLog()).toEqual([
      { status: 'sending', n: 1 },
      { status: 'sent', n: 2 },
    ]);

    sink.release();
    const second = await startCli().exited;
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).toMatch(/sent now:\s+3/);
    expect(second.stdout).toMatch(/already sent:\s+2/);
    for (const email of READERS) expect(sink.to(email), email).toHaveLength(1);
    expect(sendLog()).toEqual([{ status: 'sent', n: 5 }]);

    const third = await startCli().exited;
    expect(third.code, third.stdout).toBe(0);
    expect(third.stdout).toMatch(/sent now:\s+0/);
    expect(sink.messages).toHaveLength(5);
  }, 120_000);
});
