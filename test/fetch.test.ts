import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextAttemptAfterFailure } from '../src/fetch/backoff';
import type { FetchOutcome } from '../src/fetch/fetch-document';
import { fetchFeedDocument } from '../src/fetch/fetch-document';
import type { FetchOptions } from '../src/fetch/fetch-options';
import { DEFAULT_FETCH_OPTIONS } from '../src/fetch/fetch-options';
import { parseRetryAfter } from '../src/fetch/retry-after';
import { approveTarget, blockedAddressReason } from '../src/fetch/ssrf-guard';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'feeds');
const fixtureBytes = (name: string): Buffer => readFileSync(join(fixtures, name));

const FIFTY_MB = 50 * 1024 * 1024;
const RSS_TYPE = 'application/rss+xml';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What the feed server saw, so tests can assert on requests that must (not) have happened. */
interface ServerLog {
  requests: number;
  lastHeaders: http.IncomingHttpHeaders;
  hugeBytesSent: number;
}

/** Streams `total` bytes honouring backpressure and stops as soon as the client goes away. */
function streamBytes(res: http.ServerResponse, total: number, log: ServerLog): void {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      log.hugeBytesSent = sent;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

function feedRoutes(log: ServerLog, otherOrigin: () => string): Record<string, Handler> {
  const rss2 = fixtureBytes('rss2.xml');
  const serve = (body: Buffer, contentType: string): Handler => (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  };
  const status = (code: number, headers: Record<string, string> = {}): Handler => (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain', ...headers });
    res.end(`status ${code}`);
  };
  const redirect = (location: () => string, code = 302): Handler => (_req, res) => {
    res.writeHead(code, { location: location() });
    res.end();
  };
  return {
    '/rss2.xml': (req, res) => {
      const etag = '"rss2-v1"';
      const lastModified = 'Tue, 04 Mar 2025 15:00:00 GMT';
      if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304, { etag, 'last-modified': lastModified });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': `${RSS_TYPE}; charset=utf-8`, etag, 'last-modified': lastModified });
      res.end(rss2);
    },
    '/gzip.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(rss2));
    },
    '/br.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-encoding': 'br' });
      res.end(zlib.brotliCompressSync(rss2));
    },
    '/status/500': status(500),
    '/status/404': status(404),
    '/status/410': status(410),
    '/status/429': status(429, { 'retry-after': '120' }),
    '/status/503': status(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }),
    '/html': serve(fixtureBytes('html-page.html'), 'text/html; charset=utf-8'),
    '/html-as-xml': serve(fixtureBytes('html-page.html'), 'application/xml'),
    '/malformed.xml': serve(fixtureBytes('malformed.xml'), RSS_TYPE),
    '/truncated.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-length': rss2.length });
      res.write(rss2.subarray(0, 500));
      setTimeout(() => res.socket?.destroy(), 20);
    },
    '/huge-declared': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-length': FIFTY_MB });
      streamBytes(res, FIFTY_MB, log);
    },
    '/huge-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE });
      streamBytes(res, FIFTY_MB, log);
    },
    '/gzip-bomb': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE, 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(Buffer.alloc(FIFTY_MB, ' '), { level: 9 }));
    },
    '/drip': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE });
      res.write('<');
      const timer = setInterval(() => res.write('r'), 1000);
      res.on('close', () => clearInterval(timer));
    },
    '/loop-a': redirect(() => '/loop-b'),
    '/loop-b': redirect(() => '/loop-a', 301),
    '/chain/1': redirect(() => '../rss2.xml', 307),
    '/chain/2': redirect(() => '1', 308),
    '/chain/3': redirect(() => '/chain/2'),
    '/deep/1': redirect(() => '/rss2.xml'),
    ...Object.fromEntries([2, 3, 4, 5, 6, 7].map((n) => [`/deep/${n}`, redirect(() => `/deep/${n - 1}`)])),
    '/to-other-origin': redirect(() => `${otherOrigin()}/rss2.xml`),
    '/to-file': redirect(() => 'file:///etc/passwd'),
    '/cp1252-declared.xml': serve(fixtureBytes('cp1252-declared.xml'), RSS_TYPE),
    '/cp1252-labelled.xml': serve(fixtureBytes('cp1252-undeclared.xml'), `${RSS_TYPE}; charset=windows-1252`),
    '/cp1252-mislabelled-utf8.xml': serve(fixtureBytes('cp1252-undeclared.xml'), 'text/xml; charset=UTF-8'),
    '/cp1252-declared-latin1.xml': serve(fixtureBytes('cp1252-declared-latin1.xml'), 'text/xml'),
    '/utf16le-bom.xml': serve(fixtureBytes('utf16le-bom.xml'), 'text/xml; charset=utf-8'),
    '/utf16be-bom.xml': serve(fixtureBytes('utf16be-bom.xml'), 'application/xml'),
  };
}

function startServer(routes: (log: ServerLog) => Record<string, Handler>): Promise<{ server: http.Server; origin: string; log: ServerLog }> {
  const log: ServerLog = { requests: 0, lastHeaders: {}, hugeBytesSent: 0 };
  const table = routes(log);
  const server = http.createServer((req, res) => {
    log.requests += 1;
    log.lastHeaders = req.headers;
    const handler = table[new URL(req.url ?? '/', 'http://x').pathname];
    if (handler) handler(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}`, log });
    });
  });
}

let feedServer: Awaited<ReturnType<typeof startServer>>;
let otherServer: Awaited<ReturnType<typeof startServer>>;
let options: FetchOptions;

beforeAll(async () => {
  otherServer = await startServer(() => ({
    '/rss2.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': RSS_TYPE });
      res.end(fixtureBytes('rss2.xml'));
    },
  }));
  feedServer = await startServer((log) => feedRoutes(log, () => otherServer.origin));
  options = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5_000, allowedHosts: [new URL(feedServer.origin).host] };
});

afterAll(async () => {
  for (const { server } of [feedServer, otherServer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const noValidators = { etag: null, lastModified: null };
const url = (path: string): string => `${feedServer.origin}${path}`;

function expectFailure(outcome: FetchOutcome, code: string) {
  if (outcome.kind !== 'failed') throw new Error(`expected failure ${code}, got ${outcome.kind}`);
  expect(outcome.error.code).toBe(code);
  return outcome.error;
}

function expectFetched(outcome: FetchOutcome) {
  if (outcome.kind !== 'fetched') throw new Error(`expected a document, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const feed: FeedSource = { id: 'test', name: 'Test', url: 'http://127.0.0.1/', enabled: true };

describe('fetchFeedDocument: success paths', () => {
  it('fetches a feed, sends feed headers and returns validators', async () => {
    const outcome = expectFetched(await fetchFeedDocument(url('/rss2.xml'), noValidators, options));
    expect(outcome.body).toContain('Runway ships');
    expect(outcome.etag).toBe('"rss2-v1"');
    expect(outcome.lastModified).toBe('Tue, 04 Mar 2025 15:00:00 GMT');
    expect(outcome.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(feedServer.log.lastHeaders['user-agent']).toBe(options.userAgent);
    expect(feedServer.log.lastHeaders.accept).toMatch(/application\/rss\+xml.*application\/atom\+xml/);
    expect(feedServer.log.lastHeaders['accept-encoding']).toMatch(/gzip.*br/);
  });

  it('answers not-modified to a conditional GET with the ETag or Last-Modified it got', async () => {
    const first = expectFetched(await fetchFeedDocument(url('/rss2.xml'), noValidators, options));
    const byEtag = await fetchFeedDocument(url('/rss2.xml'), { etag: first.etag, lastModified: null }, options);
    expect(byEtag).toEqual({ kind: 'not-modified', etag: '"rss2-v1"', lastModified: 'Tue, 04 Mar 2025 15:00:00 GMT' });
    expect(feedServer.log.lastHeaders['if-none-match']).toBe('"rss2-v1"');
    const byDate = await fetchFeedDocument(url('/rss2.xml'), { etag: null, lastModified: first.lastModified }, options);
    expect(byDate.kind).toBe('not-modified');
  });

  it('decompresses gzip and brotli bodies', async () => {
    for (const path of ['/gzip.xml', '/br.xml']) {
      const outcome = expectFetched(await fetchFeedDocument(url(path), noValidators, options));
      expect(outcome.body).toContain('Runway ships');
    }
  });

  it('follows relative redirects and reports the final URL', async () => {
    const outcome = expectFetched(await fetchFeedDocument(url('/chain/3'), noValidators, options));
    expect(outcome.finalUrl).toBe(url('/rss2.xml'));
  });
});

describe('fetchFeedDocument: hostile zoo', () => {
  it('maps 500 and 404 to retryable http-status and 410 to permanent', async () => {
    const e500 = expectFailure(await fetchFeedDocument(url('/status/500'), noValidators, options), 'http-status');
    expect(e500).toMatchObject({ status: 500, permanent: false });
    expect(e500.message).toContain(url('/status/500'));
    const e404 = expectFailure(await fetchFeedDocument(url('/status/404'), noValidators, options), 'http-status');
    expect(e404).toMatchObject({ status: 404, permanent: false });
    const e410 = expectFailure(await fetchFeedDocument(url('/status/410'), noValidators, options), 'http-status');
    expect(e410).toMatchObject({ status: 410, permanent: true });
  });

  it('reads Retry-After on 429 (seconds) and 503 (HTTP date)', async () => {
    const e429 = expectFailure(await fetchFeedDocument(url('/status/429'), noValidators, options), 'http-status');
    expect(e429).toMatchObject({ status: 429, retryAfterSeconds: 120 });
    const e503 = expectFailure(await fetchFeedDocument(url('/status/503'), noValidators, options), 'http-status');
    expect(e503.retryAfterSeconds).toBeGreaterThan(3_500);
    expect(e503.retryAfterSeconds).toBeLessThanOrEqual(3_600);
  });

  it('refuses an HTML page served instead of a feed, whatever its Content-Type', async () => {
    for (const path of ['/html', '/html-as-xml']) {
      expectFailure(await fetchFeedDocument(url(path), noValidators, options), 'not-a-feed');
    }
  });

  it('passes malformed XML to the parser, which reports it as malformed', async () => {
    const outcome = expectFetched(await fetchFeedDocument(url('/malformed.xml'), noValidators, options));
    const parsed = await parseFeedDocument(outcome.body, feed, new Date(), outcome.finalUrl);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });

  it('reports a body cut short by the server as a network error', async () => {
    const error = expectFailure(await fetchFeedDocument(url('/truncated.xml'), noValidators, options), 'network');
    expect(error.message).toContain('/truncated.xml');
  });

  it('rejects a declared 50 MB body before reading it', async () => {
    const started = performance.now();
    expectFailure(await fetchFeedDocument(url('/huge-declared'), noValidators, DEFAULT_OPTIONS_FOR_TEST()), 'too-large');
    console.log(`[measure] reject 50 MB body with Content-Length: ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('aborts an undeclared 50 MB body as soon as the cap is passed, with bounded memory', async () => {
    feedServer.log.hugeBytesSent = 0;
    global.gc?.();
    const before = process.memoryUsage();
    let peakExternal = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakExternal = Math.max(peakExternal, now.arrayBuffers + now.heapUsed - before.arrayBuffers - before.heapUsed);
    }, 5);
    const started = performance.now();
    const outcome = await fetchFeedDocument(url('/huge-chunked'), noValidators, DEFAULT_OPTIONS_FOR_TEST());
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    expectFailure(outcome, 'too-large');
    console.log(
      `[measure] reject undeclared 50 MB body (10 MiB cap): ${elapsed.toFixed(0)} ms, server wrote ${(feedServer.log.hugeBytesSent / 1048576).toFixed(1)} MiB, peak heap+buffers growth ${(peakExternal / 1048576).toFixed(1)} MiB`,
    );
    expect(elapsed).toBeLessThan(3_000);
    // The server was stopped long before sending all 50 MB.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(feedServer.log.hugeBytesSent).toBeLessThan(FIFTY_MB / 2);
    expect(peakExternal).toBeLessThan(40 * 1024 * 1024);
  });

  it('applies the cap to decompressed bytes (gzip bomb)', async () => {
    const error = expectFailure(await fetchFeedDocument(url('/gzip-bomb'), noValidators, options), 'too-large');
    expect(error.message).toContain('/gzip-bomb');
  });

  it('times out a server that drips one byte per second, within the overall deadline', async () => {
    const started = performance.now();
    const error = expectFailure(await fetchFeedDocument(url('/drip'), noValidators, { ...options, timeoutMs: 2_000 }), 'timeout');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(3_000);
    expect(error.message).toContain('/drip');
  });

  it('detects redirect loops and chains longer than the limit', async () => {
    const loop = expectFailure(await fetchFeedDocument(url('/loop-a'), noValidators, options), 'too-many-redirects');
    expect(loop.message).toMatch(/loop/i);
    expectFailure(await fetchFeedDocument(url('/deep/7'), noValidators, options), 'too-many-redirects');
    expectFetched(await fetchFeedDocument(url('/deep/5'), noValidators, options));
  });

  it('refuses a redirect to a file: URL', async () => {
    expectFailure(await fetchFeedDocument(url('/to-file'), noValidators, options), 'bad-url');
  });
});

describe('fetchFeedDocument: character sets', () => {
  const expectedTitle = '“Sora’s” new model — 4K at 60 fps';
  const cases: Array<[string, string]> = [
    ['/cp1252-declared.xml', 'windows-1252 declared in the XML declaration only'],
    ['/cp1252-labelled.xml', 'windows-1252 in the Content-Type'],
    ['/cp1252-mislabelled-utf8.xml', 'windows-1252 bytes labelled UTF-8'],
    ['/cp1252-declared-latin1.xml', 'windows-1252 bytes declared ISO-8859-1'],
    ['/utf16le-bom.xml', 'UTF-16LE with BOM, labelled UTF-8'],
    ['/utf16be-bom.xml', 'UTF-16BE with BOM'],
  ];
  for (const [path, description] of cases) {
    it(`decodes ${description}`, async () => {
      const outcome = expectFetched(await fetchFeedDocument(url(path), noValidators, options));
      const parsed = await parseFeedDocument(outcome.body, feed, new Date('2025-06-01T00:00:00Z'), outcome.finalUrl);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.feedTitle).toBe('Café Cinéma AI');
      expect(parsed.items[0].title).toBe(expectedTitle);
      expect(parsed.items[0].summary).toBe('Résumé: ‘short’ clips … longer soon.');
      expect(outcome.body).not.toContain('\uFFFD');
    });
  }
});

describe('SSRF guard', () => {
  const strict = (): FetchOptions => ({ ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5_000 });

  it('refuses 127.0.0.1 and localhost by default without sending a request', async () => {
    const before = feedServer.log.requests;
    const port = new URL(feedServer.origin).port;
    for (const target of [url('/rss2.xml'), `http://localhost:${port}/rss2.xml`, `http://[::ffff:127.0.0.1]:${port}/rss2.xml`]) {
      const error = expectFailure(await fetchFeedDocument(target, noValidators, strict()), 'blocked-address');
      expect(error.permanent).toBe(false);
    }
    expect(feedServer.log.requests).toBe(before);
  });

  it('allows the loopback server with allowPrivateNetworks or an allowedHosts entry for its host:port', async () => {
    expectFetched(await fetchFeedDocument(url('/rss2.xml'), noValidators, { ...strict(), allowPrivateNetworks: true }));
    expectFetched(await fetchFeedDocument(url('/rss2.xml'), noValidators, { ...strict(), allowedHosts: [new URL(feedServer.origin).host] }));
    expectFailure(await fetchFeedDocument(url('/rss2.xml'), noValidators, { ...strict(), allowedHosts: ['127.0.0.1:1'] }), 'blocked-address');
  });

  it('an allowedUrls entry lets exactly that URL through, not its redirect nor a neighbour on the same origin', async () => {
    const before = feedServer.log.requests;
    expectFetched(await fetchFeedDocument(url('/rss2.xml'), noValidators, { ...strict(), allowedUrls: [url('/rss2.xml')] }));
    expect(feedServer.log.requests).toBe(before + 1);
    // /deep/1 redirects to /rss2.xml on the same loopback origin: the exception ends at the first hop.
    expectFailure(await fetchFeedDocument(url('/deep/1'), noValidators, { ...strict(), allowedUrls: [url('/deep/1')] }), 'blocked-address');
    expectFailure(await fetchFeedDocument(url('/rss2.xml'), noValidators, { ...strict(), allowedUrls: [url('/deep/1')] }), 'blocked-address');
    expect(feedServer.log.requests).toBe(before + 2);
  });

  it('connects by host name through the pinned, approved addresses', async () => {
    const port = new URL(feedServer.origin).port;
    const outcome = await fetchFeedDocument(`http://localhost:${port}/rss2.xml`, noValidators, {
      ...strict(),
      allowedHosts: [`localhost:${port}`],
    });
    expect(expectFetched(outcome).body).toContain('Runway ships');
  });

  it('checks every redirect hop: an allowed host cannot bounce the fetch to a blocked one', async () => {
    const before = otherServer.log.requests;
    expectFailure(await fetchFeedDocument(url('/to-other-origin'), noValidators, options), 'blocked-address');
    expect(otherServer.log.requests).toBe(before);
  });

  it('refuses file: and ftp: URLs as permanent bad-url', async () => {
    for (const target of ['file:///etc/passwd', 'ftp://ftp.example.com/feed.xml', 'not a url']) {
      const error = expectFailure(await fetchFeedDocument(target, noValidators, strict()), 'bad-url');
      expect(error.permanent).toBe(true);
    }
  });

  it('refuses the cloud metadata address without connecting', async () => {
    const started = performance.now();
    const error = expectFailure(
      await fetchFeedDocument('http://169.254.169.254/latest/meta-data/', noValidators, strict()),
      'blocked-address',
    );
    // A connection attempt to an unreachable address would take far longer than this.
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.message).toContain('169.254.169.254');
  });

  it('classifies private, special and public addresses', () => {
    const blocked = ['10.1.2.3', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '127.8.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:169.254.169.254'];
    for (const address of blocked) expect(blockedAddressReason(address), address).not.toBeNull();
    for (const address of ['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700:4700::1111']) expect(blockedAddressReason(address), address).toBeNull();
  });

  it('refuses a name that resolves to any private address and pins the approved address', async () => {
    const mixed = await approveTarget(new URL('http://rebind.example/feed'), strict(), async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    expect(mixed).toMatchObject({ ok: false, error: { code: 'blocked-address' } });
    const publicOnly = await approveTarget(new URL('http://news.example/feed'), strict(), async () => [{ address: '93.184.216.34', family: 4 }]);
    expect(publicOnly).toMatchObject({ ok: true, target: { addresses: [{ address: '93.184.216.34', family: 4 }] } });
    const unresolvable = await approveTarget(new URL('http://nowhere.invalid/feed'), strict(), async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    });
    expect(unresolvable).toMatchObject({ ok: false, error: { code: 'dns' } });
  });
});

describe('backoff and Retry-After', () => {
  const now = new Date('2025-06-01T00:00:00.000Z');
  const policy = { baseMinutes: 5, maxMinutes: 240 };
  const minutesUntil = (date: Date): number => (date.getTime() - now.getTime()) / 60_000;

  it('doubles the delay per consecutive failure up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => minutesUntil(nextAttemptAfterFailure(n, now, undefined, policy)))).toEqual([
      5, 10, 20, 40, 80, 160, 240, 240,
    ]);
  });

  it('lets a longer Retry-After win, and a shorter one lose', () => {
    expect(minutesUntil(nextAttemptAfterFailure(1, now, 3_600, policy))).toBe(60);
    expect(minutesUntil(nextAttemptAfterFailure(4, now, 60, policy))).toBe(40);
    // A Retry-After of a year is clamped to a day so the feed is not silenced indefinitely.
    expect(minutesUntil(nextAttemptAfterFailure(1, now, 365 * 86_400, policy))).toBe(24 * 60);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:10:00 GMT', now)).toBe(600);
    expect(parseRetryAfter('Sat, 31 May 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

function DEFAULT_OPTIONS_FOR_TEST(): FetchOptions {
  // The production byte cap (10 MiB), against the loopback test server.
  return { ...options, maxBytes: DEFAULT_FETCH_OPTIONS.maxBytes };
}
