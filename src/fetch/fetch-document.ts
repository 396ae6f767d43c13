import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { decodeFeedBody } from './decode-body';
import type { FetchError } from './fetch-error';
import { fetchError } from './fetch-error';
import type { FetchOptions } from './fetch-options';
import { looksLikeHtmlPage } from './feed-sniff';
import { parseRetryAfter } from './retry-after';
import type { ApprovedTarget } from './ssrf-guard';
import { approveTarget, parseFeedUrl } from './ssrf-guard';

export type { FetchError } from './fetch-error';

/** Validators from the previous successful fetch of the same feed (FeedState.etag / lastModified). */
export interface ConditionalRequest {
  etag: string | null;
  lastModified: string | null;
}

export type FetchOutcome =
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null }
  | {
      kind: 'fetched';
      /** The body decoded to text (charset from BOM, Content-Type, XML declaration, else UTF-8). */
      body: string;
      /** The URL after redirects; relative links in the document resolve against it. */
      finalUrl: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    }
  | { kind: 'failed'; error: FetchError };

type HopResult = FetchOutcome | { kind: 'redirect'; location: string; status: number };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function failed(error: FetchError): FetchOutcome {
  return { kind: 'failed', error };
}

function timeoutError(url: URL, options: FetchOptions): FetchError {
  return fetchError('timeout', `Timed out after ${options.timeoutMs} ms fetching ${url.href}`);
}

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/**
 * Connects only to addresses the SSRF guard approved instead of resolving the name a second time,
 * which a rebinding DNS server could answer with a private address. Handing over all approved
 * addresses keeps Node's happy-eyeballs fallback (e.g. ::1 refused, 127.0.0.1 listening) working.
 */
function pinnedLookup(target: ApprovedTarget): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean } | undefined)?.all) {
      callback(null, target.addresses);
    } else {
      callback(null, target.addresses[0].address, target.addresses[0].family);
    }
  };
}

function decompressorFor(contentEncoding: string | null): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null | 'unsupported' {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip();
  // createUnzip-style auto-detection is not available for deflate; servers overwhelmingly send zlib-wrapped deflate.
  if (encoding === 'deflate') return zlib.createInflate();
  if (encoding === 'br') return zlib.createBrotliDecompress();
  return 'unsupported';
}

function networkError(url: URL, err: NodeJS.ErrnoException): FetchError {
  const code = err.code ?? 'ERROR';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fetchError('dns', `Cannot resolve ${url.hostname} for ${url.href}: ${code}`);
  return fetchError('network', `Network error fetching ${url.href}: ${code} ${err.message}`);
}

/** One HTTP exchange against an approved address; never rejects. */
function requestOnce(
  target: ApprovedTarget,
  conditional: ConditionalRequest,
  options: FetchOptions,
  deadline: number,
): Promise<HopResult> {
  const url = target.url;
  return new Promise<HopResult>((resolve) => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const finish = (result: HopResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      resolve(result);
    };
    // The deadline covers headers and body together, so a server that drips a byte a second still ends here.
    const timer = setTimeout(() => finish(failed(timeoutError(url, options))), Math.max(0, deadline - Date.now()));

    const headers: Record<string, string> = {
      'User-Agent': options.userAgent,
      Accept: FEED_ACCEPT,
      'Accept-Encoding': 'gzip, deflate, br',
    };
    if (conditional.etag) headers['If-None-Match'] = conditional.etag;
    if (conditional.lastModified) headers['If-Modified-Since'] = conditional.lastModified;

    const transport = url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      request = transport.request(url, { method: 'GET', headers, agent: false, lookup: pinnedLookup(target) });
    } catch (err) {
      finish(failed(networkError(url, err as NodeJS.ErrnoException)));
      return;
    }
    cleanups.push(() => request.destroy());
    request.on('error', (err) => finish(failed(networkError(url, err))));

    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const etag = headerValue(response.headers.etag);
      const lastModified = headerValue(response.headers['last-modified']);
      const location = headerValue(response.headers.location);

      if (REDIRECT_STATUSES.has(status) && location) {
        finish({ kind: 'redirect', location, status });
        return;
      }
      if (status === 304 && (conditional.etag || conditional.lastModified)) {
        finish({ kind: 'not-modified', etag: etag ?? conditional.etag, lastModified: lastModified ?? conditional.lastModified });
        return;
      }
      if (status < 200 || status > 299) {
        const retryAfterSeconds =
          status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after'], new Date()) : undefined;
        const statusText = response.statusMessage ? ` ${response.statusMessage}` : '';
        finish(
          failed(
            fetchError('http-status', `HTTP ${status}${statusText} from ${url.href}`, {
              status,
              retryAfterSeconds,
              permanent: status === 410,
            }),
          ),
        );
        return;
      }

      const declaredLength = Number(headerValue(response.headers['content-length']) ?? NaN);
      const contentEncoding = headerValue(response.headers['content-encoding']);
      // Content-Length counts wire bytes; only for an uncompressed body is it the decoded size too.
      const tooLargeUpFront = Number.isFinite(declaredLength) && declaredLength > options.maxBytes;
      if (tooLargeUpFront) {
        finish(failed(fetchError('too-large', `Body of ${url.href} is ${declaredLength} bytes, over the ${options.maxBytes} byte limit`)));
        return;
      }

      const decompressor = decompressorFor(contentEncoding);
      if (decompressor === 'unsupported') {
        finish(failed(fetchError('network', `Unsupported Content-Encoding "${contentEncoding}" from ${url.href}`)));
        return;
      }
      let body: Readable = response;
      if (decompressor) {
        cleanups.push(() => decompressor.destroy());
        decompressor.on('error', (err) =>
          finish(failed(fetchError('network', `Corrupt ${contentEncoding} body from ${url.href}: ${err.message}`))),
        );
        body = response.pipe(decompressor);
      }

      const chunks: Buffer[] = [];
      let received = 0;
      body.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > options.maxBytes) {
          finish(failed(fetchError('too-large', `Body of ${url.href} exceeds the ${options.maxBytes} byte limit`)));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (err) => finish(failed(networkError(url, err))));
      response.on('aborted', () =>
        finish(failed(fetchError('network', `Connection closed before the body of ${url.href} was complete`))),
      );
      body.on('end', () => {
        if (settled) return;
        if (!response.complete) {
          finish(failed(fetchError('network', `Connection closed before the body of ${url.href} was complete`)));
          return;
        }
        const contentType = headerValue(response.headers['content-type']);
        const { text } = decodeFeedBody(Buffer.concat(chunks, received), contentType);
        if (looksLikeHtmlPage(text)) {
          finish(failed(fetchError('not-a-feed', `${url.href} returned an HTML page, not an RSS/Atom feed`)));
          return;
        }
        finish({ kind: 'fetched', body: text, finalUrl: url.href, contentType, etag, lastModified });
      });
    });

    request.end();
  });
}

/** Runs the SSRF check (which may wait on DNS) within what is left of the deadline. */
async function approveWithinDeadline(url: URL, options: FetchOptions, deadline: number): Promise<ApprovedTarget | FetchError> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<FetchError>((resolve) => {
    timer = setTimeout(() => resolve(timeoutError(url, options)), Math.max(0, deadline - Date.now()));
  });
  const approved = approveTarget(url, options).then((result) => (result.ok ? result.target : result.error));
  try {
    return await Promise.race([approved, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isFetchError(value: ApprovedTarget | FetchError): value is FetchError {
  return 'code' in value;
}

/**
 * Fetches one feed document with conditional GET, following redirects manually so every hop passes the
 * SSRF guard, within one overall deadline and a cap on decoded bytes. Never throws: failures are values.
 */
export async function fetchFeedDocument(
  url: string,
  conditional: ConditionalRequest,
  options: FetchOptions,
): Promise<FetchOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const parsed = parseFeedUrl(url);
  if (!parsed.ok) return failed(parsed.error);

  const visited = new Set<string>();
  let current = parsed.url;
  for (let redirects = 0; ; redirects++) {
    visited.add(current.href);
    const approved = await approveWithinDeadline(current, options, deadline);
    if (isFetchError(approved)) return failed(approved);

    const result = await requestOnce(approved, conditional, options, deadline);
    if (result.kind !== 'redirect') return result;

    let next: URL;
    try {
      next = new URL(result.location, current);
    } catch {
      return failed(fetchError('bad-url', `Invalid redirect Location "${result.location}" from ${current.href}`));
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      return failed(fetchError('bad-url', `Refusing redirect from ${current.href} to non-http URL ${next.href}`));
    }
    if (visited.has(next.href)) {
      return failed(fetchError('too-many-redirects', `Redirect loop: ${current.href} redirects back to ${next.href}`));
    }
    if (redirects >= options.maxRedirects) {
      return failed(fetchError('too-many-redirects', `More than ${options.maxRedirects} redirects starting at ${url}`));
    }
    current = next;
  }
}
