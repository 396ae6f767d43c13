import { describe, expect, it } from 'vitest';
import { canonicalizeParsedUrl, canonicalizeUrl, canonicalizeUrlByLibrary } from '../src/dedupe/canonical-url';
import { jaccard, lshBuckets, pickDuplicate, titleTokens, tokenHashes } from '../src/dedupe/title-signature';

describe('canonicalizeUrl', () => {
  it('treats tracking-parameter, case, fragment and trailing-slash variants as one URL', () => {
    const variants = [
      'https://News.Example.com/ai/veo-4/',
      'https://news.example.com/ai/veo-4?utm_source=rss&utm_medium=feed',
      'https://news.example.com/ai/veo-4#comments',
      'https://news.example.com:443/ai/veo-4?fbclid=IwAR123&gclid=xyz',
      'HTTPS://NEWS.EXAMPLE.COM/ai/veo-4?mc_cid=1&mc_eid=2',
    ];
    const canonical = new Set(variants.map((url) => canonicalizeUrl(url)));
    expect([...canonical]).toEqual(['https://news.example.com/ai/veo-4']);
  });

  it('keeps parameters that identify the article, in a stable order', () => {
    expect(canonicalizeUrl('https://example.com/read?id=42&page=2&utm_campaign=x')).toBe(
      canonicalizeUrl('https://example.com/read?page=2&id=42'),
    );
    expect(canonicalizeUrl('https://example.com/read?id=42')).not.toBe(canonicalizeUrl('https://example.com/read?id=43'));
  });

  it('resolves relative links and refuses non-http schemes', () => {
    expect(canonicalizeUrl('/posts/1', 'https://blog.example/feed.xml')).toBe('https://blog.example/posts/1');
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('not a url')).toBeNull();
  });

  it('gives exactly what normalize-url gives, for URLs the shortcut takes and for those it leaves to the library', () => {
    const hosts = ['example.com', 'Example.COM', 'www.example.com', 'example.com.', 'b\u00fccher.example', '127.0.0.1', '[::1]', 'example.com:443', 'example.com:8080', 'user:pw@example.com', '@example.com'];
    const paths = ['', '/', '/a', '/a/', '/a//b', '//a', '/a/./b', '/a/../b', '/%41b', '/caf%C3%A9', '/caf\u00e9', '/a%2Fb', '/a b', '/a|b', '/a\\b', '/http://x.com//y', '/%zz'];
    const queries = ['', '?', '?&', '?utm_source=x', '?utm_source=x&fbclid=y', '?UTM_Source=x', '?utm%5Fsource=x', '?utm_source', '?id=1', '?b=2&a=1', '?id=1&utm_source=x', '?a&b=1', '?=x', '?q=a+b', '?x=/'];
    const fragments = ['', '#', '#frag', '#:~:text=hello'];
    const urls: string[] = [' https://example.com/a ', 'javascript:alert(1)', 'not a url', '', 'ftp://example.com/a', '//example.com/a'];
    for (const scheme of ['http://', 'HTTPS://']) {
      for (const host of hosts) for (const path of paths) for (const query of queries) for (const fragment of fragments) urls.push(`${scheme}${host}${path}${query}${fragment}`);
    }
    for (const url of urls) {
      const expected = canonicalizeUrlByLibrary(url);
      expect(canonicalizeUrl(url), url).toBe(expected);
      const parsed = URL.canParse(url.trim()) ? new URL(url.trim()) : null;
      if (parsed) expect(canonicalizeParsedUrl(parsed), url).toBe(expected);
    }
    for (const relative of ['/posts/1/', '../a?utm_source=x', '?id=2', '#x', '//other.example/p']) {
      expect(canonicalizeUrl(relative, 'https://blog.example/feed.xml')).toBe(canonicalizeUrlByLibrary(relative, 'https://blog.example/feed.xml'));
    }
  });
});

describe('near-duplicate headlines', () => {
  const a = titleTokens('Google unveils Veo 4 with native audio and 4K output');
  const b = titleTokens('Google unveils Veo 4, adding native audio and 4K output');
  const c = titleTokens('Google unveils Imagen 5 for photorealistic product shots');

  it('scores rewordings of one headline as similar and different stories as dissimilar', () => {
    expect(jaccard(a, b)).toBeGreaterThanOrEqual(0.6);
    expect(jaccard(a, c)).toBeLessThan(0.3);
  });

  it('puts similar headlines into a shared LSH bucket, so they are found without a full scan', () => {
    const bucketsA = new Set(lshBuckets(tokenHashes(a)));
    expect(lshBuckets(tokenHashes(b)).some((bucket) => bucketsA.has(bucket))).toBe(true);
    const bucketsC = new Set(lshBuckets(tokenHashes(c)));
    expect([...bucketsA].some((bucket) => bucketsC.has(bucket))).toBe(false);
  });

  it('never joins a story the same outlet already reported', () => {
    const candidates = [{ storyId: 7, hashes: tokenHashes(a) }];
    const feedsOf = (storyId: number) => (storyId === 7 ? ['framewire'] : []);
    expect(pickDuplicate(tokenHashes(b), 'framewire', candidates, 0.6, feedsOf)).toBeNull();
    expect(pickDuplicate(tokenHashes(b), 'pixelpost', candidates, 0.6, feedsOf)).toEqual({ storyId: 7, similarity: jaccard(a, b) });
    expect(pickDuplicate(tokenHashes(c), 'pixelpost', candidates, 0.6, feedsOf)).toBeNull();
  });
});
