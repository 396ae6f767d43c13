import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDigestBuilder } from '../../src/digest/build-digest';
import type { Digest } from '../../src/digest/digest-types';
import { createHttpApp } from '../../src/http-composition';
import { createNewsletter, type Newsletter, type NewsletterOptions } from '../../src/newsletter/newsletter';
import { ingest } from './seed-stories';
import { createTestServices, type TestServices } from './test-services';

/** Monday and Thursday 08:00 UTC ticks (the default digest cron). */
export const THURSDAY = new Date('2026-03-05T08:00:00Z');
export const NEXT_MONDAY = new Date('2026-03-09T08:00:00Z');
/** The lead image of the Runway story (the other video story has none). */
export const GEN5_IMAGE = 'https://cdn.example/runway/gen5-still.jpg';

export interface NewsletterSite {
  origin: string;
  services: TestServices;
  newsletter: Newsletter;
  /** Builds (and stores) the digest issue for the period ending at `periodEnd`. */
  buildIssue(periodEnd: Date): Digest;
  close(): Promise<void>;
}

/**
 * The production HTTP app and newsletter over a real SQLite store holding a few outlets' stories.
 * The public base URL is the app's own loopback origin, so links in mails work as they are.
 */
export async function startNewsletterSite(
  newsletterConfig: Record<string, unknown>,
  options: NewsletterOptions & { extraConfig?: Record<string, unknown> } = {},
): Promise<NewsletterSite> {
  let handler: RequestListener = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feed = (id: string, name: string) => ({ id, name, url: `http://127.0.0.1:9/${id}.rss` });
  const services = createTestServices({
    server: { baseUrl: origin, siteTitle: 'Test Wire', siteDescription: 'Generative media news' },
    feeds: [feed('framewire', 'Framewire'), feed('pixelpost', 'Pixel Post')],
    newsletter: { retryBaseMs: 5, ...newsletterConfig },
    ...options.extraConfig,
  });
  seedStories(services);
  const newsletter = createNewsletter(services, options);
  handler = createHttpApp(services, newsletter);
  const builder = createDigestBuilder(services);
  return {
    origin,
    services,
    newsletter,
    buildIssue: (periodEnd) => builder.buildDigest(periodEnd, new Date(periodEnd.getTime() + 60_000)).digest,
    async close() {
      await newsletter.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      services.dispose();
    },
  };
}

function seedStories(services: TestServices): void {
  const at = (text: string) => new Date(text).toISOString();
  ingest(services, 'framewire', [
    { guid: 'gen5', title: 'Runway Gen-5 adds camera control and minute-long shots', summary: 'The update lets directors block a scene with virtual dolly and crane moves.', imageUrl: GEN5_IMAGE, publishedAt: at('2026-03-03T10:00:00Z'), label: 'video' },
    { guid: 'pika', title: 'Pika ships lip sync for its 2.5 model', summary: 'Dialogue scenes now match mouth movement to uploaded audio.', publishedAt: at('2026-03-04T09:00:00Z'), label: 'video' },
    { guid: 'mj', title: '<script>alert("x")</script> Midjourney V8 & the "poster" test', summary: 'Type renders <b>cleanly</b> & <img src=x onerror=alert(1)> at last.', imageUrl: 'https://cdn.example/mj.png?x="><script>alert(2)</script>', publishedAt: at('2026-03-04T10:00:00Z'), label: 'image' },
    { guid: 'flux-next', title: 'Flux 2 Pro lands in Photoshop plug-ins', summary: 'Black Forest Labs partners with plug-in makers.', publishedAt: at('2026-03-06T10:00:00Z'), label: 'image' },
  ]);
  ingest(services, 'pixelpost', [
    { guid: 'ideo', title: 'Ideogram 3 brings brand style references', summary: 'Upload three images and it keeps the palette.', publishedAt: at('2026-03-03T15:00:00Z'), label: 'image' },
  ]);
}
