/**
 * Editor review over real HTTP: the JSON API (Bearer token) and the page's form endpoints (session
 * cookie + CSRF token), against a real SQLite database filled by a real fetch run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EditorAuth, SESSION_MAX_AGE_SECONDS } from '../src/http/review/editor-auth';
import type { EditorDecision, Story } from '../src/model';
import { REVIEW_SITE_THRESHOLD, startReviewSite, type ReviewSite } from './support/review-site';

const EDITOR_TOKEN = 'test-editor-token-0123456789abcdef';

/** Two stories the model is unsure about (below the review site's auto-publish threshold). */
const DESK_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Daily</title><link>https://desk.example/</link><description>Mixed AI news</description>
<item><title>Startup shows creative AI tool that animates still pictures</title><link>https://desk.example/animates</link><guid>desk-animates</guid><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate><description>The demo turned a handful of photos into short moving scenes for social posts.</description></item>
<item><title>Creative AI startup raises funding for visual generation tools</title><link>https://desk.example/funding</link><guid>desk-funding</guid><pubDate>Tue, 24 Nov 2026 06:00:00 GMT</pubDate><description>The company makes tools for artists.</description></item>
</channel></rss>`;

const HOSTILE_TITLE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> Pika 3 adds lip-sync to AI video';

/** The review site over a real fetch run, plus a headline and terms with markup. */
const startReviewServer = (editorToken: string | null): Promise<ReviewSite> =>
  startReviewSite({
    editorToken,
    deskFeed: DESK_FEED,
    hostile: { title: HOSTILE_TITLE, summary: 'Summary with <b>markup</b> & "quotes".', terms: ['<i>video</i>', 'pika'] },
  });

describe('review API and page with an editor token configured', () => {
  let review: ReviewSite;
  const all = (): Story[] => review.services.stories.listForReview({ limit: 500, offset: 0 });
  const find = (pattern: RegExp): Story => {
    const story = all().find((candidate) => pattern.test(candidate.title));
    if (!story) throw new Error(`fixture story ${pattern} was not ingested`);
    return story;
  };
  /** A held story: pending, video/image, below the threshold, so not published. */
  const heldStories = (): Story[] =>
    all().filter((story) => story.status === 'pending' && story.label !== 'neither' && !story.published);
  const snapshot = (id: number) => ({
    story: review.services.stories.getStory(id),
    decisions: review.services.stories.decisionsFor(id).length,
    version: review.services.stories.publicationState().version,
  });

  const api = (path: string, init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== null) headers.authorization = `Bearer ${init.token ?? EDITOR_TOKEN}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${review.origin}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  };
  const feedTitles = async (path: string): Promise<string[]> => {
    const response = await fetch(`${review.origin}${path}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { title: string }[] };
    return body.items.map((item) => item.title);
  };

  beforeAll(async () => {
    review = await startReviewServer(EDITOR_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await review?.close();
  });

  describe('JSON API', () => {
    it('answers 401 without a token, with a wrong token and with a prefix of the token', async () => {
      for (const token of [null, 'wrong-token-wrong-token-wrong', EDITOR_TOKEN.slice(0, -1)]) {
        const response = await api('/api/stories', { token });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const body = (await response.json()) as { error: string; message: string };
        expect(body.error).toBe('unauthorized');
        expect(body.message).toMatch(/Authorization: Bearer/);
      }
    });

    it('changes nothing for unauthenticated actions', async () => {
      const target = heldStories()[0];
      expect(target, 'the fixture should give at least one held (unpublished, pending) story').toBeDefined();
      const before = snapshot(target.id);
      const attempts: [string, unknown][] = [
        ['approve', undefined],
        ['reject', undefined],
        ['relabel', { label: 'video' }],
        ['pin', { pinned: true }],
      ];
      for (const [action, body] of attempts) {
        expect((await api(`/api/stories/${target.id}/${action}`, { method: 'POST', token: null, body })).status).toBe(401);
        expect((await api(`/api/stories/${target.id}/${action}`, { method: 'POST', token: 'x'.repeat(32), body })).status).toBe(401);
      }
      expect((await api('/api/retrain', { method: 'POST', token: 'nope' })).status).toBe(401);
      expect(snapshot(target.id)).toEqual(before);
    });

    it('lists the queue with status, label and confidence filters and paging', async () => {
      const pending = (await (await api('/api/stories?status=pending')).json()) as { stories: Story[] };
      expect(pending.stories.length).toBe(all().filter((story) => story.status === 'pending').length);
      expect(pending.stories.length).toBeGreaterThanOrEqual(8);

      const video = (await (await api('/api/stories?label=video')).json()) as { stories: Story[] };
      expect(video.stories.length).toBeGreaterThan(0);
      expect(video.stories.every((story) => story.label === 'video')).toBe(true);

      // The held Desk Daily stories are below the site's threshold, so this filter finds some.
      const unsure = (await (await api(`/api/stories?maxConfidence=${REVIEW_SITE_THRESHOLD}`)).json()) as { stories: Story[] };
      expect(unsure.stories.map((story) => story.id).sort()).toEqual(
        all().filter((story) => story.predicted.confidence <= REVIEW_SITE_THRESHOLD).map((story) => story.id).sort(),
      );
      expect(unsure.stories.length).toBeGreaterThan(0);
      const sure = (await (await api('/api/stories?minConfidence=0.9')).json()) as { stories: Story[] };
      expect(sure.stories.every((story) => story.predicted.confidence >= 0.9)).toBe(true);

      const first = (await (await api('/api/stories?limit=2')).json()) as { stories: Story[]; nextOffset: number | null };
      expect(first.stories).toHaveLength(2);
      expect(first.nextOffset).toBe(2);
      const second = (await (await api('/api/stories?limit=2&offset=2')).json()) as { stories: Story[] };
      expect(second.stories[0].id).not.toBe(first.stories[0].id);
      // Newest first: the order the repository gives, not ids.
      expect([...first.stories, ...second.stories].map((story) => story.id)).toEqual(all().slice(0, 4).map((story) => story.id));
    });

    it('answers 400 with a readable message for bad filters', async () => {
      const cases: [string, RegExp][] = [
        ['status=done', /Unknown status "done".*pending, approved, rejected, all/],
        ['label=audio', /Unknown label "audio".*video, image, neither/],
        ['minConfidence=high', /"minConfidence" must be a number from 0 to 1/],
        ['maxConfidence=1.5', /"maxConfidence" must be a number from 0 to 1/],
        ['minConfidence=0.8&maxConfidence=0.2', /above "maxConfidence"/],
        ['limit=0', /"limit" must be a whole number/],
        ['status=pending&status=approved', /at most once/],
      ];
      for (const [query, message] of cases) {
        const response = await api(`/api/stories?${query}`);
        expect(response.status, query).toBe(400);
        expect(((await response.json()) as { message: string }).message, query).toMatch(message);
      }
    });

    it('approve publishes a held story, records who did it and shows it in the public feed', async () => {
      const held = heldStories()[0];
      expect(held.predicted.confidence).toBeLessThan(review.services.config.curation.autoPublishThreshold);
      expect(await feedTitles(`/feeds/${held.label}.json`)).not.toContain(held.title);
      const response = await api(`/api/stories/${held.id}/approve`, { method: 'POST', headers: { 'x-editor': 'Ana Ruiz' } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { story: Story; message: string };
      expect(body.story).toMatchObject({ id: held.id, status: 'approved', published: true });
      expect(body.message).toMatch(/Approved/);
      expect(await feedTitles(`/feeds/${held.label}.json`)).toContain(held.title);

      const detail = (await (await api(`/api/stories/${held.id}`)).json()) as { story: Story; decisions: EditorDecision[] };
      expect(detail.story.status).toBe('approved');
      expect(detail.decisions).toHaveLength(1);
      expect(detail.decisions[0]).toMatchObject({ storyId: held.id, action: { kind: 'approve' }, editor: 'Ana Ruiz' });
    });

    it('reject takes a published story out of the public feeds', async () => {
      const story = find(/Runway Gen-5/);
      expect(story.published).toBe(true);
      expect(await feedTitles('/feeds/all.json')).toContain(story.title);
      const response = await api(`/api/stories/${story.id}/reject`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { story: Story }).story).toMatchObject({ status: 'rejected', published: false });
      expect(await feedTitles('/feeds/all.json')).not.toContain(story.title);
      // No X-Editor header: recorded as "api".
      expect(review.services.stories.decisionsFor(story.id).at(-1)?.editor).toBe('api');
    });

    it('relabel moves a story from the video feed to the image feed; unknown labels are refused', async () => {
      const story = find(/Google unveils Veo 4/);
      expect(story.label).toBe('video');
      expect(await feedTitles('/feeds/video.json')).toContain(story.title);

      const before = snapshot(story.id);
      const bad = await api(`/api/stories/${story.id}/relabel`, { method: 'POST', body: { label: 'audio' } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/Unknown label "audio".*video, image, neither/);
      const missing = await api(`/api/stories/${story.id}/relabel`, { method: 'POST' });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { message: string }).message).toMatch(/needs a "label".*Content-Type: application\/json/);
      expect(snapshot(story.id)).toEqual(before);

      const response = await api(`/api/stories/${story.id}/relabel`, { method: 'POST', body: { label: 'image' } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { story: Story }).story).toMatchObject({ label: 'image', editorLabel: 'image', published: true });
      expect(await feedTitles('/feeds/video.json')).not.toContain(story.title);
      expect(await feedTitles('/feeds/image.json')).toContain(story.title);
    });

    it('pins and unpins; "pinned" must be a boolean', async () => {
      const story = find(/Midjourney V8/);
      const bad = await api(`/api/stories/${story.id}/pin`, { method: 'POST', body: { pinned: 'yes' } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/"pinned": true/);
      expect(review.services.stories.getStory(story.id)?.pinned).toBe(false);

      const pin = await api(`/api/stories/${story.id}/pin`, { method: 'POST', body: { pinned: true } });
      expect(((await pin.json()) as { story: Story }).story.pinned).toBe(true);
      const unpin = await api(`/api/stories/${story.id}/pin`, { method: 'POST', body: { pinned: false } });
      expect(((await unpin.json()) as { story: Story }).story.pinned).toBe(false);
      const decisions = review.services.stories.decisionsFor(story.id).map((decision) => decision.action);
      expect(decisions).toEqual([{ kind: 'pin', pinned: true }, { kind: 'pin', pinned: false }]);
    });

    it('answers 400 for bad ids, 404 for unknown stories and actions, 400 for a non-object body', async () => {
      for (const path of ['/api/stories/abc', '/api/stories/0', '/api/stories/-3', '/api/stories/1.5']) {
        const response = await api(path);
        expect(response.status, path).toBe(400);
        expect(((await response.json()) as { message: string }).message).toMatch(/positive whole number/);
      }
      expect((await api('/api/stories/abc/approve', { method: 'POST' })).status).toBe(400);
      const unknown = await api('/api/stories/987654');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: string }).error).toBe('story_not_found');
      expect((await api('/api/stories/987654/approve', { method: 'POST' })).status).toBe(404);
      const action = await api(`/api/stories/${all()[0].id}/publish`, { method: 'POST' });
      expect(action.status).toBe(404);
      expect(((await action.json()) as { message: string }).message).toMatch(/approve, reject, relabel, pin/);
      const arrayBody = await api(`/api/stories/${all()[0].id}/pin`, { method: 'POST', body: [true] });
      expect(arrayBody.status).toBe(400);
      const malformed = await fetch(`${review.origin}/api/stories/${all()[0].id}/pin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${EDITOR_TOKEN}`, 'content-type': 'application/json' },
        body: '{"pinned": tru',
      });
      expect(malformed.status).toBe(400);
    });

    it('refuses a cross-origin POST even with the right token', async () => {
      const target = find(/Flux 3/);
      const before = snapshot(target.id);
      const fromOtherSite = await api(`/api/stories/${target.id}/reject`, { method: 'POST', headers: { origin: 'http://evil.example' } });
      expect(fromOtherSite.status).toBe(403);
      const crossSite = await api(`/api/stories/${target.id}/reject`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      expect(snapshot(target.id)).toEqual(before);
    });

    it('retrains with the editor labels and reports before/after macro-F1', async () => {
      const response = await api('/api/retrain', { method: 'POST' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { adopted: boolean; beforeMacroF1: number; afterMacroF1: number; editorExamples: number };
      expect(body.beforeMacroF1).toBeGreaterThan(0.5);
      expect(body.beforeMacroF1).toBeLessThanOrEqual(1);
      expect(body.afterMacroF1).toBeGreaterThan(0.5);
      expect(body.adopted).toBe(body.afterMacroF1 >= body.beforeMacroF1);
      // The approval and the relabel made earlier in this file.
      expect(body.editorExamples).toBe(review.services.stories.editorTrainingExamples().length);
      expect(body.editorExamples).toBeGreaterThanOrEqual(2);
    });
  });

  describe('review page', () => {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${review.origin}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form(fields),
      });
    const signIn = async (editor: string): Promise<{ cookie: string; csrf: string; setCookie: string }> => {
      const response = await post('/review/login', { editor, token: EDITOR_TOKEN, next: '/review' });
      expect(response.status).toBe(303);
      const setCookie = response.headers.getSetCookie()[0];
      const cookie = setCookie.split(';')[0];
      const page = await (await fetch(`${review.origin}/review?status=all`, { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
      expect(csrf).toBeDefined();
      return { cookie, csrf: csrf!, setCookie };
    };

    it('shows the sign-in form with 401 and changes nothing without a session', async () => {
      const page = await fetch(`${review.origin}/review`, { redirect: 'manual' });
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain('action="/review/login"');
      expect(html).toContain('name="token"');

      const target = heldStories()[0];
      const before = snapshot(target.id);
      const action = await post(`/review/stories/${target.id}/approve`, { _csrf: 'anything' });
      expect(action.status).toBe(401);
      const forged = await post(`/review/stories/${target.id}/approve`, {}, { cookie: 'review_session=eyJlIjoiTWFsbG9yeSIsInQiOjB9.AAAA' });
      expect(forged.status).toBe(401);
      expect(snapshot(target.id)).toEqual(before);
    });

    it('refuses a wrong token and sets an HttpOnly, SameSite=Strict session cookie without the token', async () => {
      const wrong = await post('/review/login', { editor: 'Mallory', token: 'not-the-editor-token-at-all' });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.getSetCookie()).toEqual([]);
      expect(await wrong.text()).toMatch(/not the editor token/);

      const { setCookie, cookie } = await signIn('Page Editor');
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Path=\/review/);
      expect(setCookie).not.toContain(EDITOR_TOKEN);
      expect(decodeURIComponent(cookie)).not.toContain(EDITOR_TOKEN);
      expect(Buffer.from(cookie.split('=')[1].split('.')[0], 'base64url').toString()).not.toContain(EDITOR_TOKEN);
    });

    it('renders the queue with every title escaped and only its own nonce script', async () => {
      const { cookie } = await signIn('Page Editor <b>');
      const response = await fetch(`${review.origin}/review?status=all&perPage=100`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__xss = 2&quot;&gt; Pika 3');
      expect(html).not.toContain('<script>window.__xss');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;i&gt;video&lt;/i&gt;');
      expect(html).toContain('Summary with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;.');
      expect(html).toContain('Signed in as <strong>Page Editor &lt;b&gt;</strong>');
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      const scripts = html.match(/<script[^>]*>/g) ?? [];
      expect(scripts).toEqual([`<script nonce="${nonce}">`]);
      expect(response.headers.get('cache-control')).toBe('no-store');
      // What an editor needs to decide, per story.
      const veo = find(/Google unveils Veo 4/);
      const card = html.slice(html.indexOf(`id="story-${veo.id}"`), html.indexOf('</article>', html.indexOf(`id="story-${veo.id}"`)));
      expect(card).toContain('href="https://framewire.example/2026/11/veo-4');
      expect(card).toContain('FrameWire');
      expect(card).toContain('PixelPost');
      expect(card).toMatch(/Published/);
      for (const action of ['approve', 'reject', 'relabel', 'pin']) expect(card).toContain(`action="/review/stories/${veo.id}/${action}"`);
    });

    it('filters and pages the queue from GET parameters', async () => {
      const { cookie } = await signIn('Page Editor');
      const ids = async (query: string) => {
        const html = await (await fetch(`${review.origin}/review?${query}`, { headers: { cookie } })).text();
        return [...html.matchAll(/data-story-id="(\d+)"/g)].map((match) => Number(match[1]));
      };
      const approved = all().filter((story) => story.status === 'approved').map((story) => story.id);
      expect(approved.length).toBeGreaterThan(0);
      expect(await ids('status=approved')).toEqual(approved);
      const images = all().filter((story) => story.status === 'pending' && story.label === 'image').map((story) => story.id);
      expect(await ids('label=image')).toEqual(images);
      expect(await ids('status=all&perPage=3&page=2')).toEqual(all().slice(3, 6).map((story) => story.id));
      const bad = await fetch(`${review.origin}/review?status=done`, { headers: { cookie } });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/Unknown status/);
    });

    it('refuses posts without the CSRF token, with another session’s token, or from another origin', async () => {
      const mine = await signIn('Page Editor');
      const theirs = await signIn('Someone Else');
      expect(theirs.csrf).not.toBe(mine.csrf);
      const target = find(/Black Forest Labs/);
      const before = snapshot(target.id);
      const path = `/review/stories/${target.id}/reject`;

      expect((await post(path, {}, { cookie: mine.cookie })).status).toBe(403);
      expect((await post(path, { _csrf: 'forged' }, { cookie: mine.cookie })).status).toBe(403);
      expect((await post(path, { _csrf: theirs.csrf }, { cookie: mine.cookie })).status).toBe(403);
      expect((await post(path, { _csrf: mine.csrf }, { cookie: mine.cookie, origin: 'http://evil.example' })).status).toBe(403);
      expect((await post(path, { _csrf: mine.csrf }, { cookie: mine.cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      const json = await post(path, { _csrf: 'forged' }, { cookie: mine.cookie, accept: 'application/json' });
      expect(json.status).toBe(403);
      expect(((await json.json()) as { message: string }).message).toMatch(/CSRF/);
      expect(snapshot(target.id)).toEqual(before);
    });

    it('applies a form post as the signed-in editor and returns to the same view', async () => {
      const { cookie, csrf } = await signIn('Page Editor');
      const target = find(/Black Forest Labs/);
      const response = await post(
        `/review/stories/${target.id}/reject`,
        { _csrf: csrf, back: 'status=all&label=image&page=1' },
        { cookie, origin: review.origin, 'sec-fetch-site': 'same-origin' },
      );
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/review?status=all&label=image&decided=${target.id}#story-${target.id}`);
      expect(review.services.stories.getStory(target.id)).toMatchObject({ status: 'rejected', published: false });
      expect(review.services.stories.decisionsFor(target.id).at(-1)).toMatchObject({ action: { kind: 'reject' }, editor: 'Page Editor' });

      // The page's script asks for JSON and gets the re-rendered card.
      const relabel = await post(`/review/stories/${target.id}/relabel`, { _csrf: csrf, label: 'video' }, { cookie, accept: 'application/json' });
      expect(relabel.status).toBe(200);
      const body = (await relabel.json()) as { story: Story; html: string; message: string };
      expect(body.story.label).toBe('video');
      expect(body.message).toMatch(/Relabelled #\d+ as video/);
      expect(body.html).toMatch(new RegExp(`^<article class="story[^"]*" id="story-${target.id}"`));
      const badLabel = await post(`/review/stories/${target.id}/relabel`, { _csrf: csrf, label: 'audio' }, { cookie, accept: 'application/json' });
      expect(badLabel.status).toBe(400);
    });

    it('only ever redirects to the review page after sign-in', async () => {
      for (const next of ['//evil.example/review', 'https://evil.example/', '/review/../feeds/all.rss', '/\\evil.example']) {
        const response = await post('/review/login', { editor: 'Ana', token: EDITOR_TOKEN, next });
        expect(response.status, next).toBe(303);
        expect(response.headers.get('location'), next).toBe('/review');
      }
      const kept = await post('/review/login', { editor: 'Ana', token: EDITOR_TOKEN, next: '/review?status=all&label=video' });
      expect(kept.headers.get('location')).toBe('/review?status=all&label=video');
    });

    it('a tampered cookie is not a session', async () => {
      const { cookie } = await signIn('Page Editor');
      const [name, value] = cookie.split('=');
      const [, signature] = decodeURIComponent(value).split('.');
      const otherPayload = Buffer.from(JSON.stringify({ e: 'Mallory', t: Math.floor(Date.now() / 1000) })).toString('base64url');
      const response = await fetch(`${review.origin}/review`, { headers: { cookie: `${name}=${otherPayload}.${signature}` } });
      expect(response.status).toBe(401);
    });
  });
});

describe('review without an editor token', () => {
  let review: ReviewSite;
  beforeAll(async () => {
    review = await startReviewServer(null);
  }, 60_000);
  afterAll(async () => {
    await review?.close();
  });

  it('answers 503 explaining EDITOR_TOKEN on the page and the API, and changes nothing', async () => {
    const page = await fetch(`${review.origin}/review`);
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/EDITOR_TOKEN/);
    const login = await fetch(`${review.origin}/review/login`, { method: 'POST' });
    expect(login.status).toBe(503);

    const list = await fetch(`${review.origin}/api/stories`, { headers: { authorization: 'Bearer anything-at-all-1234567' } });
    expect(list.status).toBe(503);
    expect(((await list.json()) as { message: string }).message).toMatch(/EDITOR_TOKEN/);

    const story = review.services.stories.listForReview({ limit: 1, offset: 0 })[0];
    const version = review.services.stories.publicationState().version;
    const approve = await fetch(`${review.origin}/api/stories/${story.id}/approve`, { method: 'POST' });
    expect(approve.status).toBe(503);
    expect(review.services.stories.getStory(story.id)?.status).toBe('pending');
    expect(review.services.stories.publicationState().version).toBe(version);
  });
});

describe('editor sessions', () => {
  it('expire after their lifetime and end when the token is rotated', () => {
    let now = Date.parse('2026-11-24T08:00:00Z');
    const auth = new EditorAuth(EDITOR_TOKEN, () => now);
    const session = auth.issueSession('Ana');
    expect(auth.verifySession(session.value)?.editor).toBe('Ana');
    expect(auth.csrfMatches(session, auth.csrfTokenFor(session))).toBe(true);
    now += (SESSION_MAX_AGE_SECONDS - 1) * 1000;
    expect(auth.verifySession(session.value)).not.toBeNull();
    now += 2000;
    expect(auth.verifySession(session.value)).toBeNull();

    const rotated = new EditorAuth(`${EDITOR_TOKEN}-rotated`, () => Date.parse('2026-11-24T08:00:00Z'));
    expect(rotated.verifySession(session.value)).toBeNull();
    expect(() => new EditorAuth('short-token')).toThrow(/at least 16/);
  });
});
