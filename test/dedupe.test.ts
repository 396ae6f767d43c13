import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../src/dedupe/canonical-url';
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
