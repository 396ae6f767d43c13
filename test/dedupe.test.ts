import { describe, expect, it } from 'vitest';
import { canonicalizeParsedUrl, canonicalizeUrl, canonicalizeUrlByLibrary } from '../src/dedupe/canonical-url';
import { buildEventDoc, type EventDoc } from '../src/dedupe/event-doc';
import { EventIndex } from '../src/dedupe/event-index';
import { eventTerms, rawWords } from '../src/dedupe/event-terms';
import { readCorpusExamples } from '../src/classify/corpus';
import { loadEventScorer } from '../src/dedupe/event-scorer-file';
import { TermStats } from '../src/dedupe/term-stats';

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

describe('what identifies an event in a report', () => {
  it('reads amounts, resolutions, durations and versions the way outlets write them differently', () => {
    const one = eventTerms('Pika raises $80 million for 10-second 1080p clips', 'Pika 2.0 is out. Version 5 of its app follows.');
    const other = eventTerms('Pika Raises $80M', 'The startup says Pika 2 renders 10 seconds at 1080p; the app reaches V5.');
    for (const figure of ['$80m', '10s', '1080p']) {
      expect(one.figures).toContain(figure);
      expect(other.figures).toContain(figure);
    }
    for (const version of ['pika 2', 'v 5']) {
      expect(one.versions).toContain(version);
      expect(other.versions).toContain(version);
    }
  });

  it('finds names by their capitals mid-sentence, in Title Case only when the summary agrees, and never beat words', () => {
    const terms = eventTerms(
      'Stability AI Names A New Chief Executive',
      'Stability AI said on Monday that Prem Akkaraju will lead the Stable Diffusion maker.',
    );
    expect(terms.entities).toEqual(expect.arrayContaining(['stability', 'prem akkaraju', 'stable diffusion']));
    // Capitalised in the Title Case headline only: not a name.
    expect(terms.entities).not.toContain('chief');
    const headlineWords = terms.title.map((stem) => stem.text);
    expect(headlineWords).toContain('name');
    expect(headlineWords).not.toContain('ai');
  });

  it('splits words and sentences exactly as the pattern it hand-codes (on corpus and fuzzed text)', () => {
    // The pattern the scanner implements: a word starts with a Latin letter, digit or currency sign.
    const WORD = /[A-Za-z0-9\u00C0-\u024F$€£][A-Za-z0-9\u00C0-\u024F'’.\-$%€£]*/g;
    const reference = (text: string) => {
      const words: { text: string; sentenceStart: boolean }[] = [];
      let lastEnd = 0;
      for (const match of text.matchAll(WORD)) {
        const token = match[0].replace(/[.'’\-]+$/, '').replace(/['’][sS]$/, '');
        if (token === '') continue;
        const gap = text.slice(lastEnd, match.index);
        const previous = text.charAt(lastEnd - 1);
        const sentenceStart =
          words.length === 0 || /[:!?]/.test(gap) || (/\s/.test(gap) && previous === '.') || /^\s*[-–—|]\s*$/.test(gap);
        lastEnd = match.index + match[0].length;
        words.push({ text: token, sentenceStart });
      }
      return words;
    };
    const pieces = ['Veo', '3', '$40', "'s", '’', '.', ' ', '  ', '-', ':', '!', '—', '|', 'É', 'GPT-4o', '10-second', '\u00A0', '\n', '%', '£3bn', 'Ω', '2,000', 'U.S.', "Runway's.", "HEYGEN'S", "it’s-"];
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const texts = readCorpusExamples('data/corpus').map((example) => `${example.title} ${example.summary}`);
    for (let i = 0; i < 3000; i += 1) {
      let text = '';
      for (let k = 0; k < 25; k += 1) text += pieces[Math.floor(random() * pieces.length)] + (random() < 0.5 ? ' ' : '');
      texts.push(text);
    }
    for (const text of texts) {
      expect(rawWords(text).map(({ text: word, sentenceStart }) => ({ text: word, sentenceStart }))).toEqual(reference(text));
    }
  });

  it('gives every word its lower case and one shared reading in either case, past the size of its word cache', () => {
    // More distinct words than the scanner caches (50,000), each read in lower and in upper case.
    for (let batch = 0; batch < 70; batch += 1) {
      const words = Array.from({ length: 1000 }, (_, i) => `w${(batch * 1000 + i).toString(36)}x`);
      const lower = rawWords(words.join(' '));
      const upper = rawWords(words.map((word) => word.toUpperCase()).join(' '));
      expect(lower.map((word) => word.lower)).toEqual(words);
      expect(upper.map((word) => word.lower)).toEqual(words);
      expect(upper.map((word) => word.text)).toEqual(words.map((word) => word.toUpperCase()));
      for (let i = 0; i < words.length; i += 1) expect(upper[i].info).toBe(lower[i].info);
    }
  });

  it('takes the headline\'s first name as the subject of the news', () => {
    expect(eventTerms('Kleiner Perkins leads $60 million bet on video app Captions', 'Kleiner Perkins led the round in Captions.').subject).toBe('kleiner');
    expect(eventTerms('Captions raises $60 million led by Index Ventures', 'The video editing app Captions raised a Series C.').subject).toBe('captions');
    expect(eventTerms('what a week for ai video', 'Nothing here is capitalised.').subject).toBeNull();
  });
});

describe('word rarity', () => {
  it('a copy of the background counts weighs words as the background does, and learning in it leaves the background unchanged', () => {
    const background = new TermStats();
    for (const title of ['Runway raises $308 million', 'Pika adds lip sync to its video app', 'Runway opens a film festival'])
      buildEventDoc({ storyId: 0, feedId: 'corpus', title, summary: '', publishedAt: '2026-01-01T00:00:00Z' }, background);
    const runway = background.nameId('runway');
    const copy = new TermStats().copyFrom(background);
    expect(copy.nameId('runway')).toBe(runway);
    expect(copy.idf(runway)).toBe(background.idf(runway));
    buildEventDoc({ storyId: 0, feedId: 'verge', title: 'Runway launches Gen-4', summary: '', publishedAt: '2026-01-02T00:00:00Z' }, copy);
    expect(copy.idf(runway)).toBeLessThan(background.idf(runway));
    expect(new TermStats().copyFrom(background).idf(runway)).toBe(background.idf(runway));
    expect(() => copy.copyFrom(background)).toThrow(/empty/);
  });
});

describe('the same-event index', () => {
  const at = (hour: number) => new Date(Date.UTC(2026, 10, 24, hour)).toISOString();
  const setup = () => {
    const stats = new TermStats();
    const index = new EventIndex(stats, loadEventScorer(), 4 * 86_400_000);
    const doc = (storyId: number, feedId: string, title: string, summary: string, hour: number): EventDoc =>
      buildEventDoc({ storyId, feedId, title, summary, publishedAt: at(hour) }, stats);
    return { index, doc };
  };

  it('joins another outlet\'s report in its own words, never the same outlet twice, never another version', () => {
    const { index, doc } = setup();
    index.add(doc(1, 'verge', 'Google launches Veo 3 with native audio', 'Veo 3 from Google DeepMind generates 8-second 1080p clips with sound.', 1));
    index.add(doc(2, 'verge', 'Runway raises $308 million', 'The Gen-4 maker is now valued above $3 billion.', 1));
    const sameEvent = doc(0, 'decoder', "DeepMind's Veo 3 adds sound to AI video", 'Google DeepMind says Veo 3 renders 1080p clips of eight seconds, with dialogue.', 3);
    expect(index.match(sameEvent)?.storyId).toBe(1);
    const sameOutlet = doc(0, 'verge', "DeepMind's Veo 3 adds sound to AI video", 'Google DeepMind says Veo 3 renders 1080p clips of eight seconds, with dialogue.', 3);
    expect(index.match(sameOutlet)).toBeNull();
    const otherVersion = doc(0, 'decoder', 'Google launches Veo 2 with native audio', 'Veo 2 from Google DeepMind generates 8-second 1080p clips with sound.', 3);
    expect(index.match(otherVersion)).toBeNull();
  });

  it('keeps one investor\'s rounds in two startups apart, but joins reports of one round that lead with the investor', () => {
    const { index, doc } = setup();
    index.add(
      doc(1, 'techcrunch', 'Captions raises $60M Series C led by Kleiner Perkins', 'The AI video editing app Captions said on Tuesday it raised $60 million in a round led by Kleiner Perkins, with Index Ventures joining.', 1),
    );
    const otherStartup = doc(
      0,
      'venturebeat',
      'Hedra raises $32M Series A led by Kleiner Perkins',
      'Hedra, which animates talking characters from a photo, raised $32 million in a round led by Kleiner Perkins, with Index Ventures joining.',
      3,
    );
    expect(index.match(otherStartup)).toBeNull();
    const sameRound = doc(
      0,
      'axios',
      'Kleiner Perkins leads $60 million bet on video app Captions',
      'Kleiner Perkins led the $60 million Series C in Captions, the AI video editing app, the company said.',
      3,
    );
    expect(index.match(sameRound)?.storyId).toBe(1);
  });

  it('forgets reports that leave the window', () => {
    const { index, doc } = setup();
    index.add(doc(1, 'verge', 'Google launches Veo 3 with native audio', 'Veo 3 generates clips with sound.', 1));
    expect(index.size).toBe(1);
    expect(index.evictBefore(Date.parse(at(2)))).toBe(1);
    expect(index.size).toBe(0);
    expect(index.match(doc(0, 'decoder', 'Google launches Veo 3 with native audio', 'Veo 3 generates clips with sound.', 3))).toBeNull();
  });
});
