/**
 * A digest issue can be rebuilt (`digest --rebuild`) or removed, so its page must not sit in browser
 * and proxy caches for a day: caches keep it minutes at most, and revalidate with an ETag that
 * changes when the content does (304 while it is the same, the new issue once rebuilt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestCommand } from '../src/cli/digest-command';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const silent = { write: () => true } as unknown as NodeJS.WritableStream;

/** The longest any cache (private or shared) may reuse the response without asking, in seconds. */
function freshForSeconds(cacheControl: string | null): number {
  const directives = new Map(
    (cacheControl ?? '').split(',').map((part) => {
      const [name, value] = part.trim().toLowerCase().split('=');
      return [name, value === undefined ? '' : value] as const;
    }),
  );
  if (directives.has('no-cache') || directives.has('no-store')) return 0;
  return Math.max(Number(directives.get('max-age') ?? 0), Number(directives.get('s-maxage') ?? 0));
}

describe('digest pages and caches', () => {
  let services: TestServices;
  let app: RunningApp;

  beforeAll(async () => {
    services = createTestServices({
      server: TEST_SITE_SERVER,
      feeds: [{ id: 'reelreport', name: 'ReelReport', url: 'https://reelreport.example/feed.rss' }],
      schedule: { digestCron: '0 8 * * *' },
    });
    ingest(services, 'reelreport', [
      { guid: 'veo', title: 'Veo 4 preview adds synchronized dialogue to generated scenes', publishedAt: daysAgo(1.2), label: 'video' },
      { guid: 'flux', title: 'Flux Kontext Pro edits product shots from a single prompt', publishedAt: daysAgo(1.1), label: 'image' },
      { guid: 'pika', title: 'Pika halves the price of its studio plan after a quiet quarter', publishedAt: daysAgo(0.9), label: 'video' },
    ]);
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  it('is kept by caches for minutes, not a day, and a rebuilt issue replaces the old one on revalidation', async () => {
    const { digest } = digestCommand(services, silent, { now: NOW });
    const page = `${app.origin}/digests/${digest.periodDate}`;

    const first = await fetch(page);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    expect(firstBody).toContain('Pika halves the price of its studio plan');
    expect(freshForSeconds(first.headers.get('cache-control'))).toBeGreaterThan(0);
    expect(freshForSeconds(first.headers.get('cache-control'))).toBeLessThanOrEqual(300);
    const firstEtag = first.headers.get('etag');
    expect(firstEtag).toMatch(/^"[^"]+"$/); // strong

    // Unchanged: a cache's revalidation costs a 304 and no body.
    const same = await fetch(page, { headers: { 'if-none-match': firstEtag! } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');

    // The desk drops a story and rebuilds the issue.
    const pika = services.stories.listForReview({ limit: 10, offset: 0 }).find((story) => story.title.startsWith('Pika'))!;
    services.stories.applyDecision(pika.id, { kind: 'reject' }, 'Desk');
    const rebuilt = digestCommand(services, silent, { now: NOW, rebuild: true });
    expect(rebuilt.digest.periodDate).toBe(digest.periodDate);

    const revalidated = await fetch(page, { headers: { 'if-none-match': firstEtag! } });
    expect(revalidated.status).toBe(200);
    const newEtag = revalidated.headers.get('etag');
    expect(newEtag).not.toBe(firstEtag);
    const newBody = await revalidated.text();
    expect(newBody).not.toContain('Pika halves the price');
    expect(newBody).toContain('Veo 4 preview adds synchronized dialogue');
    expect((await fetch(page, { headers: { 'if-none-match': newEtag! } })).status).toBe(304);
  }, 60_000);
});
