/**
 * Deep feed pages (`?page=` far down an archive) are read from an anchor near the page instead of
 * skipping every story before it (store/published-page-anchors.ts). What a reader sees must not change:
 * every page holds exactly the stories the feed's order puts there, across anchor boundaries, for one
 * label or all, and pages move as soon as a new story arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { ingest, type SeedItem } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const MAKERS = ['Runway', 'Pika', 'Luma', 'Kling', 'Hedra', 'Synthesia', 'Ideogram', 'Midjourney', 'Krea', 'Leonardo'];
const THINGS = ['storyboard mode', 'lip sync', 'camera controls', 'upscaler', 'style references', 'brand kits', 'avatar voices'];

interface Seeded {
  title: string;
  label: 'video' | 'image';
  publishedAt: string;
  order: number;
}

describe('deep feed pages', () => {
  let services: TestServices;
  let app: RunningApp;
  const seeded: Seeded[] = [];

  /** The feed's order as a reader expects it: newest first, the later stored first on equal dates. */
  const expected = (label: 'all' | 'video' | 'image') =>
    seeded
      .filter((story) => label === 'all' || story.label === label)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.order - a.order)
      .map((story) => story.title);

  const seed = (items: SeedItem[]) => {
    ingest(services, 'desk', items);
    for (const item of items) seeded.push({ title: item.title, label: item.label as 'video' | 'image', publishedAt: item.publishedAt, order: seeded.length });
  };

  const titlesOf = async (path: string) => {
    const res = await fetch(`${app.origin}${path}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { title: string }[] }).items.map((item) => item.title);
  };

  beforeAll(async () => {
    services = createTestServices({ server: TEST_SITE_SERVER, feeds: [{ id: 'desk', name: 'Desk', url: 'http://127.0.0.1:9/desk.rss' }] });
    // One outlet: each of its items is a story of its own. Dates repeat in threes, so the order's
    // tie-break (the later stored first) falls on anchor boundaries too.
    const items: SeedItem[] = [];
    for (let i = 0; i < 700; i++) {
      const minute = Math.floor(i / 3);
      items.push({
        guid: `desk-${i}`,
        title: `${MAKERS[i % MAKERS.length]} ships ${THINGS[i % THINGS.length]} update no. ${i}`,
        summary: 'The release notes list the change.',
        publishedAt: new Date(Date.UTC(2026, 9, 1) + minute * 60_000).toISOString(),
        label: i % 4 === 0 ? 'image' : 'video',
      });
    }
    seed(items);
    app = await startApp(services);
  }, 60_000);

  afterAll(async () => {
    await app.close();
    services.dispose();
  });

  it('holds exactly the stories the order puts on each page, near and far, for all and for one label', async () => {
    const all = expected('all');
    expect(all).toHaveLength(700);
    for (const [limit, page] of [
      [50, 1], [50, 5], [50, 6], [50, 14], [7, 37], [7, 38], [1, 256], [1, 257], [1, 513], [200, 3], [100, 7],
    ]) {
      const offset = (page - 1) * limit;
      expect(await titlesOf(`/feeds/all.json?limit=${limit}&page=${page}`), `all, limit ${limit}, page ${page}`).toEqual(all.slice(offset, offset + limit));
    }
    const video = expected('video');
    for (const [limit, page] of [[50, 6], [50, 11], [10, 26], [10, 53]]) {
      const offset = (page - 1) * limit;
      expect(await titlesOf(`/feeds/video.json?limit=${limit}&page=${page}`), `video, limit ${limit}, page ${page}`).toEqual(video.slice(offset, offset + limit));
    }
    // Past the end: an empty page, not an error.
    expect(await titlesOf('/feeds/all.json?limit=50&page=15')).toEqual([]);
    expect(await titlesOf('/feeds/image.json?limit=50&page=5')).toEqual([]);
  });

  it('moves every deep page along when a newer story arrives', async () => {
    const before = await titlesOf('/feeds/all.json?limit=20&page=20');
    seed([{ guid: 'desk-new', title: 'Krea adds a realtime canvas for teams', summary: 'Shared boards.', publishedAt: new Date(Date.UTC(2026, 9, 2)).toISOString(), label: 'image' }]);
    const after = await titlesOf('/feeds/all.json?limit=20&page=20');
    expect(after).toEqual(expected('all').slice(380, 400));
    expect(after.slice(1)).toEqual(before.slice(0, 19));
  });
});
