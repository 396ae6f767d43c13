/**
 * The newsletter end to end against a real SMTP server on 127.0.0.1 (smtp-server) and the real HTTP
 * app: sign-up -> confirmation mail -> POST confirm -> digest mail (text + HTML, RFC 8058 headers) ->
 * no second mail -> one-click unsubscribe -> the next issue skips the address.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkSigner } from '../src/newsletter/link-tokens';
import { SubscribersRepository } from '../src/store/subscribers-repository';
import { GEN5_IMAGE, NEXT_MONDAY, startNewsletterSite, THURSDAY, type NewsletterSite } from './support/newsletter-site';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink';

const EDITOR_TOKEN = 'newsletter-editor-token-0123456789';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** One header of a raw message, unfolded (long values are folded onto continuation lines). */
function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

/** The first link in a mail's text part that starts with `prefix`. */
function linkIn(mail: ReceivedMail, prefix: string): string {
  const match = new RegExp(`${prefix.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}[^\\s>]+`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no ${prefix} link in:\n${mail.parsed.text}`);
  return match[0];
}

describe('newsletter over real SMTP', () => {
  let sink: SmtpSink;
  let site: NewsletterSite;
  let subscribers: SubscribersRepository;

  beforeAll(async () => {
    sink = await startSmtpSink();
    site = await startNewsletterSite(
      { smtpUrl: sink.url, from: 'Test Wire <digest@news.example>', signupsPerWindow: 12 },
      { extraConfig: { review: { editorToken: EDITOR_TOKEN } } },
    );
    subscribers = new SubscribersRepository(site.services.db);
  });

  afterAll(async () => {
    await site?.close();
    await sink?.close();
  });

  const subscribeAndConfirm = async (email: string): Promise<void> => {
    const before = sink.messages.length;
    const response = await fetch(`${site.origin}/newsletter/subscribe`, form({ email }));
    expect(response.status).toBe(202);
    await sink.waitFor(before + 1);
    const confirmation = sink.to(email).at(-1) as ReceivedMail;
    const link = linkIn(confirmation, `${site.origin}/newsletter/confirm?token=`);
    expect((await fetch(link, form({}))).status).toBe(200);
  };

  it('sign-up sends a confirmation mail; the link GET confirms nothing, its POST confirms', async () => {
    const page = await fetch(`${site.origin}/newsletter/subscribe`, form({ email: '  Ada.Lovelace@Example.ORG ' }));
    expect(page.status).toBe(202);
    expect(await page.text()).toContain('Check your inbox');
    await sink.waitFor(1);
    const [confirmation] = sink.to('ada.lovelace@example.org');
    expect(confirmation.parsed.subject).toBe('Confirm your subscription to Test Wire');
    expect(confirmation.parsed.from?.text).toContain('digest@news.example');
    const link = linkIn(confirmation, `${site.origin}/newsletter/confirm?token=`);
    expect(confirmation.parsed.html).toContain(link.replaceAll('&', '&amp;'));

    // A mail scanner prefetching the link (twice) confirms nothing.
    for (let i = 0; i < 2; i += 1) {
      const shown = await fetch(link);
      expect(shown.status).toBe(200);
      expect(await shown.text()).toContain('Confirm subscription');
    }
    expect(subscribers.findByEmail('ada.lovelace@example.org')?.status).toBe('pending');

    const confirmed = await fetch(link, form({}));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');
    expect(subscribers.findByEmail('ada.lovelace@example.org')?.status).toBe('confirmed');
  });

  it('answers alike for new and already-subscribed addresses, and sends nothing to a confirmed one', async () => {
    const asJson = (email: string) =>
      fetch(`${site.origin}/newsletter/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email }),
      });
    const known = await asJson('ada.lovelace@example.org');
    const fresh = await asJson('grace@example.net');
    expect(known.status).toBe(202);
    expect(fresh.status).toBe(202);
    expect(await known.json()).toEqual(await fresh.json());
    await sink.waitFor(2);
    await site.newsletter.subscriptions.settled();
    expect(sink.to('ada.lovelace@example.org')).toHaveLength(1);
    expect(sink.to('grace@example.net')).toHaveLength(1);
    // Entering a pending address again soon after does not mail it again either.
    expect((await asJson('grace@example.net')).status).toBe(202);
    await site.newsletter.subscriptions.settled();
    expect(sink.to('grace@example.net')).toHaveLength(1);
    const link = linkIn(sink.to('grace@example.net')[0], `${site.origin}/newsletter/confirm?token=`);
    expect((await fetch(link, { method: 'POST', headers: { accept: 'application/json' } })).status).toBe(200);
  });

  it('refuses a bad address with the reason and keeps what was typed, escaped', async () => {
    const response = await fetch(`${site.origin}/newsletter/subscribe`, form({ email: 'not-an-address"><b>x' }));
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('does not look like an e-mail address');
    expect(body).toContain('value="not-an-address&quot;&gt;&lt;b&gt;x"');
    const json = await fetch(`${site.origin}/newsletter/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_email' });
  });

  it('refuses a sign-up form posted from another site', async () => {
    const before = sink.messages.length;
    const response = await fetch(`${site.origin}/newsletter/subscribe`, {
      ...form({ email: 'victim@example.com' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    await site.newsletter.subscriptions.settled();
    expect(sink.messages.length).toBe(before);
    expect(subscribers.findByEmail('victim@example.com')).toBeNull();
  });

  it('send-digest mails the issue once per confirmed subscriber: both parts, both headers, escaped text', async () => {
    const issue = site.buildIssue(THURSDAY);
    const before = sink.messages.length;
    const report = await site.newsletter.sendLatest();
    expect(report).toMatchObject({ digestId: issue.id, outcome: 'done', sent: 2, alreadySent: 0, failed: [] });
    const digests = sink.messages.slice(before);
    expect(digests.map((mail) => mail.to[0]).sort()).toEqual(['ada.lovelace@example.org', 'grace@example.net']);

    const mail = digests.find((m) => m.to[0] === 'ada.lovelace@example.org') as ReceivedMail;
    expect(mail.parsed.subject).toBe('Test Wire digest — Thursday, 5 March 2026');
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.text).toContain('Runway Gen-5 adds camera control and minute-long shots');
    expect(mail.parsed.html).toContain('Runway Gen-5 adds camera control and minute-long shots');
    const rawUnsubscribe = rawHeader(mail.raw, 'List-Unsubscribe') ?? '';
    expect(rawUnsubscribe).toMatch(new RegExp(`^<${site.origin}/newsletter/unsubscribe\\?token=[^>]+>$`));
    expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Visible unsubscribe link, the same URL as the header.
    expect(mail.parsed.text).toContain(rawUnsubscribe.slice(1, -1));
    expect(mail.parsed.html).toContain(`href="${rawUnsubscribe.slice(1, -1)}"`);

    // Every story of the issue links to its story page, in both parts.
    for (const section of issue.sections) {
      for (const entry of section.stories) {
        expect(mail.parsed.html).toContain(`href="${site.origin}/stories/${entry.storyId}"`);
        expect(mail.parsed.text).toContain(`${site.origin}/stories/${entry.storyId}`);
      }
    }
    // Lead images where a story has one, a placeholder block where it has none.
    expect(mail.parsed.html).toContain(`<img class="lead-image" src="${GEN5_IMAGE}"`);
    const storiesInMail = issue.sections.reduce((n, section) => n + section.stories.length, 0);
    expect(String(mail.parsed.html).match(/class="lead-image"/g)).toHaveLength(2);
    expect(String(mail.parsed.html).match(/class="lead-placeholder"/g)).toHaveLength(storiesInMail - 2);
    // The feed's markup arrives as visible text, never as markup.
    expect(mail.parsed.html).not.toMatch(/<script|<img src=x|<b>cleanly/i);
    expect(mail.parsed.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Midjourney V8 &amp; the &quot;poster&quot; test');
    expect(mail.parsed.text).toContain('<script>alert("x")</script> Midjourney V8 & the "poster" test');
  });

  it('sending again mails nothing new', async () => {
    const before = sink.messages.length;
    const report = await site.newsletter.sendLatest();
    expect(report).toMatchObject({ sent: 0, alreadySent: 2, failed: [] });
    expect(sink.messages.length).toBe(before);
  });

  it('one-click unsubscribe deletes the address at once and the next issue skips it', async () => {
    const digest = sink.to('grace@example.net').at(-1) as ReceivedMail;
    const url = (rawHeader(digest.raw, 'List-Unsubscribe') as string).slice(1, -1);
    // The GET (a link prefetch) changes nothing and offers a button.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Unsubscribe</button>');
    expect(subscribers.findByEmail('grace@example.net')?.status).toBe('confirmed');

    // What a mailbox provider sends (RFC 8058): a multipart form POST from its servers, no Origin.
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const oneClick = await fetch(url, { method: 'POST', body });
    expect(oneClick.status).toBe(200);
    expect(subscribers.findByEmail('grace@example.net')).toBeNull();
    const countRow = site.services.db.prepare(`SELECT COUNT(*) FROM newsletter_sends s JOIN newsletter_subscribers u ON u.id = s.subscriber_id WHERE u.email = ?`).pluck().get('grace@example.net');
    expect(countRow).toBe(0);
    // The link does nothing more once the address is gone.
    expect((await fetch(url, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(404);

    const next = site.buildIssue(NEXT_MONDAY);
    const before = sink.messages.length;
    const report = await site.newsletter.sendLatest();
    expect(report).toMatchObject({ digestId: next.id, sent: 1, failed: [] });
    expect(sink.messages.slice(before).map((mail) => mail.to[0])).toEqual(['ada.lovelace@example.org']);
    expect(sink.messages.at(-1)?.parsed.subject).toBe('Test Wire digest — Monday, 9 March 2026');
  });

  it('retries a temporarily refused mail with backoff and reports a permanent failure', async () => {
    await subscribeAndConfirm('linus@example.com');
    const before = sink.messages.length;
    sink.failNext(2);
    const report = await site.newsletter.sendLatest();
    expect(report).toMatchObject({ sent: 1, alreadySent: 1, failed: [] });
    expect(sink.messages.length).toBe(before + 1);
    const linus = subscribers.findByEmail('linus@example.com');
    expect(subscribers.sendRecord(linus?.id as number, report?.digestId as number)).toMatchObject({ status: 'sent', attempts: 3 });

    await subscribeAndConfirm('margaret@example.com');
    sink.failNext(10);
    const failed = await site.newsletter.sendLatest();
    expect(failed?.sent).toBe(0);
    expect(failed?.failed).toEqual([
      expect.objectContaining({ email: 'margaret@example.com', attempts: 4, error: expect.stringContaining('451') }),
    ]);
    sink.failNext(0);
    // The next run retries it.
    expect(await site.newsletter.sendLatest()).toMatchObject({ sent: 1, failed: [] });

    // A permanent refusal (5xx) is reported after one try, not retried in the same run.
    await subscribeAndConfirm('gone.mailbox@example.com');
    sink.refuse('gone.mailbox@example.com');
    const refused = await site.newsletter.sendLatest();
    expect(refused?.failed).toEqual([
      expect.objectContaining({ email: 'gone.mailbox@example.com', attempts: 1, error: expect.stringContaining('550') }),
    ]);
    // Cleared from the lists below: the reader unsubscribes.
    const gone = subscribers.findByEmail('gone.mailbox@example.com');
    subscribers.delete(gone?.id as number);
  });

  it('an unconfirmed sign-up expires after confirmDays: its link says so and it is deleted', async () => {
    const old = subscribers.signUp('late@example.com', new Date(Date.now() - 4 * 86_400_000));
    const signer = new LinkSigner(subscribers.signingSecret());
    const link = `${site.origin}/newsletter/confirm?token=${signer.sign('confirm', old.subscriber)}`;
    expect((await fetch(link)).status).toBe(410);
    expect((await fetch(link, form({}))).status).toBe(410);
    expect(subscribers.findByEmail('late@example.com')).toBeNull();
    // Forged or mangled tokens prove nothing.
    const forged = `${site.origin}/newsletter/unsubscribe?token=${subscribers.findByEmail('ada.lovelace@example.org')?.id}.${'A'.repeat(43)}`;
    expect((await fetch(forged, form({}))).status).toBe(404);
    expect(subscribers.findByEmail('ada.lovelace@example.org')).not.toBeNull();
  });

  it('editors see the counts on the review page and export confirmed subscribers as CSV with the token', async () => {
    const csvUrl = `${site.origin}/api/newsletter/subscribers.csv`;
    expect((await fetch(csvUrl)).status).toBe(401);
    expect((await fetch(csvUrl, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const csv = await fetch(csvUrl, { headers: { authorization: `Bearer ${EDITOR_TOKEN}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe('email,subscribed_at,confirmed_at');
    expect(rows.slice(1).map((row) => row.split(',')[0]).sort()).toEqual(['ada.lovelace@example.org', 'linus@example.com', 'margaret@example.com']);

    await fetch(`${site.origin}/newsletter/subscribe`, form({ email: 'pending.reader@example.com' }));
    const login = await fetch(`${site.origin}/review/login`, { ...form({ editor: 'Eve', token: EDITOR_TOKEN, next: '/review' }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const review = await (await fetch(`${site.origin}/review`, { headers: { cookie } })).text();
    expect(review).toContain('Newsletter: <strong>3</strong> confirmed subscribers, 1 awaiting confirmation');
    const viaSession = await fetch(`${site.origin}/review/newsletter/subscribers.csv`, { headers: { cookie } });
    expect(viaSession.status).toBe(200);
    expect((await viaSession.text()).split('\r\n')).toHaveLength(5);
  });

  it('throttles sign-ups per client address', async () => {
    let last = 0;
    for (let i = 0; i < 13 && last !== 429; i += 1) {
      last = (await fetch(`${site.origin}/newsletter/subscribe`, form({ email: `burst${i}@example.com` }))).status;
    }
    expect(last).toBe(429);
    expect(subscribers.findByEmail('burst12@example.com')).toBeNull();
    // Another client address (Linux routes all of 127.0.0.0/8 to loopback) is not affected.
    const fromOtherAddress = await new Promise<number>((resolve, reject) => {
      const body = 'email=neighbour%40example.com';
      const request = httpRequest(
        `${site.origin}/newsletter/subscribe`,
        { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(fromOtherAddress).toBe(202);
  });

  it('the index and story pages carry the sign-up form', async () => {
    const index = await (await fetch(`${site.origin}/`)).text();
    expect(index).toMatch(/<form method="post" action="\/newsletter\/subscribe"/);
    const issue = site.buildIssue(THURSDAY);
    const story = await (await fetch(`${site.origin}/stories/${issue.sections[0].stories[0].storyId}`)).text();
    expect(story).toContain('Enjoy this story? Get the next one in your inbox.');
    expect(story).toMatch(/<input id="newsletter-email" name="email" type="email"/);
  });
});

describe('newsletter with no SMTP configured', () => {
  let site: NewsletterSite;

  beforeAll(async () => {
    site = await startNewsletterSite({});
  });
  afterAll(async () => site?.close());

  it('writes every message as an .eml file into the outbox', async () => {
    const outbox = site.services.config.newsletter.outboxDir;
    expect(outbox).toBe(path.join(site.services.dir, 'data', 'outbox'));
    expect((await fetch(`${site.origin}/newsletter/subscribe`, form({ email: 'offline@example.com' }))).status).toBe(202);
    await site.newsletter.subscriptions.settled();
    const files = () => readdirSync(outbox).filter((name) => name.endsWith('.eml')).sort();
    expect(files()).toHaveLength(1);
    const confirmation = await simpleParser(readFileSync(path.join(outbox, files()[0])));
    const link = /http:\/\/\S+\/newsletter\/confirm\?token=\S+/.exec(confirmation.text ?? '')?.[0] as string;
    expect((await fetch(link, form({}))).status).toBe(200);

    site.buildIssue(THURSDAY);
    const report = await site.newsletter.sendLatest();
    expect(report).toMatchObject({ sent: 1, failed: [] });
    expect(report?.transport).toContain(outbox);
    expect(files()).toHaveLength(2);
    const raws = files().map((name) => readFileSync(path.join(outbox, name), 'utf8'));
    const parsed = await Promise.all(raws.map((text) => simpleParser(text)));
    const index = parsed.findIndex((mail) => mail.subject?.startsWith('Test Wire digest'));
    const [raw, digest] = [raws[index], parsed[index]];
    expect(digest.to && 'text' in digest.to ? digest.to.text : '').toBe('offline@example.com');
    expect(digest.text).toContain('Runway Gen-5');
    expect(digest.html).toContain('Runway Gen-5');
    expect(rawHeader(raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/newsletter\/unsubscribe\?token=/);
    expect(rawHeader(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });
});

describe('newsletter configuration', () => {
  it('takes SMTP_URL and NEWSLETTER_SECRET from the environment and names a bad smtpUrl', async () => {
    const { buildConfig, ConfigError } = await import('../src/config/load-config');
    const options = (env: Record<string, string>) => ({ file: '/srv/wire/feeds.config.json', baseDir: '/srv/wire', env });
    const fromEnv = buildConfig({}, options({ SMTP_URL: 'smtps://u%40x.org:pw@smtp.x.org:465', NEWSLETTER_SECRET: 'k'.repeat(32) }));
    expect(fromEnv.newsletter).toMatchObject({ smtpUrl: 'smtps://u%40x.org:pw@smtp.x.org:465', secret: 'k'.repeat(32), outboxDir: '/srv/wire/data/outbox' });
    expect(buildConfig({}, options({})).newsletter.smtpUrl).toBeNull();
    expect(() => buildConfig({ newsletter: { smtpUrl: 'http://mail.example' } }, options({}))).toThrow(ConfigError);
    expect(() => buildConfig({ newsletter: { smtpUrl: 'http://mail.example' } }, options({}))).toThrow(/newsletter\.smtpUrl: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });
});

describe('the service digest job', () => {
  let sink: SmtpSink;
  let site: NewsletterSite;

  beforeAll(async () => {
    sink = await startSmtpSink();
    site = await startNewsletterSite({ smtpUrl: sink.url });
  });
  afterAll(async () => {
    await site?.close();
    await sink?.close();
  });

  it('mails each new issue right after building it, to readers confirmed by then, once', async () => {
    const { runDigestJob } = await import('../src/jobs/digest-job');
    const { createDigestBuilder } = await import('../src/digest/build-digest');
    const subscribers = new SubscribersRepository(site.services.db);
    const confirmedAt = (email: string, when: string) => {
      const { subscriber } = subscribers.signUp(email, new Date(when));
      subscribers.confirm(subscriber.id, new Date(when));
    };
    confirmedAt('early@example.com', '2026-03-04T12:00:00Z');
    confirmedAt('later@example.com', '2026-03-06T12:00:00Z');
    const deps = { builder: createDigestBuilder(site.services), newsletter: site.newsletter, logger: { info: () => undefined } };

    const thursday = await runDigestJob(deps, new Date('2026-03-05T08:00:30Z'));
    expect(thursday.built.map((result) => result.created)).toEqual([true]);
    expect(thursday.send).toMatchObject({ periodDate: '2026-03-05', sent: 1, failed: [] });
    expect(sink.messages.map((mail) => [mail.to[0], mail.parsed.subject])).toEqual([
      ['early@example.com', 'Test Wire digest — Thursday, 5 March 2026'],
    ]);

    // A restart (or the next tick before a new period) builds nothing and sends nothing twice.
    const again = await runDigestJob(deps, new Date('2026-03-06T13:00:00Z'));
    expect(again.built).toEqual([]);
    expect(again.send).toMatchObject({ sent: 0, alreadySent: 1 });
    expect(sink.messages).toHaveLength(1);

    const monday = await runDigestJob(deps, new Date('2026-03-09T08:00:30Z'));
    expect(monday.send).toMatchObject({ periodDate: '2026-03-09', sent: 2, failed: [] });
    expect(sink.messages.slice(1).map((mail) => mail.to[0]).sort()).toEqual(['early@example.com', 'later@example.com']);
  });
});

describe('subscriber CSV', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', async () => {
    const { subscribersCsv } = await import('../src/http/newsletter/subscriber-export');
    const row = (email: string) => ({ id: 1, email, nonce: 'n', status: 'confirmed' as const, createdAt: '2026-03-01T10:00:00.000Z', confirmedAt: '2026-03-01T10:05:00.000Z', confirmationSentAt: null });
    expect(subscribersCsv([row('=HYPERLINK("http://x")@example.com'), row('plain@example.com')]).split('\r\n')).toEqual([
      'email,subscribed_at,confirmed_at',
      `"'=HYPERLINK(""http://x"")@example.com",2026-03-01T10:00:00.000Z,2026-03-01T10:05:00.000Z`,
      'plain@example.com,2026-03-01T10:00:00.000Z,2026-03-01T10:05:00.000Z',
      '',
    ]);
  });
});

describe('sign-up throttle key', () => {
  it('is the IPv4 address, or the /64 network of an IPv6 address', async () => {
    const { throttleKey } = await import('../src/http/newsletter/newsletter-routes');
    expect(throttleKey('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('2001:db8:1:2:aaaa::1')).toBe(throttleKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(throttleKey('2001:db8:1:2::1')).not.toBe(throttleKey('2001:db8:1:3::1'));
    expect(throttleKey(undefined)).toBe('unknown');
  });
});
