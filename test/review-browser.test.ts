/**
 * The review page end to end in real headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * sign in, approve a held story with a click, relabel a video story to image with the keyboard,
 * then read the public feeds a subscriber would see.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '../src/model';
import { startReviewSite, type ReviewSite } from './support/review-site';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const EDITOR_TOKEN = 'browser-editor-token-0123456789';

/** One story the model is unsure about (below the review site's threshold), plus one with a hostile headline. */
const DESK_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Daily</title><link>https://desk.example/</link><description>Mixed AI news</description>
<item><title>Startup shows creative AI tool that animates still pictures</title><link>https://desk.example/animates</link><guid>desk-animates</guid><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate><description>The demo turned a handful of photos into short moving scenes for social posts.</description></item>
</channel></rss>`;
const HOSTILE_TITLE = '<img src=x onerror="window.__xss = 1"><script>window.__xss = 2</script> Pika 3 adds lip-sync to AI video';

describe('review page in headless Chromium', () => {
  let site: ReviewSite;
  let services: ReviewSite['services'];
  let origin: string;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];

  const all = (): Story[] => services.stories.listForReview({ limit: 500, offset: 0 });
  const feedText = async (feedPath: string): Promise<string> => {
    const response = await fetch(`${origin}${feedPath}`);
    expect(response.status, feedPath).toBe(200);
    return response.text();
  };
  const jsonFeedTitles = async (feedPath: string): Promise<string[]> =>
    ((JSON.parse(await feedText(feedPath)) as { items: { title: string }[] }).items).map((item) => item.title);

  /** A fresh browser profile per context, as a first-time editor would have. */
  const openBrowser = async (options: { javaScriptEnabled: boolean }): Promise<Page> => {
    const profile = mkdtempSync(path.join(tmpdir(), 'review-chromium-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      javaScriptEnabled: options.javaScriptEnabled,
      viewport: { width: 1200, height: 900 },
    });
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    return page;
  };

  const signIn = async (page: Page, editor: string): Promise<void> => {
    const first = await page.goto(`${origin}/review`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name="editor"]', editor);
    await page.fill('input[name="token"]', EDITOR_TOKEN);
    await Promise.all([page.waitForURL(`${origin}/review`), page.click('button[type="submit"]')]);
    await page.waitForSelector('article.story');
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM_PATH}; this test drives the system browser and never downloads one. ` +
          'Install it with: apt-get update && apt-get install -y chromium',
      );
    }
    site = await startReviewSite({
      editorToken: EDITOR_TOKEN,
      deskFeed: DESK_FEED,
      hostile: { title: HOSTILE_TITLE, summary: 'Pika adds lip-sync.', terms: ['video', 'pika'] },
    });
    ({ services, origin } = site);
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    await site?.close();
  });

  it('approves a held story by click and relabels a video story by keyboard; the public feeds follow', async () => {
    const held = all().find((story) => /animates still pictures/.test(story.title));
    expect(held, 'the Desk Daily fixture story should be ingested').toBeDefined();
    expect(held!.published, 'the fixture story should be held: below the auto-publish threshold').toBe(false);
    expect(held!.label).not.toBe('neither');
    const video = all().find((story) => /Google unveils Veo 4/.test(story.title))!;
    expect(video).toMatchObject({ label: 'video', published: true });
    expect(await feedText('/feeds/all.rss')).not.toContain(held!.title);
    expect(await jsonFeedTitles('/feeds/video.json')).toContain(video.title);
    expect(await jsonFeedTitles('/feeds/image.json')).not.toContain(video.title);

    const page = await openBrowser({ javaScriptEnabled: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, 'Browser Editor');

    // The legend is on the page, ? opens the help.
    const legend = await page.textContent('.legend');
    for (const text of ['next / previous story', 'approve', 'reject', 'relabel video / image / neither', 'pin / unpin to digest']) {
      expect(legend).toContain(text);
    }
    await page.keyboard.press('?');
    await page.waitForSelector('dialog#help[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog#help:not([open])', { state: 'attached' });

    // The hostile headline is shown as text and nothing in it ran.
    expect(await page.textContent('main')).toContain(HOSTILE_TITLE);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // A marker that survives only if the page does not reload.
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // 1) Approve by clicking the button.
    await page.click(`#story-${held!.id} button.approve`);
    await page.waitForSelector(`#story-${held!.id} .badge.approved`);
    expect(await page.textContent(`#story-${held!.id} .badges`)).toMatch(/Published/);
    expect(await page.textContent('#flash')).toMatch(new RegExp(`Approved #${held!.id}: published`));

    // 2) Relabel by keyboard: move the selection with j/k to the video story, press i.
    const order = await page.$$eval('article.story', (cards) => cards.map((card) => card.id));
    const targetIndex = order.indexOf(`story-${video.id}`);
    expect(targetIndex).toBeGreaterThanOrEqual(0);
    for (let step = 0; step < order.length * 2; step++) {
      const selected = await page.$eval('article.story.selected', (card) => card.id);
      const index = order.indexOf(selected);
      if (index === targetIndex) break;
      await page.keyboard.press(index < targetIndex ? 'j' : 'k');
    }
    expect(await page.$eval('article.story.selected', (card) => card.id)).toBe(`story-${video.id}`);
    await page.keyboard.press('i');
    await page.waitForSelector(`#story-${video.id} button.relabel[value="image"][aria-pressed="true"]`);
    expect(await page.textContent(`#story-${video.id} .facts`)).toMatch(/Editor label\s*Image/);
    expect(await page.$eval('article.story.selected', (card) => card.id)).toBe(`story-${video.id}`);

    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(pageErrors).toEqual([]);

    // What subscribers get.
    const heldFeed = held!.label;
    expect(await feedText('/feeds/all.rss')).toContain(held!.title);
    expect(await jsonFeedTitles(`/feeds/${heldFeed}.json`)).toContain(held!.title);
    expect(await feedText(`/feeds/${heldFeed}.rss`)).toContain(held!.title);
    expect(await jsonFeedTitles('/feeds/video.json')).not.toContain(video.title);
    expect(await jsonFeedTitles('/feeds/image.json')).toContain(video.title);
    expect(await feedText('/feeds/video.rss')).not.toContain(video.title);
    expect(await feedText('/feeds/image.rss')).toContain(video.title);

    // Recorded as the signed-in editor.
    expect(services.stories.decisionsFor(held!.id)).toMatchObject([{ action: { kind: 'approve' }, editor: 'Browser Editor' }]);
    expect(services.stories.decisionsFor(video.id)).toMatchObject([{ action: { kind: 'relabel', label: 'image' }, editor: 'Browser Editor' }]);
  });

  it('works as plain HTML forms with JavaScript switched off', async () => {
    const story = all().find((candidate) => /Runway Gen-5/.test(candidate.title))!;
    expect(story.published).toBe(true);
    const page = await openBrowser({ javaScriptEnabled: false });
    await signIn(page, 'No Script Editor');
    await Promise.all([
      page.waitForURL(`${origin}/review?decided=${story.id}#story-${story.id}`),
      page.click(`#story-${story.id} button.reject`),
    ]);
    // The pending view no longer lists it, so the page confirms what was saved and repeats the card.
    expect(await page.textContent('.decided')).toContain(`Saved #${story.id}: rejected, label video, not in the public feeds.`);
    await page.waitForSelector(`.decided #story-${story.id} .badge.rejected`);
    expect(services.stories.getStory(story.id)).toMatchObject({ status: 'rejected', published: false });
    expect(services.stories.decisionsFor(story.id).at(-1)?.editor).toBe('No Script Editor');
    expect(await jsonFeedTitles('/feeds/video.json')).not.toContain(story.title);
  });

  it('merges by keyboard, splits a report out by click and rewrites a headline; feeds and story pages follow', async () => {
    const source = all().find((story) => /Midjourney V8/.test(story.title))!;
    const target = all().find((story) => /Flux 3/.test(story.title))!;
    const page = await openBrowser({ javaScriptEnabled: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, 'Cluster Editor');
    expect(await page.textContent('.legend')).toContain('merge into another story');

    // Merge: select the source card, press m, type the target's number, Enter.
    await page.click(`#story-${source.id} .story-head`);
    await page.keyboard.press('m');
    expect(await page.evaluate("document.activeElement && document.activeElement.getAttribute('name')")).toBe('into');
    await page.keyboard.type(String(target.id));
    await Promise.all([page.waitForURL(new RegExp(`decided=${target.id}`)), page.keyboard.press('Enter')]);
    const card = `#story-${target.id}`;
    await page.waitForSelector(`${card} .coverage`);
    expect(await page.textContent(`${card} .coverage summary`)).toMatch(/Covered by 2 outlets/);
    expect(await page.textContent(`${card} .coverage .reports`)).toContain(source.title);
    const moved = await fetch(`${origin}/stories/${source.id}`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(services.stories.decisionsFor(source.id).at(-1)).toMatchObject({ action: { kind: 'merge', intoStoryId: target.id }, editor: 'Cluster Editor' });

    // Split the merged-in report back out with its button.
    const pixelpostItem = services.stories.getStory(target.id)!.outlets.find((outlet) => outlet.feedId === 'pixelpost')!.itemId!;
    // The page is already at a ?decided= URL (the merge), so wait for the split's own POST to be answered.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && /\/review\/stories\/\d+\/split$/.test(new URL(response.url()).pathname)),
      page.click(`${card} button.split[value="${pixelpostItem}"]`),
    ]);
    const after = services.stories.getStory(target.id)!;
    expect(after.outlets.map((outlet) => outlet.feedId)).toEqual(['modelbeat']);
    const splitId = all().find((story) => story.outlets.some((outlet) => outlet.itemId === pixelpostItem))!.id;
    expect(splitId).not.toBe(target.id);
    // The answer sends the page on to confirm the new story: let that page load before going elsewhere
    // (waitForLoadState could see the page before it, and the next goto would be cut short).
    await page.waitForURL(new RegExp(`decided=${splitId}#`));

    // The site's own headline: select the target, press e, type, save.
    await page.goto(`${origin}/review?status=all#story-${target.id}`);
    await page.click(`#story-${target.id} .story-head`);
    await page.keyboard.press('e');
    expect(await page.evaluate("document.activeElement && document.activeElement.getAttribute('name')")).toBe('title');
    const headline = 'Black Forest Labs opens Flux 3 weights <to everyone>';
    await page.fill(`#story-${target.id} form.edit input[name="title"]`, headline);
    await page.click(`#story-${target.id} form.edit button[type="submit"]`);
    await page.waitForFunction(
      ([selector, text]) =>
        (
          (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(selector)
            ?.textContent ?? ''
        ).includes(text),
      [`#story-${target.id} h2`, headline] as const,
    );
    expect(services.stories.getStory(target.id)!.title).toBe(headline);
    expect(services.stories.getStory(target.id)!.wordingByEditor).toBe(true);
    services.stories.applyDecision(target.id, { kind: 'approve' }, 'Cluster Editor');
    const storyPage = await fetch(`${origin}/stories/${target.id}`);
    expect(storyPage.status).toBe(200);
    expect(await storyPage.text()).toContain('Black Forest Labs opens Flux 3 weights &lt;to everyone&gt;');
    expect(await jsonFeedTitles('/feeds/all.json')).toContain('Black Forest Labs opens Flux 3 weights \u2039to everyone>');
    expect(pageErrors).toEqual([]);
  });
});
