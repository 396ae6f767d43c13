import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'feeds');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const fetchedAt = new Date('2026-05-06T12:00:00.000Z');

async function read(xml: string, documentUrl: string) {
  const feed: FeedSource = { id: 'source', name: 'Source', url: documentUrl, enabled: true };
  const result = await parseFeedDocument(xml, feed, fetchedAt, documentUrl);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.items.map((item) => ({ title: item.title, link: item.originalUrl, image: item.imageUrl, guid: item.guid }));
}

/** The same document read by the other XML readers: a DOCTYPE sends it to sax, an element xml2js treats specially to xml2js. */
function throughSax(xml: string, root: string): string {
  return xml.replace(/(<\?xml[^>]*\?>)?/, (declaration) => `${declaration}<!DOCTYPE ${root}>`);
}
function throughXml2js(xml: string, closingTag: string): string {
  return xml.replace(closingTag, `<constructor>odd</constructor>${closingTag}`);
}

describe('xml:base: relative links and images resolve against the base in force', () => {
  it('WordPress Atom read through a feed proxy: entry links against the feed base, content images against the post permalink', async () => {
    const items = await read(fixture('xml-base-wordpress-atom.xml'), 'https://feeds.feedburner.example/ReelNotes');
    expect(items.map(({ link, image }) => ({ link, image }))).toEqual([
      {
        link: 'https://reelnotes.example/2026/04/runway-references-spot/',
        image: 'https://reelnotes.example/wp-content/uploads/2026/04/spot-grade-1024x576.jpg',
      },
      {
        link: 'https://reelnotes.example/2026/04/kling-alexa-lut-notes/',
        image: 'https://reelnotes.example/2026/04/kling-alexa-lut-notes/node-tree.png',
      },
    ]);
  });

  it('nested xml:base on feed, entry, link and content resolve against each other and the document URL', async () => {
    const items = await read(fixture('xml-base-nested-atom.xml'), 'https://pixelforge.example/notes/atom.xml');
    expect(items.map(({ link, image }) => ({ link, image }))).toEqual([
      {
        link: 'https://pixelforge.example/notes/2026/03/veo-product-shots.html',
        image: 'https://pixelforge.example/static/covers/veo-bottle.jpg',
      },
      {
        link: 'https://pixelforge.example/archive/sdxl-upscaling',
        image: 'https://pixelforge.example/notes/2026/03/sdxl-upscaling/compare-2x.webp',
      },
      {
        link: 'https://pixelforge.example/events/flux-lora-workshop',
        image: 'https://pixelforge.example/notes/img/workshop-board.jpg',
      },
    ]);
  });

  it('Drupal RSS (xml:base on <rss>) with item, guid permalink, enclosure and media:group bases', async () => {
    const items = await read(fixture('xml-base-drupal-rss.xml'), 'https://feeds.feedburner.example/FilmlabNews');
    expect(items).toEqual([
      {
        title: 'Filmlab releases a dataset of 40,000 annotated generated clips',
        link: 'https://www.filmlab.example/news/2026/dataset-release',
        image: 'https://www.filmlab.example/sites/default/files/styles/large/public/2026-05/dataset-grid.jpg?itok=Q3x9',
        guid: '1873 at https://www.filmlab.example',
      },
      {
        title: 'Podcast episode 3: what audiences forgive in AI video',
        link: 'https://www.filmlab.example/podcast/episodes/3-what-audiences-forgive',
        image: 'https://www.filmlab.example/podcast/art/ep3-cover.jpg',
        // The guid stays the feed's own identifier; only the link is resolved.
        guid: 'episodes/3-what-audiences-forgive',
      },
      {
        title: 'Seminar: diffusion models for restoration of archive film',
        link: 'https://www.filmlab.example/events/seminar-archive-restoration',
        image: 'https://www.filmlab.example/files/seminar-poster.png',
        guid: '1861 at https://www.filmlab.example',
      },
    ]);
  });

  it('a relative xml:base on <channel> or <rdf:RDF> resolves against the document URL', async () => {
    const rss = `<?xml version="1.0"?>
<rss version="2.0"><channel xml:base="/blog/">
  <title>Greyscale Studio blog</title><link>./</link><description>Studio blog</description>
  <item><title>Matte painting with Midjourney v7, start to finish</title><link>2026/matte-painting-v7</link>
    <description>&lt;img src="../media/matte-v7.jpg"&gt; A four-hour session, compressed.</description></item>
</channel></rss>`;
    expect(await read(rss, 'https://greyscale.example/feeds/rss.xml')).toMatchObject([
      { link: 'https://greyscale.example/blog/2026/matte-painting-v7', image: 'https://greyscale.example/media/matte-v7.jpg' },
    ]);
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xml:base="https://lab.example/news/">
  <channel rdf:about="https://lab.example/news/"><title>Lab news</title><link>./</link><description>News</description></channel>
  <item rdf:about="https://lab.example/news/splats"><title>Gaussian splats from phone video, in the browser</title><link>splats</link></item>
</rdf:RDF>`;
    expect(await read(rdf, 'https://mirror.example/lab.rdf')).toMatchObject([{ link: 'https://lab.example/news/splats' }]);
  });

  it('a base that is not a URL is ignored, and one that is not http(s) leaves only absolute links usable', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://[broken"><title>t</title>
  <entry><title>Relative link under a broken base</title><link href="/posts/one"/><id>1</id></entry>
  <entry xml:base="urn:isbn:0451450523"><title>Absolute link under a URN base</title><link href="https://ok.example/two"/><id>2</id></entry>
</feed>`;
    expect((await read(atom, 'https://site.example/atom.xml')).map((item) => item.link)).toEqual([
      'https://site.example/posts/one',
      'https://ok.example/two',
    ]);
  });

  it('every XML reader (plain-XML scanner, sax, xml2js) gives the same resolved items', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['xml-base-wordpress-atom.xml', 'https://feeds.feedburner.example/ReelNotes', 'feed', '</entry>'],
      ['xml-base-nested-atom.xml', 'https://pixelforge.example/notes/atom.xml', 'feed', '</entry>'],
      ['xml-base-drupal-rss.xml', 'https://feeds.feedburner.example/FilmlabNews', 'rss', '</item>'],
    ];
    for (const [name, url, root, closingTag] of cases) {
      const xml = fixture(name);
      const expected = await read(xml, url);
      expect(await read(throughSax(xml, root), url), `${name} via sax`).toEqual(expected);
      expect(await read(throughXml2js(xml, closingTag), url), `${name} via xml2js`).toEqual(expected);
    }
  });
});
