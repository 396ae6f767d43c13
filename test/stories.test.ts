import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '../src/model';
import { StoryQueries } from '../src/store/story-queries';
import { IMPORTANCE_CONSTANTS, importanceScore, rankByImportance, storyImportance } from '../src/stories/importance';
import { pickRelated, RelatedStoriesFinder } from '../src/stories/related';
import { startApp, TEST_SITE_SERVER, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';
import { ingest } from './support/seed-stories';

const HOUR = 3_600_000;

describe('importance', () => {
  const at = new Date('2026-03-05T08:00:00.000Z');
  const hoursAgo = (hours: number) => new Date(at.getTime() - hours * HOUR).toISOString();

  it('ranks a story covered by 3 outlets above one covered by 1 outlet of the same age', () => {
    const three = importanceScore({ outletCount: 3, publishedAt: hoursAgo(10), pinned: false }, at);
    const one = importanceScore({ outletCount: 1, publishedAt: hoursAgo(10), pinned: false }, at);
    expect(three).toBeGreaterThan(one);
    expect(three / one).toBeCloseTo(1 + Math.log(3), 6);
  });

  it('halves every half-life and never grows with age', () => {
    const fresh = importanceScore({ outletCount: 2, publishedAt: hoursAgo(0), pinned: false }, at);
    const halfLife = importanceScore(
      { outletCount: 2, publishedAt: hoursAgo(IMPORTANCE_CONSTANTS.halfLifeHours), pinned: false },
      at,
    );
    expect(halfLife / fresh).toBeCloseTo(0.5, 6);
    const scores = [0, 6, 24, 48, 96, 240].map((hours) =>
      importanceScore({ outletCount: 2, publishedAt: hoursAgo(hours), pinned: false }, at),
    );
    for (let i = 1; i < scores.length; i += 1) expect(scores[i]).toBeLessThan(scores[i - 1]);
  });

  it('a story dated after the reference time counts as new, not as more important', () => {
    const future = importanceScore({ outletCount: 1, publishedAt: hoursAgo(-30), pinned: false }, at);
    const now = importanceScore({ outletCount: 1, publishedAt: hoursAgo(0), pinned: false }, at);
    expect(future).toBe(now);
  });

  it('a pin boosts a story, and a pinned story still decays', () => {
    const pinned = importanceScore({ outletCount: 1, publishedAt: hoursAgo(10), pinned: true }, at);
    const plain = importanceScore({ outletCount: 1, publishedAt: hoursAgo(10), pinned: false }, at);
    expect(pinned).toBeCloseTo(plain * IMPORTANCE_CONSTANTS.pinMultiplier, 6);
    const oldPin = importanceScore({ outletCount: 1, publishedAt: hoursAgo(24 * 30), pinned: true }, at);
    expect(oldPin).toBeLessThan(plain);
  });

  it('rankByImportance uses distinct outlets of a story and orders most important first', () => {
    const story = (id: number, feeds: string[], hours: number): Story =>
      ({
        id,
        publishedAt: hoursAgo(hours),
        pinned: false,
        outlets: feeds.map((feedId) => ({ feedId, feedName: feedId, url: null, publishedAt: hoursAgo(hours) })),
      }) as Story;
    // The same feed twice is still one outlet.
    expect(storyImportance(story(1, ['a', 'a'], 0), at)).toBe(storyImportance(story(2, ['a'], 0), at));
    const ranked = rankByImportance([story(1, ['a'], 5), story(2, ['a', 'b', 'c'], 5), story(3, ['a'], 1)], at);
    expect(ranked.map((entry) => entry.story.id)).toEqual([2, 3, 1]);
  });
});

describe('pickRelated (pure)', () => {
  const text = (id: number, title: string, summary = '') => ({ id, title, summary, publishedAt: '2026-03-01T00:00:00Z' });
  const terms = (value: { title: string; summary: string }) => `${value.title} ${value.summary}`.toLowerCase().split(/\W+/).filter(Boolean);

  it('falls back to the newest stories of the pool when nothing is similar', () => {
    const target = text(1, 'alpha beta');
    const pool = [text(5, 'gamma'), text(4, 'delta'), text(1, 'alpha beta'), text(3, 'epsilon'), text(2, 'zeta')];
    const picks = pickRelated(target, pool, terms);
    expect(picks.map((pick) => [pick.id, pick.reason])).toEqual([
      [5, 'recent'],
      [4, 'recent'],
      [3, 'recent'],
    ]);
  });
});

describe('related stories and the story page, over a store filled by the ingest path', () => {
  let services: TestServices;
  let app: RunningApp;
  let origin: string;
  const byTitle = (pattern: RegExp): Story => {
    const found = services.stories.listForReview({ limit: 500, offset: 0 }).filter((story) => pattern.test(story.title));
    expect(found, `exactly one story matches ${pattern}`).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    const feed = (id: string, name: string) => ({ id, name, url: `http://127.0.0.1:9/${id}.rss` });
    services = createTestServices({
      server: TEST_SITE_SERVER,
      feeds: [feed('framewire', 'Framewire'), feed('pixelpost', 'Pixel Post'), feed('modelbeat', 'Model Beat')],
    });
    const day = (d: number, h = 12) => new Date(Date.UTC(2026, 2, d, h)).toISOString();
    ingest(services, 'framewire', [
      { guid: 'gen5', title: 'Runway Gen-5 adds camera control to video generation', summary: 'Runway says Gen-5 lets creators direct camera moves in generated clips.', url: 'https://runway.example/gen5', publishedAt: day(2), label: 'video' },
      { guid: 'gen5-review', title: 'Hands-on: Runway Gen-5 camera control tested', summary: 'We tried the new Gen-5 camera control on twenty prompts.', publishedAt: day(3), label: 'video' },
      { guid: 'sora', title: 'Sora 2 update lengthens clips to two minutes', summary: 'OpenAI extends Sora clip length.', publishedAt: day(3, 15), label: 'video' },
      { guid: 'pika', title: 'Pika ships lip sync for talking characters', summary: 'Pika animates mouths to match audio.', publishedAt: day(4), label: 'video' },
      { guid: 'veo', title: 'Veo 4 renders native audio with video', summary: 'Google DeepMind model adds sound.', publishedAt: day(4, 18), label: 'video' },
      { guid: 'rejected', title: 'Runway Gen-5 camera control leaked early', summary: 'Rumours about Gen-5 camera control.', publishedAt: day(1), label: 'video' },
      { guid: 'script', title: '<script>alert("x")</script> Kling 3 video model & friends', summary: 'A <b>bold</b> claim about video.', publishedAt: day(5), label: 'video' },
    ]);
    ingest(services, 'pixelpost', [
      // Same article as framewire's (same canonical URL): joins the story as a second outlet.
      { guid: 'p-gen5', title: 'Runway Gen-5 adds camera control to video generation', url: 'https://runway.example/gen5', publishedAt: day(2, 13), label: 'video' },
      { guid: 'mj', title: 'Midjourney V8 improves hands and text', summary: 'Image model update.', publishedAt: day(3), label: 'image' },
      { guid: 'runway-image', title: 'Runway Frames now renders stills in 4K', summary: "Runway's image model Frames adds 4K output and style references for still images.", publishedAt: day(4), label: 'image' },
    ]);
    ingest(services, 'modelbeat', [
      { guid: 'm-gen5', title: 'Runway Gen-5 adds camera control to video generation', url: 'https://runway.example/gen5?utm_source=rss', publishedAt: day(2, 14), label: 'video' },
      { guid: 'funding', title: 'Suno raises $250 million as investors bet on AI music', summary: 'The round values the Cambridge, Massachusetts company at $2.45 billion.', publishedAt: day(4), label: 'neither' },
    ]);
    services.stories.applyDecision(byTitle(/leaked early/).id, { kind: 'reject' }, 'test-editor');

    app = await startApp(services);
    origin = app.origin;
  });

  afterAll(async () => {
    await app?.close();
    services?.dispose();
  });

  it('related stories are published stories of the same category, never the story itself', () => {
    const finder = new RelatedStoriesFinder(new StoryQueries(services.db));
    const target = byTitle(/adds camera control/);
    expect(target.outlets.map((outlet) => outlet.feedId).sort()).toEqual(['framewire', 'modelbeat', 'pixelpost']);
    const related = finder.findRelated(target);
    expect(related).toHaveLength(3);
    expect(related.every((story) => story.label === 'video' && story.published)).toBe(true);
    expect(related.map((story) => story.id)).not.toContain(target.id);
    // The most similar video story comes first; the similar image, "neither" and rejected stories never appear.
    expect(related[0].title).toMatch(/Hands-on: Runway Gen-5/);
    expect(related.map((story) => story.title).join('\n')).not.toMatch(/renders stills|raises \$250 million|leaked/);
  });

  it('a story\'s last change in the feeds is when its last outlet joined', async () => {
    const target = byTitle(/adds camera control/);
    // Framewire stored it at 12:00; Pixel Post joined at 13:00 and Model Beat at 14:00 (March 2).
    expect(target.updatedAt).toBe('2026-03-02T14:00:00.000Z');
    const atom = await (await fetch(`${origin}/feeds/video.atom`)).text();
    const entry = atom.split('<entry>').find((part) => part.includes('adds camera control'));
    expect(entry).toContain('<updated>2026-03-02T14:00:00.000Z</updated>');
    // A story nobody joined keeps its own time.
    expect(byTitle(/Pika ships lip sync/).updatedAt).toBe('2026-03-04T12:00:00.000Z');
  });

  it('an image story gets image stories only, filled with the newest ones when nothing is similar', () => {
    const finder = new RelatedStoriesFinder(new StoryQueries(services.db));
    const related = finder.findRelated(byTitle(/Midjourney V8/));
    expect(related.map((story) => story.title)).toEqual(['Runway Frames now renders stills in 4K']);
  });

  it('the story page shows title, category, summary, original link, every outlet and the next reads', async () => {
    const story = byTitle(/adds camera control/);
    const response = await fetch(`${origin}/stories/${story.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<h1>Runway Gen-5 adds camera control to video generation</h1>');
    expect(html).toContain('Runway says Gen-5 lets creators direct camera moves in generated clips.');
    expect(html).toContain('href="https://runway.example/gen5"');
    for (const name of ['Framewire', 'Pixel Post', 'Model Beat']) expect(html).toContain(`>${name}</a>`);
    expect(html).toContain('Covered by 3 outlets');
    expect(html).toMatch(/<link rel="alternate" type="application\/rss\+xml"[^>]*href="http:\/\/news\.example\/feeds\/video\.rss"/);
    expect(html).toMatch(/<link rel="alternate" type="application\/atom\+xml"[^>]*href="http:\/\/news\.example\/feeds\/video\.atom"/);
    const nextRead = html.slice(html.indexOf('Your next read'));
    const links = [...nextRead.matchAll(/href="\/stories\/(\d+)"/g)].map((match) => Number(match[1]));
    expect(links).toHaveLength(3);
    expect(links).not.toContain(story.id);
    expect(links[0]).toBe(byTitle(/Hands-on/).id);
  });

  it('escapes a <script> title on the story page', async () => {
    const story = byTitle(/Kling 3/);
    const html = await (await fetch(`${origin}/stories/${story.id}`)).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Kling 3 video model &amp; friends');
  });

  it('answers 404 for unknown, malformed, "neither" and rejected stories', async () => {
    const ids = [String(999_999), 'abc', '0', '01', String(byTitle(/raises \$250 million/).id), String(byTitle(/leaked early/).id)];
    for (const id of ids) {
      const response = await fetch(`${origin}/stories/${id}`);
      expect(response.status, `/stories/${id}`).toBe(404);
      const html = await response.text();
      expect(html).toContain('Story not found');
      expect(html).not.toMatch(/raises \$250 million|leaked early/);
    }
  });
});

describe('an article that reached a story through another outlet', () => {
  it('is stored when its own outlet delivers it, even if that outlet already reported the story; a re-post is not', () => {
    const feed = (id: string, name: string) => ({ id, name, url: `http://127.0.0.1:9/${id}.rss` });
    const services = createTestServices({ feeds: [feed('framewire', 'Framewire'), feed('pixelpost', 'Pixel Post'), feed('modelbeat', 'Model Beat')] });
    try {
      const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h)).toISOString();
      const title = 'Runway Gen-5 adds camera control to video generation';
      const summary = 'Runway says Gen-5 lets creators direct camera moves in generated clips, from pans to dolly shots.';
      const article = 'https://modelbeat.example/runway-gen-5-camera-control';
      // Pixel Post syndicates Model Beat's article (same URL) before Model Beat's own feed is read.
      ingest(services, 'framewire', [{ guid: 'f1', title, summary, url: 'https://framewire.example/gen5', publishedAt: at(10), label: 'video' }]);
      ingest(services, 'pixelpost', [{ guid: 'p1', title, summary, url: article, publishedAt: at(11), label: 'video' }]);
      // Model Beat's live blog on the event joins the story first; then its article arrives.
      ingest(services, 'modelbeat', [
        { guid: 'm-live', title: `Live: ${title}`, summary, url: 'https://modelbeat.example/live/gen-5', publishedAt: at(12), label: 'video' },
        { guid: 'm-article', title, summary, url: article, publishedAt: at(13), label: 'video' },
      ]);
      // Model Beat posts the same article again under a new guid: already stored.
      ingest(services, 'modelbeat', [{ guid: 'm-article-again', title, summary, url: article, publishedAt: at(14), label: 'video' }]);

      const guids = services.db.prepare('SELECT guid FROM items ORDER BY id').pluck().all();
      expect(guids).toEqual(['f1', 'p1', 'm-live', 'm-article']);
      const stories = services.stories.listForReview({ limit: 10, offset: 0 });
      expect(stories).toHaveLength(1);
      // Three outlets, not four reports: one outlet counts once.
      expect(stories[0].outlets.map((outlet) => outlet.feedId).sort()).toEqual(['framewire', 'modelbeat', 'pixelpost']);
    } finally {
      services.dispose();
    }
  });
});
