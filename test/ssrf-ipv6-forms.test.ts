/**
 * IPv6 spellings that reach private or loopback IPv4 space are refused by the SSRF guard, written
 * in the URL or returned by DNS: IPv4-compatible (::/96, e.g. [::127.0.0.1], which URL parsing
 * turns into [::7f00:1]) and NAT64 (64:ff9b::/96). Public IPv6 stays allowed.
 */
import { describe, expect, it } from 'vitest';
import { fetchFeedDocument } from '../src/fetch/fetch-document';
import { DEFAULT_FETCH_OPTIONS } from '../src/fetch/fetch-options';
import { approveTarget } from '../src/fetch/ssrf-guard';

const strict = { allowPrivateNetworks: false, allowedHosts: [] as string[] };
const noValidators = { etag: null, lastModified: null };

describe('SSRF guard: IPv4 embedded in IPv6', () => {
  it('refuses IPv4-compatible and NAT64 literals in feed URLs before connecting', async () => {
    for (const host of ['[::127.0.0.1]', '[::7f00:1]', '[::10.0.0.1]', '[::a9fe:a9fe]', '[64:ff9b::127.0.0.1]', '[64:ff9b::a00:1]', '[64:ff9b::a9fe:a9fe]']) {
      const verdict = await approveTarget(new URL(`http://${host}:8080/feed.xml`), strict);
      expect(verdict.ok, host).toBe(false);
    }
    const result = await fetchFeedDocument('http://[::127.0.0.1]:3000/demo/framewire.rss', noValidators, { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 2_000 });
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.error.code).toBe('blocked-address');
  });

  it('refuses a name whose DNS answer is an IPv4-compatible or NAT64 form of a private address', async () => {
    for (const address of ['::7f00:1', '::c0a8:101', '64:ff9b::7f00:1']) {
      const verdict = await approveTarget(new URL('http://feeds.example/rss'), strict, async () => [{ address, family: 6 }]);
      expect(verdict.ok, address).toBe(false);
    }
    const publicV6 = await approveTarget(new URL('http://feeds.example/rss'), strict, async () => [{ address: '2606:4700:4700::1111', family: 6 }]);
    expect(publicV6.ok).toBe(true);
  });
});
