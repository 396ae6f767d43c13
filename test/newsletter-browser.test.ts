/**
 * The digest mail's HTML part in real headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * it opens with every story's link and lead image (a placeholder where a story has none), the feed's
 * markup stays text, and its unsubscribe link leads to a button that unsubscribes.
 * Everything is served on 127.0.0.1; any other request is aborted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscribersRepository } from '../src/store/subscribers-repository';
import { startNewsletterSite, THURSDAY, type NewsletterSite } from './support/newsletter-site';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A valid 8×6 solid-colour PNG, built here so the test needs no binary fixture. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5a)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

describe('digest mail HTML in headless Chromium', () => {
  let sink: SmtpSink;
  let site: NewsletterSite;
  let images: Server;
  let imageOrigin = '';
  let context: BrowserContext;
  let profile: string;
  let imageStoryId = 0;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const picture = png(8, 6);
    images = createServer((req, res) => {
      if (req.url === '/lead.png') res.writeHead(200, { 'content-type': 'image/png' }).end(picture);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    site = await startNewsletterSite(
      { smtpUrl: sink.url },
      // One story with a reachable lead image; the rest have none.
      { leadImage: (storyId) => (storyId === imageStoryId ? `${imageOrigin}/lead.png` : null) },
    );
    profile = mkdtempSync(path.join(tmpdir(), 'newsletter-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith('http://127.0.0.1:') || url.startsWith('about:') || url.startsWith('data:') ? route.continue() : route.abort();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await site?.close();
    await sink?.close();
    await new Promise<void>((resolve) => (images ? images.close(() => resolve()) : resolve()));
  });

  it('shows every story with its link and image or placeholder, and its unsubscribe link works', async () => {
    // Sign up with the index page's form and confirm as a reader would.
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${site.origin}/`);
    await page.fill('#newsletter-email', 'reader@example.com');
    await Promise.all([page.waitForURL(`${site.origin}/newsletter/subscribe`), page.click('.newsletter-signup button[type="submit"]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Check your inbox');
    await sink.waitFor(1);
    const confirmUrl = /http:\/\/\S+\/newsletter\/confirm\?token=\S+/.exec(sink.messages[0].parsed.text ?? '')?.[0] as string;
    await page.goto(confirmUrl);
    await Promise.all([page.waitForURL(/\/newsletter\/confirm/), page.click('#confirm-button')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('You are subscribed');

    const issue = site.buildIssue(THURSDAY);
    const stories = issue.sections.flatMap((section) => section.stories);
    imageStoryId = stories[0].storyId;
    expect(await site.newsletter.sendLatest()).toMatchObject({ sent: 1, failed: [] });
    const mail = sink.messages.at(-1) as ReceivedMail;

    // A fresh tab (about:blank), as a mail client shows it: no site page's CSP around it.
    const inbox = await context.newPage();
    inbox.setDefaultTimeout(10_000);
    await inbox.setContent(String(mail.parsed.html), { waitUntil: 'load' });
    await inbox.waitForFunction('[...document.images].every((image) => image.complete)');
    expect(await inbox.locator('.story').count()).toBe(stories.length);
    for (const story of stories) {
      const link = inbox.locator(`a.story-link[href="${site.origin}/stories/${story.storyId}"]`);
      await expect(link.isVisible()).resolves.toBe(true);
      // The headline is shown as text, exactly as the feed wrote it (markup included, never run).
      await expect(link.textContent()).resolves.toBe(story.title);
      const card = inbox.locator('.story', { has: link });
      if (story.storyId === imageStoryId) {
        const loaded = await card.locator('img.lead-image').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth);
        expect(loaded).toBe(8);
      } else {
        await expect(card.locator('.lead-placeholder').isVisible()).resolves.toBe(true);
        expect(await card.locator('img').count()).toBe(0);
      }
    }
    expect(await inbox.evaluate('document.querySelectorAll("script").length')).toBe(0);

    // A story link opens its story page.
    await Promise.all([inbox.waitForURL(`${site.origin}/stories/${stories[0].storyId}`), inbox.click(`a.story-link[href="${site.origin}/stories/${stories[0].storyId}"]`)]);
    await expect(inbox.locator('h1').textContent()).resolves.toBe(stories[0].title);

    // The visible unsubscribe link: a page with a button, and the button unsubscribes.
    await inbox.goto('about:blank');
    await inbox.setContent(String(mail.parsed.html), { waitUntil: 'load' });
    await Promise.all([inbox.waitForURL(/\/newsletter\/unsubscribe\?token=/), inbox.click('a.unsubscribe')]);
    const subscribers = new SubscribersRepository(site.services.db);
    expect(subscribers.findByEmail('reader@example.com')?.status).toBe('confirmed');
    await Promise.all([inbox.waitForURL(/\/newsletter\/unsubscribe/), inbox.click('#unsubscribe-button')]);
    await expect(inbox.locator('h1').textContent()).resolves.toBe('You are unsubscribed');
    expect(subscribers.findByEmail('reader@example.com')).toBeNull();
  }, 60_000);
});
