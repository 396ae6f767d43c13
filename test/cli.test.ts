import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

describe('the CLI (npm run cli -- <command>)', () => {
  let dir: string;
  let configFile: string;

  /** Runs `src/cli.ts` as a user would, with only the environment it needs. */
  const cli = (args: string[], input?: string) =>
    spawnSync(tsx, [path.join(repoRoot, 'src', 'cli.ts'), ...args], {
      cwd: repoRoot,
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FEEDS_CONFIG: configFile, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
    configFile = path.join(dir, 'feeds.config.json');
    // The shipped offline demo source only: fetch-now serves it itself on a free local port.
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { path: path.join(dir, 'cli.db') },
        classifier: { modelPath: path.join(dir, 'model.json'), corpusDir: path.join(repoRoot, 'data', 'corpus') },
        demoDir: path.join(repoRoot, 'data', 'demo'),
        feeds: [
          { id: 'demo-framewire', name: 'FrameWire', url: '/demo/framewire.rss' },
          { id: 'demo-pixelpost', name: 'PixelPost', url: '/demo/pixelpost.atom' },
          { id: 'demo-modelbeat', name: 'ModelBeat', url: '/demo/modelbeat.rdf' },
        ],
      }),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('classify reads JSON lines on stdin and writes one JSON line per input, only JSON on stdout', () => {
    const input = [
      { title: 'Runway Gen-5 renders minute-long cinematic clips with camera control', summary: 'The text-to-video model keeps characters consistent across shots.' },
      { title: 'Midjourney V8 finally renders legible typography on posters', summary: 'The image generator produces crisp lettering in logos and stickers.' },
      { title: 'Nvidia reports record data center revenue on AI chip demand', summary: 'GPU sales to cloud providers for LLM training keep rising.' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const result = cli(['classify'], `${input}\n`);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { label: string; confidence: number; terms: string[] });
    expect(lines.map((line) => line.label)).toEqual(['video', 'image', 'neither']);
    for (const line of lines) {
      expect(line.confidence).toBeGreaterThan(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
      expect(line.terms.length).toBeGreaterThan(0);
    }
  });

  it('classify answers a bad line with an error line and a non-zero exit, keeping the other lines', () => {
    const result = cli(['classify'], '{"title":"Sora 3 arrives on Android","summary":"video app"}\nnot json\n');
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0].label).toBe('video');
    expect(lines[1].error).toEqual(expect.any(String));
  });

  it('fetch-now ingests the offline demo source with no server running, and a second run adds nothing', () => {
    const first = cli(['fetch-now']);
    expect(first.status, first.stderr).toBe(0);
    const stored = /stored: (\d+) items, (\d+) stories, (\d+) published/.exec(first.stdout);
    expect(stored, first.stdout).not.toBeNull();
    const [items, stories, published] = stored!.slice(1).map(Number);
    expect(items).toBeGreaterThan(30);
    expect(stories).toBeLessThan(items); // cross-outlet duplicates were merged
    expect(published).toBeGreaterThan(10);

    const second = cli(['fetch-now', '--force']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^0 new items/m);
    expect(second.stdout).toContain(`stored: ${items} items, ${stories} stories`);
  });

  it('import-opml adds feeds (nested folders too), skips known ones and reports bad entries; export-opml lists them', () => {
    const opml = path.join(dir, 'subscriptions.opml');
    writeFileSync(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
        <outline text="Video"><outline text="Reel News" type="rss" xmlUrl="https://reelnews.example/feed.xml"/></outline>
        <outline text="Pixel Daily" type="rss" xmlUrl="https://pixeldaily.example/rss"/>
        <outline text="Broken" type="rss" xmlUrl="ftp://old.example/feed"/>
      </body></opml>`,
    );
    const first = cli(['import-opml', opml]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 feeds added, 0 already present, 1 rejected/);
    const again = cli(['import-opml', opml]);
    expect(again.stdout).toMatch(/0 feeds added, 2 already present/);
    const exported = cli(['export-opml']);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('xmlUrl="https://reelnews.example/feed.xml"');
    expect(exported.stdout).toContain('xmlUrl="https://pixeldaily.example/rss"');
  });

  it('an unknown command prints usage and exits 2; a broken config names the problem', () => {
    const unknown = cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run cli');
    const badConfig = path.join(dir, 'bad.json');
    writeFileSync(badConfig, JSON.stringify({ curation: { autoPublishThreshold: 7 } }));
    const broken = spawnSync(tsx, [path.join(repoRoot, 'src', 'cli.ts'), 'health'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', FEEDS_CONFIG: badConfig },
    });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/curation\.autoPublishThreshold/);
  });
});
