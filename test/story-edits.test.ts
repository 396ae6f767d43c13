/**
 * Editors fix same-event matching over real HTTP and a real SQLite file: merge a story into
 * another, split a report out, write the site's own wording; feeds and pages change at once with
 * a new ETag, and recluster keeps every one of those decisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventScorer } from '../src/dedupe/event-scorer-file';
import type { Story } from '../src/model';
import { startReviewSite, type ReviewSite } from './support/review-site';

const EDITOR_TOKEN = 'edits-editor-token-0123456789abcdef';

/** Desk Daily: two reports of one event that the matcher keeps apart (nothing but the date in common). */
const DESK_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Daily</title><link>https://desk.example/</link><description>AI news</description>
<item><title>Pixel-perfect: a new way to paint with light</title><link>https://desk.example/light</link><guid>desk-light</guid><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate><description>Artists get a brush that renders physically based lighting as they draw.</description></item>
</channel></rss>`;

describe('merge, split and edit stories, then recluster', () => {
  let review: ReviewSite;
  const all = (): Story[] => review.services.stories.listForReview({ limit: 500, offset: 0 });
  const find = (pattern: RegExp): Story => {
    const story = all().find((candidate) => pattern.test(candidate.title));
    if (!story) throw new Error(`no story matches ${pattern}`);
    return story;
  };
  const api = (path: string, body?: unknown) =>
    fetch(`${review.origin}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${EDITOR_TOKEN}`, 'x-editor': 'Dana', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const feed = async () => {
    const response = await fetch(`${review.origin}/feeds/all.json`);
    expect(response.status).toBe(200);
    return { etag: response.headers.get('etag'), items: ((await response.json()) as { items: { title: string; url: string }[] }).items };
  };

  beforeAll(async () => {
    review = await startReviewSite({
      editorToken: EDITOR_TOKEN,
      deskFeed: DESK_FEED,
      hostile: { title: 'Pika 3 adds lip-sync to AI video', summary: 'Pika update.', terms: ['pika'] },
    });
  });
  afterAll(async () => {
    await review?.close();
  });

  let mergedAway: Story;
  let target: Story;

  it('merges a story into another: one story with both outlets, a redirect, and a new feed ETag', async () => {
    // Two stories a reader would call one event, reported in different words by different outlets.
    mergedAway = find(/Midjourney V8/);
    target = find(/Flux 3/);
    const before = await feed();
    const response = await api(`/api/stories/${mergedAway.id}/merge`, { into: target.id });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { story: Story; message: string };
    expect(body.story.id).toBe(target.id);
    expect(body.story.outlets.map((outlet) => outlet.feedId).sort()).toEqual(['modelbeat', 'pixelpost']);
    expect(body.message).toMatch(/Merged into/);

    const after = await feed();
    expect(after.etag).not.toBe(before.etag);
    expect(after.items.map((item) => item.title)).not.toContain(mergedAway.title);
    const page = await fetch(`${review.origin}/stories/${mergedAway.id}`, { redirect: 'manual' });
    expect(page.status).toBe(301);
    expect(page.headers.get('location')).toBe(`/stories/${target.id}`);
    expect(all().map((story) => story.id)).not.toContain(mergedAway.id);
    // Stored with who and when.
    const history = (await (await api(`/api/stories/${mergedAway.id}`)).json()) as { decisions: { action: { kind: string; intoStoryId?: number }; editor: string }[] };
    expect(history.decisions.at(-1)).toMatchObject({ action: { kind: 'merge', intoStoryId: target.id }, editor: 'Dana' });
  });

  let splitOut: Story;

  it('splits a report out into a story of its own', async () => {
    const merged = review.services.stories.getStory(target.id)!;
    const report = merged.outlets.find((outlet) => outlet.feedId === 'pixelpost')!;
    const response = await api(`/api/stories/${target.id}/split`, { item: report.itemId });
    expect(response.status).toBe(200);
    splitOut = ((await response.json()) as { story: Story }).story;
    expect(splitOut.id).not.toBe(target.id);
    expect(splitOut.outlets.map((outlet) => outlet.feedId)).toEqual(['pixelpost']);
    expect(review.services.stories.getStory(target.id)!.outlets.map((outlet) => outlet.feedId)).toEqual(['modelbeat']);
    // The only report of a story cannot be split from it.
    const only = await api(`/api/stories/${splitOut.id}/split`, { item: report.itemId });
    expect(only.status).toBe(409);
    expect(((await only.json()) as { message: string }).message).toMatch(/only one/);
  });

  it("keeps the site's own wording as plain text, in the feeds and when another outlet joins", async () => {
    const wording = { title: 'Midjourney V8 makes <b>text</b> legible', summary: 'Posters, logos and packaging finally read right.' };
    const response = await api(`/api/stories/${splitOut.id}/edit`, wording);
    expect(response.status).toBe(200);
    const edited = ((await response.json()) as { story: Story }).story;
    expect(edited.title).toBe(wording.title);
    expect((await api(`/api/stories/${splitOut.id}/approve`, {})).status).toBe(200);
    const published = await feed();
    // A plain-text field never carries a tag opener: "<b>" reads as "‹b>" in the feed.
    expect(published.items.map((item) => item.title)).toContain('Midjourney V8 makes \u2039b>text\u2039/b> legible');
    // Another outlet's report of the same article (same canonical URL) joins; the wording stays.
    review.services.stories.ingestFeedItems(
      'desk',
      [
        {
          item: {
            feedId: 'desk',
            guid: 'desk-mj',
            originalUrl: 'https://pixelpost.example/news/midjourney-v8',
            canonicalUrl: 'https://pixelpost.example/news/midjourney-v8',
            title: 'Midjourney V8 review',
            summary: 'Our take.',
            author: null,
            publishedAt: '2026-11-24T09:00:00.000Z',
            hasFeedDate: true,
            categories: [],
            imageUrl: null,
          },
          classification: { label: 'image', confidence: 0.9, terms: [] },
        },
      ],
      { feedId: 'desk', at: new Date().toISOString(), etag: null, lastModified: null },
      {},
    );
    const joined = review.services.stories.getStory(splitOut.id)!;
    expect(joined.outlets).toHaveLength(2);
    expect(joined.title).toBe(wording.title);
    expect(joined.summary).toBe(wording.summary);
  });

  it('refuses impossible or malformed edits and changes nothing', async () => {
    const version = review.services.stories.publicationState().version;
    expect((await api(`/api/stories/${target.id}/merge`, { into: target.id })).status).toBe(409);
    expect((await api(`/api/stories/${target.id}/merge`, { into: 999_999 })).status).toBe(409);
    expect((await api(`/api/stories/${mergedAway.id}/merge`, { into: target.id })).status).toBe(409);
    expect((await api(`/api/stories/${target.id}/merge`, {})).status).toBe(400);
    expect((await api(`/api/stories/${target.id}/split`, { item: 'x' })).status).toBe(400);
    expect((await api(`/api/stories/${target.id}/edit`, { title: '   ' })).status).toBe(400);
    expect((await api(`/api/stories/${target.id}/edit`, {})).status).toBe(400);
    expect(review.services.stories.publicationState().version).toBe(version);
  });

  it('recluster keeps merges, splits, wording and other decisions', () => {
    const approved = find(/Runway Gen-5/);
    review.services.stories.applyDecision(approved.id, { kind: 'approve' }, 'Dana');
    const before = (id: number) => review.services.stories.getStory(id)!;
    const approvedOutlets = before(approved.id).outlets.map((outlet) => outlet.itemId).sort();

    const outcome = review.services.stories.recluster({ since: null, model: loadEventScorer() });
    expect(outcome.reports).toBeGreaterThan(5);

    // The merge still holds: the merged story redirects, its report is still with the target or was split on purpose.
    expect(review.services.stories.getStory(mergedAway.id)!.mergedInto).toBe(target.id);
    // The split report is not put back with the story it was split from.
    const split = before(splitOut.id);
    expect(split.outlets.map((outlet) => outlet.feedId)).toContain('pixelpost');
    expect(before(target.id).outlets.map((outlet) => outlet.feedId)).not.toContain('pixelpost');
    expect(split.title).toBe('Midjourney V8 makes <b>text</b> legible');
    // An approved story keeps its reports and its decision.
    expect(before(approved.id).status).toBe('approved');
    expect(before(approved.id).outlets.map((outlet) => outlet.itemId).sort()).toEqual(approvedOutlets);
    // Running it again changes nothing.
    expect(review.services.stories.recluster({ since: null, model: loadEventScorer() }).moved).toBe(0);
  });
});
