import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import xml2js from 'xml2js';
import { hostileDocuments } from '../bench/parse-hostile-bench';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { htmlToPlainText, htmlToPlainTextByConverter } from '../src/parse/plain-text';
import { prepareFeedXml } from '../src/parse/prepare-xml';
import { readSimpleXml, scanSimpleXml, UNCLOSED_ROOT } from '../src/parse/simple-xml';
import { parseXmlTree, parseXmlTreeWithSax, readXmlTree } from '../src/parse/xml-tree';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'feeds');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

const feed: FeedSource = { id: 'frame-pixel', name: 'Frame & Pixel', url: 'https://frame-pixel.example/feed.xml', enabled: true };
const fetchedAt = new Date('2025-06-10T00:00:00.000Z');

async function parseOk(xml: string, documentUrl = feed.url, maxItems?: number) {
  const result = await parseFeedDocument(xml, feed, fetchedAt, documentUrl, maxItems ? { maxItems } : {});
  if (!result.ok) throw new Error(`expected a parsed feed, got ${result.error.code}: ${result.error.message}`);
  return result;
}

describe('parseFeedDocument: RSS 2.0', () => {
  it('normalizes titles, links, summaries, authors, categories and dates', async () => {
    const result = await parseOk(fixture('rss2.xml'));
    expect(result.feedTitle).toBe('Frame & Pixel — AI Video News');
    expect(result.items.map((item) => item.title)).toEqual([
      'Runway ships Gen-4 video model & API',
      'Midjourney V7 adds image editing … and AT&T partnership',
      'Community roundup (no link, no date)',
      'Scheduled post from the future',
    ]);
    const [runway, midjourney] = result.items;
    expect(runway).toMatchObject({
      feedId: 'frame-pixel',
      guid: 'fp-1001',
      originalUrl: 'https://frame-pixel.example/posts/runway-gen4?utm_source=rss&utm_medium=feed',
      canonicalUrl: 'https://frame-pixel.example/posts/runway-gen4',
      author: 'Ada Lovelace',
      publishedAt: '2025-03-04T14:30:00.000Z',
      hasFeedDate: true,
      categories: ['Video', 'Runway'],
    });
    // The short description wins over content:encoded; images, link targets and scripts leave no trace.
    expect(runway.summary).toBe("Runway's new model generates consistent characters across shots. Pricing starts at $12 per month.");
    expect(runway.summary).not.toMatch(/https?:|alert|pixel|</);

    // A relative link resolves against the document URL; "email (Name)" authors keep the name.
    expect(midjourney.originalUrl).toBe('https://frame-pixel.example/posts/midjourney-v7');
    expect(midjourney.author).toBe('Grace Hopper');
    expect(midjourney.summary).toBe("Midjourney's V7 model now supports inpainting.");
  });

  it('keeps items without link or date, distrusts future dates and skips items with neither title nor link', async () => {
    const result = await parseOk(fixture('rss2.xml'));
    const roundup = result.items[2];
    expect(roundup).toMatchObject({
      guid: 'fp-roundup-17',
      originalUrl: null,
      canonicalUrl: null,
      publishedAt: fetchedAt.toISOString(),
      hasFeedDate: false,
    });
    const future = result.items[3];
    expect(future.publishedAt).toBe(fetchedAt.toISOString());
    expect(future.hasFeedDate).toBe(false);
    expect(result.skipped).toBe(1);
  });

  it('falls back to a stable title hash for a guid when an item has neither guid nor link', async () => {
    const xml = '<rss version="2.0"><channel><title>t</title><item><title>Only a title</title></item></channel></rss>';
    const first = await parseOk(xml);
    const second = await parseOk(xml);
    expect(first.items[0].guid).toMatch(/^urn:sha1:[0-9a-f]{40}$/);
    expect(first.items[0].guid).toBe(second.items[0].guid);
  });

  it('caps long titles and summaries on a word boundary with an ellipsis', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const xml = `<rss version="2.0"><channel><title>t</title><item><title>${words}</title><link>https://x.example/1</link><description>&lt;p&gt;${words}&lt;/p&gt;</description></item></channel></rss>`;
    const [item] = (await parseOk(xml)).items;
    expect(item.title.length).toBeLessThanOrEqual(300);
    expect(item.summary.length).toBeLessThanOrEqual(600);
    expect(item.summary.length).toBeGreaterThan(500);
    for (const text of [item.title, item.summary]) {
      expect(text.endsWith('…')).toBe(true);
      expect(text.slice(0, -1)).toMatch(/word\d+$/);
      expect(words.startsWith(text.slice(0, -1))).toBe(true);
    }
  });

  it('strips characters illegal in XML 1.0 instead of failing the whole feed', async () => {
    const xml = '<rss version="2.0"><channel><title>t</title><item><title>Null\u0000 and \u0001bell\u0007 in title</title><link>https://x.example/1</link></item></channel></rss>';
    const [item] = (await parseOk(xml)).items;
    expect(item.title).toBe('Null and bell in title');
  });
});

describe('parseFeedDocument: RSS 1.0 (RDF)', () => {
  it('reads items, dc:date, dc:creator and dc:subject', async () => {
    const result = await parseOk(fixture('rdf.xml'), 'https://diffusion-weekly.example/index.rdf');
    expect(result.feedTitle).toBe('Diffusion Weekly');
    expect(result.items).toHaveLength(2);
    expect(result.items[0]).toMatchObject({
      title: 'FLUX Kontext brings in-context image editing',
      originalUrl: 'https://diffusion-weekly.example/2025/flux-kontext',
      summary: 'Black Forest Labs released Kontext, an editing model.',
      author: 'Alan Turing',
      publishedAt: '2025-05-29T08:15:00.000Z',
      hasFeedDate: true,
      categories: ['image'],
    });
    expect(result.items[1]).toMatchObject({ title: 'Stable Video Diffusion 2 preview', publishedAt: '2025-05-28T00:00:00.000Z' });
  });
});

describe('parseFeedDocument: Atom 1.0', () => {
  it('reads entries with html and xhtml content, categories and relative links', async () => {
    const result = await parseOk(fixture('atom.xml'), 'https://latent.example/atom.xml');
    expect(result.feedTitle).toBe('Latent Space Dispatch');
    const [veo, imagen, broken] = result.items;
    expect(veo).toMatchObject({
      guid: 'tag:latent.example,2025:veo-3',
      title: 'Veo 3 generates audio with video',
      originalUrl: 'https://latent.example/2025/06/veo-3',
      summary: "Google's Veo 3 adds synchronized sound.",
      author: 'Katherine Johnson',
      publishedAt: '2025-06-02T12:00:00.000Z',
      categories: ['Video generation', 'google'],
    });
    // xhtml content keeps its word order; an entry with only <updated> uses it.
    expect(imagen.summary).toBe('Sharper typography in generated images.');
    expect(imagen.publishedAt).toBe('2025-05-20T08:00:00.000Z');
    // One unparseable date must not sink the other entries.
    expect(broken).toMatchObject({ title: 'Entry with a broken date', hasFeedDate: false, publishedAt: fetchedAt.toISOString() });
  });
});

describe('parseFeedDocument: hostile and broken documents', () => {
  it('reports malformed XML and a truncated body as malformed', async () => {
    const malformed = await parseFeedDocument(fixture('malformed.xml'), feed, fetchedAt, feed.url);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'malformed' } });
    const full = fixture('rss2.xml');
    const truncated = await parseFeedDocument(full.slice(0, Math.floor(full.length / 2)), feed, fetchedAt, feed.url);
    expect(truncated).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });

  it('reports HTML, JSON and foreign XML as not-a-feed, and an empty body as empty', async () => {
    for (const body of [fixture('html-page.html'), '{"items": []}', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>']) {
      const result = await parseFeedDocument(body, feed, fetchedAt, feed.url);
      expect(result).toMatchObject({ ok: false, error: { code: 'not-a-feed' } });
    }
    expect(await parseFeedDocument('  \n ', feed, fetchedAt, feed.url)).toMatchObject({ ok: false, error: { code: 'empty' } });
  });

  it('refuses billion laughs quickly', async () => {
    const started = performance.now();
    const result = await parseFeedDocument(fixture('billion-laughs.xml'), feed, fetchedAt, feed.url);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/entit/i);
  });

  it('refuses XXE and never leaks a local file', async () => {
    const result = await parseFeedDocument(fixture('xxe.xml'), feed, fetchedAt, feed.url);
    expect(result).toMatchObject({ ok: false, error: { code: 'malformed' } });
    expect(JSON.stringify(result)).not.toMatch(/root:|\/bin\/(ba)?sh/);
  });

  it('survives HTML entities, bare ampersands and references to illegal characters', async () => {
    const xml = '<rss version="2.0"><channel><title>Tom & Jerry&nbsp;&copy;</title><item><title>Caf&eacute; &#0; &#x1F600; &unknownthing; AT&T</title><link>https://x.example/a?b=1&c=2</link></item></channel></rss>';
    const result = await parseOk(xml);
    expect(result.feedTitle).toBe('Tom & Jerry ©');
    expect(result.items[0].title).toBe('Café 😀 &unknownthing; AT&T');
    expect(result.items[0].originalUrl).toBe('https://x.example/a?b=1&c=2');
  });
});

describe('parseFeedDocument: pathological inputs', () => {
  // How long these take, next to an ordinary feed of the same size, is a figure of `npm run bench` (section 6).
  it('gives documents built to make regular expressions backtrack their right answer', async () => {
    const outcomes = [];
    for (const { name, xml } of hostileDocuments()) {
      const result = await parseFeedDocument(xml, feed, fetchedAt, feed.url);
      outcomes.push([name, result.ok ? result.items.map((item) => [item.title, item.author]) : result.error.code]);
    }
    expect(outcomes).toEqual([
      ['declaration, 200k spaces, junk', 'not-a-feed'],
      ['100k unclosed <description>', 'malformed'],
      ['100k unterminated CDATA openers', 'malformed'],
      ['Atom date of 200k spaces', 'malformed'],
      ['DOCTYPE with 100k [', 'not-a-feed'],
      // The author is kept as the text it is (not an e-mail address with a name), capped with an ellipsis.
      ['author of 50k "a@"', [['t', `${'a@'.repeat(99)}a…`]]],
    ]);
  });
});

describe('parseFeedDocument: large feeds', () => {
  function bigFeed(count: number): string {
    const base = Date.UTC(2025, 5, 1);
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      // Dates are scrambled so "newest" is not simply "first in the document".
      const minutesAgo = (i * 7919) % count;
      const date = new Date(base - minutesAgo * 60_000).toUTCString();
      items.push(
        `<item><title>Story ${i} about generative video</title><link>https://big.example/s/${i}</link><guid>big-${i}</guid><pubDate>${date}</pubDate><description>&lt;p&gt;Summary of story ${i} with &lt;b&gt;markup&lt;/b&gt;.&lt;/p&gt;</description></item>`,
      );
    }
    return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${items.join('')}</channel></rss>`;
  }

  it('parses a 10k-item feed and keeps the newest 500', async () => {
    const xml = bigFeed(10_000);
    const started = performance.now();
    const result = await parseOk(xml);
    const elapsed = performance.now() - started;
    console.log(`[measure] parse 10k-item feed (${(xml.length / 1e6).toFixed(1)} MB): ${elapsed.toFixed(0)} ms`);
    expect(result.items).toHaveLength(500);
    expect(result.skipped).toBe(9_500);
    const newestCutoff = Date.UTC(2025, 5, 1) - 499 * 60_000;
    for (const item of result.items) expect(Date.parse(item.publishedAt)).toBeGreaterThanOrEqual(newestCutoff);
    expect(result.items[0].summary).toMatch(/^Summary of story \d+ with markup\.$/);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('honours a smaller item cap', async () => {
    const result = await parseOk(bigFeed(50), feed.url, 10);
    expect(result.items).toHaveLength(10);
    expect(result.skipped).toBe(40);
  });
});

describe('parse stage shortcuts give exactly the full path results', () => {
  it('plain text and simple summaries read the same through the shortcuts as through html-to-text', () => {
    const inputs = [
      // Plain text: no markup, only whitespace of every kind to collapse.
      'Runway ships Gen-4',
      '  Leading and trailing  ',
      'Tabs\tand\nnew\r\nlines  and   runs',
      'No-break\u00A0spaces, zero\u200Bwidth and \uFEFFBOM, ideographic\u3000space, \u2028line separator',
      'Single spaces only, nothing to collapse.',
      '',
      '   ',
      // Simple HTML, the common feed summary shape.
      '<p>Canva&#8217;s update adds sticker packs.</p><p>Costs $14 on the <em>Pro</em> plan &amp; more.</p><p><a href="#more">Continue reading &#8594;</a></p>',
      'Line<br>break<br/>and</br>more',
      '<p>One</p><p>Two</p>Three<img src="x.png" alt="a > b">Four',
      '<P>Upper <STRONG>case</STRONG></P> tags &nbsp;&hellip;&mdash;&rsquo;&#x1F600;',
      'AT&T and Q & A',
      '<span class="a">nested <b>inline <i>tags</i></b></span>',
      // Shapes the shortcut leaves to html-to-text.
      '<p>a<div>b</div><ul><li>c</li></ul></p>',
      '<em>para <p>inside</p> inline</em> after',
      'Legacy &copy 2025 and &amp without semicolons',
      '<!-- comment --><p>text</p>',
      '<h1>Heading</h1><table><tr><td>cell</td></tr></table>',
      'a < b and c > d',
      '&#0; &#128; &#xD800; &unknown;',
    ];
    for (const input of inputs) expect(htmlToPlainText(input), JSON.stringify(input)).toBe(htmlToPlainTextByConverter(input));
  });

  it('the fast XML tree is the tree xml2js builds, key order included', async () => {
    const documents = [fixture('rss2.xml'), fixture('rdf.xml'), fixture('atom.xml')];
    documents.push(fixture('xml-base-wordpress-atom.xml'), fixture('xml-base-nested-atom.xml'), fixture('xml-base-drupal-rss.xml'));
    documents.push(
      '<rss version="2.0"><channel><title a="1">  </title><item><title><![CDATA[ ]]></title><description>  <![CDATA[<p>x</p>]]> </description><category domain="d">One</category><category>Two</category><empty/><spaces>   </spaces></item></channel></rss>',
      // Character references in text, and look-alike runs after a '>' inside attributes, comments, PIs and CDATA.
      '<?xml version="1.0"?><?pi x>&amp;y?><rss version="2.0"><channel><title a="b>&amp;c">t &amp; u &lt;b&gt;</title><!-- >&amp; --><item><title><![CDATA[a > &amp;]]> &lt;b&gt; &quot;q&apos;</title><description>&lt;p&gt;One &amp;amp; two&lt;/p&gt;</description><link>https://x.example/1?a=1&amp;b=2</link></item></channel></rss>',
      // Shapes the preparation rewrites before either reader sees them: comments that mention tags,
      // quoted markup in CDATA, an XHTML wrapper, media elements with attributes.
      '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title><!-- every <item> needs a <title> --><item><title>Why &lt;video&gt; tags</title><media:content url="https://x.example/a.jpg" medium="image" width="640"/><media:thumbnail url="https://x.example/t.jpg"/><enclosure url="https://x.example/a.mp3" type="audio/mpeg" length="1"/><description><![CDATA[<title>quoted</title><img src="/i.png">]]></description><guid isPermaLink="false">g1</guid></item></channel></rss>',
      '<html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>e</title><updated>\n 2026-05-03T18:30:02Z \n</updated><link>https://x.example/e</link><link rel="enclosure" type="image/png" href="/e.png"/></entry></feed></body></html>',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="https://x.example/r"><title>r</title><pubDate>Sat, 02 May 2026 09:00:00 GMT</pubDate></item></rdf:RDF>',
    );
    for (const raw of documents) {
      const prepared = prepareFeedXml(raw);
      if (!prepared.ok) throw new Error(prepared.error.message);
      const expected: unknown = await new xml2js.Parser().parseStringPromise(prepared.xml);
      expect(JSON.stringify(parseXmlTree(prepared.xml))).toBe(JSON.stringify(expected));
    }
  });

  it('leaves malformed XML and element names xml2js treats specially to xml2js, with its results', async () => {
    expect(parseXmlTree('<rss version="2.0"><channel></rss>')).toBeNull();
    expect(parseXmlTree('<rss version="2.0"><channel><item><cdata>x</cdata></item></channel></rss>')).toBeNull();
    // Through the fallback, such a document still parses; a broken one fails with xml2js's message.
    const special = await parseOk(
      '<rss version="2.0"><channel><title>t</title><item><title>Kept</title><link>https://x.example/1</link><constructor>odd</constructor></item></channel></rss>',
    );
    expect(special.items.map((item) => item.title)).toEqual(['Kept']);
    const broken = await parseFeedDocument('<rss version="2.0"><channel><title>t</channel></rss>', feed, fetchedAt, feed.url);
    expect(broken).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringMatching(/Unexpected close tag\s+Line: 0\s+Column: \d+/) } });
  });

  it('gives every document its own result when many are parsed at once', async () => {
    const documents = Array.from(
      { length: 12 },
      (_, i) => `<rss version="2.0"><channel><title>Feed ${i}</title>${Array.from({ length: i + 1 }, (__, j) => `<item><title>Story ${i}.${j}</title><link>https://x.example/${i}/${j}</link></item>`).join('')}</channel></rss>`,
    );
    documents.push('<rss version="2.0"><channel><title>broken</title><item>');
    const sequential = [];
    for (const xml of documents) sequential.push(await parseFeedDocument(xml, feed, fetchedAt, feed.url));
    const concurrent = await Promise.all(documents.map((xml) => parseFeedDocument(xml, feed, fetchedAt, feed.url)));
    expect(concurrent).toEqual(sequential);
    expect(concurrent.map((result) => (result.ok ? `${result.feedTitle}:${result.items.length}` : 'failed'))).toEqual([
      ...documents.slice(0, 12).map((_, i) => `Feed ${i}:${i + 1}`),
      'failed',
    ]);
  });

  it('prepares a document with tens of thousands of CDATA sections and no comments in linear time', async () => {
    const sections = '<![CDATA[x]]>'.repeat(60_000);
    const xml = `<rss version="2.0"><channel><title>t</title><item><title>Many sections</title><link>https://x.example/1</link><description>${sections}</description></item></channel></rss>`;
    const started = performance.now();
    const [item] = (await parseOk(xml)).items;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(item.summary).toMatch(/^x{599}…$/);
  });

  it('answers quickly for documents full of character references or of XML errors', async () => {
    const hostile = [
      `<rss version="2.0"><channel><title>t</title>${'<a&amp;'.repeat(100_000)}`,
      `<rss version="2.0"><channel><title a="${'&amp;'.repeat(200_000)}">t</title></channel></rss>`,
      `<rss version="2.0"><channel><title>${'&lt;'.repeat(200_000)}</title></channel></rss>`,
      `<rss version="2.0"><channel>${'<t>&amp;</t>'.repeat(100_000)}</channel></rss>`,
      `<rss version="2.0"><channel><title>t</title></channel></rss>${'<x>'.repeat(100_000)}`,
    ];
    for (const xml of hostile) {
      const started = performance.now();
      const result = await parseFeedDocument(xml, feed, fetchedAt, feed.url);
      expect(performance.now() - started, xml.slice(0, 60)).toBeLessThan(1_500);
      expect(typeof result.ok).toBe('boolean');
    }
  });

  it('the plain-XML scanner reads the fixture feeds and gives the tree xml2js gives for every document it accepts', async () => {
    const seeds = ['rss2.xml', 'rdf.xml', 'atom.xml', 'xml-base-nested-atom.xml', 'xml-base-drupal-rss.xml'].map((name) => {
      const raw = fixture(name);
      const prepared = prepareFeedXml(raw);
      if (!prepared.ok) throw new Error(prepared.error.message);
      return prepared.xml;
    });
    // The scanner must take the usual feed shapes, or parsing silently falls back to the slower sax path.
    for (const xml of seeds) expect(scanSimpleXml(xml)).not.toBeNull();
    seeds.push(
      '<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel><title a="1" b=\'&quot;2&apos;\'>  </title><!-- in - root --><item><title><![CDATA[ ]]></title><description>  <![CDATA[<p>x</p>]]> </description><empty/><e a = "1" /><spaces>   </spaces></item></channel></rss> trailing <junk',
      '<feed><title>&#8217; &#x2019; &#X41; &#00065; &#9; &#x1F600; &lt;&gt;&amp;&quot;&apos;</title><link href="a?b=1&amp;c=&#50;"/></feed>',
    );
    // Shapes the scanner must leave to sax: the sax reader then gives its own tree, or null for errors.
    const pieces = [
      '<', '>', '&', ';', '"', "'", '/', '!', '?', '-', ']', ' ', '\n', '\u00e9', '#', '=', ':', '<![CDATA[', ']]>', '<!--', '-->',
      '--', '<?p?>', '??>', '&amp;', '&#38;', '&#x26;', '&#0;', '&#00000065;', '&nbsp;', '&AMP;', '<a>', '</a>', '<b/>', ' c="d"',
      ' c="d" c="e"', '<!DOCTYPE x>', '&#xD800;', '&#xFFFE;', '&#1114112;', '<constructor>', '<cdata>', '< a>', '</ a>', '</a >',
      ' hasOwnProperty="x"', '<![cdata[x]]>', '&#x;', '&#65', '<!-- a -- b -->', ' a=b', ' a="<"', '</title>', '<title>',
    ];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const documents = [...seeds];
    for (let n = 0; n < 1500; n++) {
      let xml = seeds[random(seeds.length)];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(xml.length + 1);
        const piece = pieces[random(pieces.length)];
        const kind = random(3);
        if (kind === 0) xml = xml.slice(0, at) + piece + xml.slice(at);
        else if (kind === 1) xml = xml.slice(0, at) + xml.slice(at + 1 + random(4));
        else xml = xml.slice(0, at) + piece + xml.slice(at + piece.length);
      }
      documents.push(xml);
    }
    // Cut-off documents, as a dropped connection leaves them.
    for (let n = 0; n < 100; n++) {
      const seed = seeds[random(seeds.length)];
      documents.push(seed.slice(0, random(seed.length)));
    }
    let accepted = 0;
    let unclosed = 0;
    for (const xml of documents) {
      if (readSimpleXml(xml) === UNCLOSED_ROOT) {
        // The scanner's "root never closes" verdict spares the sax pass: sax and xml2js must fail such a document too.
        unclosed++;
        expect(parseXmlTreeWithSax(xml), xml).toBeNull();
        const xml2jsError = await new xml2js.Parser().parseStringPromise(xml).then(
          () => 'no error',
          (error: Error) => error.message,
        );
        const ours = readXmlTree(xml);
        expect(ours instanceof Error ? ours.message : ours, xml).toBe(xml2jsError);
        continue;
      }
      const scanned = scanSimpleXml(xml);
      if (scanned === null) continue;
      accepted++;
      const expected: unknown = await new xml2js.Parser().parseStringPromise(xml);
      expect(JSON.stringify(scanned), xml).toBe(JSON.stringify(expected));
      expect(JSON.stringify(parseXmlTreeWithSax(xml)), xml).toBe(JSON.stringify(expected));
    }
    // Enough of the edited documents stay plain for the comparison to mean something.
    expect(accepted).toBeGreaterThan(200);
    expect(unclosed).toBeGreaterThan(20);
  });

  it('the plain-XML scanner leaves what sax reads differently, or rejects, to sax', () => {
    const declined = [
      '<!DOCTYPE rss><rss/>',
      '<rss>< a/></rss>',
      '<rss><a></ a></rss>',
      '<rss><a b=c/></rss>',
      '<rss><a b="1"c="2"/></rss>',
      '<rss><a b="1" b="2"/></rss>',
      '<rss><a>&nbsp;</a></rss>',
      '<rss><a>&#0;</a></rss>',
      '<rss><a>&#xD800;</a></rss>',
      '<rss><a>AT&T</a></rss>',
      '<rss><a></b></rss>',
      '<rss><a>',
      'text<rss/>',
      '<rss><!-- a -- b --></rss>',
      '<rss><?pi?></rss>',
      '<?p ??><rss/>',
      '<rss><constructor/></rss>',
      '<rss><caf\u00e9/></rss>',
    ];
    for (const xml of declined) expect(scanSimpleXml(xml), xml).toBeNull();
  });

  it('reads documents built to make the plain-XML scanner search again and again in linear time', () => {
    const hostile = [
      `<rss><a ${Array.from({ length: 50_000 }, (_, i) => `b${i}="x"`).join(' ')}/></rss>`,
      `<rss>${'<t>text</t>'.repeat(100_000)}</rss>`,
      `<rss>${'<t>a &amp b</t>'.repeat(100_000)}</rss>`,
      `<rss>${'<!-- c -->'.repeat(100_000)}</rss>`,
      `${'<?p x?>'.repeat(100_000)}<rss/>`,
      `<rss>${'<![CDATA[x'.repeat(100_000)}</rss>`,
    ];
    for (const xml of hostile) {
      const started = performance.now();
      parseXmlTree(xml);
      expect(performance.now() - started, xml.slice(0, 60)).toBeLessThan(1_500);
    }
  });
});
