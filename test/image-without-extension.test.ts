/**
 * A lead image whose URL has no file extension (image CDNs: resizing endpoints, query strings) is
 * still published in the served RSS and Atom feeds, as Media RSS <media:content medium="image">,
 * which feed readers (Miniflux, for one) take as an image without a MIME type.
 */
import sax from 'sax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const MEDIA_NS = 'http://search.yahoo.com/mrss/';
const at = (day: number) => `2026-05-0${day}T08:00:00.000Z`;

/** Every element of a document with its namespace, read by a namespace-aware strict parser (unbound prefixes throw). */
function elementsWithNamespaces(xml: string): Array<{ name: string; uri: string; attributes: Record<string, string> }> {
  const parser = sax.parser(true, { xmlns: true });
  const found: Array<{ name: string; uri: string; attributes: Record<string, string> }> = [];
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    // With xmlns: true, sax gives each tag its namespace URI and each attribute as { value, uri, ... }.
    const node = tag as unknown as { name: string; uri: string; attributes: Record<string, { value: string }> };
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(node.attributes)) attributes[name] = attribute.value;
    found.push({ name: node.name, uri: node.uri, attributes });
  };
  parser.write(xml).close();
  return found;
}

describe('lead images without a file extension in the served feeds', () => {
  let services: TestServices;
  let app: RunningApp;

  beforeAll(async () => {
    services = createTestServices({ server: TEST_SITE_SERVER, feeds: [{ id: 'lensline', name: 'Lensline', url: 'https://lensline.example/feed' }] });
    ingest(services, 'lensline', [
      {
        guid: 'kling-3-motion-brush',
        title: 'Kling 3 brings back the motion brush, now for ten-second shots',
        publishedAt: at(3),
        label: 'video',
        imageUrl: 'https://img.lensline-cdn.example/resize?id=88213&w=1200&fit=crop',
      },
      {
        guid: 'ideogram-4-typography',
        title: 'Ideogram 4 sets headline type that survives a print proof',
        publishedAt: at(2),
        label: 'image',
        imageUrl: 'https://lensline.example/uploads/2026/05/ideogram-4-poster.png',
      },
      { guid: 'pika-lipsync', title: 'Pika adds lip sync to its mobile app', publishedAt: at(1), label: 'video' },
    ]);
    app = await startApp(services);
  });

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  async function served(format: 'rss' | 'atom'): Promise<string> {
    const response = await fetch(`${app.origin}/feeds/all.${format}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  for (const format of ['rss', 'atom'] as const) {
    it(`${format}: publishes the extensionless image as media:content medium="image", the typed one as before, and a reader gets both back`, async () => {
      const xml = await served(format);
      const elements = elementsWithNamespaces(xml);
      const media = elements.filter((element) => element.uri === MEDIA_NS);
      expect(media).toEqual([
        {
          name: 'media:content',
          uri: MEDIA_NS,
          attributes: { url: 'https://img.lensline-cdn.example/resize?id=88213&w=1200&fit=crop', medium: 'image' },
        },
      ]);
      // The typed image keeps its enclosure, with the registered type; nothing is published with a made-up type.
      const enclosures = elements.filter((element) => element.name === 'enclosure' || element.attributes.rel === 'enclosure');
      expect(enclosures.map((element) => element.attributes.type)).toEqual(['image/png']);

      const reader: FeedSource = { id: 'reader', name: 'Reader', url: `${app.origin}/feeds/all.${format}`, enabled: true };
      const parsed = await parseFeedDocument(xml, reader, new Date('2026-05-10T00:00:00Z'), reader.url);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.items.map((item) => [item.title, item.imageUrl])).toEqual([
        ['Kling 3 brings back the motion brush, now for ten-second shots', 'https://img.lensline-cdn.example/resize?id=88213&w=1200&fit=crop'],
        ['Ideogram 4 sets headline type that survives a print proof', 'https://lensline.example/uploads/2026/05/ideogram-4-poster.png'],
        ['Pika adds lip sync to its mobile app', null],
      ]);
    });
  }
});
