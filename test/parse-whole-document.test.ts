/**
 * Documents that used to fail as a whole (every item of the feed lost) although a reader can
 * make sense of them: each case as a real outlet could serve it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeFeedBody } from '../src/fetch/decode-body';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { runFetchOnce } from './support/fetch-once';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { startApp, type RunningApp } from './support/http-app';
import { createTestServices, type TestServices } from './support/test-services';

const feed: FeedSource = { id: 'reel-report', name: 'The Reel Report', url: 'https://reel-report.example/feed', enabled: true };
const fetchedAt = new Date('2026-05-04T12:00:00.000Z');

async function parse(xml: string) {
  return parseFeedDocument(xml, feed, fetchedAt, feed.url);
}

async function titles(xml: string): Promise<string[]> {
  const result = await parse(xml);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.items.map((item) => item.title);
}

describe('documents that failed as a whole', () => {
  it('reads a feed whose comment mentions tags', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Reel Report</title><link>https://reel-report.example/</link>
<!-- every <item> needs a <title> and a <link>; see </channel> docs -->
<item><title>Runway's Gen-5 gets a director mode</title><link>https://reel-report.example/gen5-director</link>
  <description>Camera paths can now be drawn.</description></item>
<item><title>Pika Labs adds lip sync for dubbing</title><link>https://reel-report.example/pika-lipsync</link></item>
</channel></rss>`;
    expect(await titles(xml)).toEqual(["Runway's Gen-5 gets a director mode", 'Pika Labs adds lip sync for dubbing']);
  });

  it('reads Atom dates with whitespace around them', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Render Notes</title><id>tag:render-notes.example,2026:feed</id>
<updated>
  2026-05-03T18:30:02Z
</updated>
<entry><title>Google puts Veo 3 into YouTube Shorts</title><id>tag:render-notes.example,2026:veo-shorts</id>
  <link href="https://render-notes.example/veo-shorts"/>
  <updated>
    2026-05-03T18:30:02Z
  </updated>
  <published>
2026-05-02T07:15:00+02:00
</published>
</entry></feed>`;
    const result = await parse(xml);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.items[0]).toMatchObject({ title: 'Google puts Veo 3 into YouTube Shorts', publishedAt: '2026-05-02T05:15:00.000Z', hasFeedDate: true });
  });

  it('reads an RSS 1.0 document whose items carry a stray <pubDate> and whose channel is missing', async () => {
    const xml = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <item rdf:about="https://frames-weekly.example/2026/05/hunyuan-video">
    <title>Tencent open-sources HunyuanVideo 2</title>
    <link>https://frames-weekly.example/2026/05/hunyuan-video</link>
    <pubDate>Sat, 02 May 2026 09:00:00 GMT</pubDate>
  </item>
</rdf:RDF>`;
    const result = await parse(xml);
    expect(result).toMatchObject({ ok: true, items: [{ title: 'Tencent open-sources HunyuanVideo 2', publishedAt: '2026-05-02T09:00:00.000Z' }] });
  });

  it('names what is wrong with a document the feed reader cannot use, never an internal message', async () => {
    const noChannel = await parse('<rss version="2.0"><item><title>Lost item</title></item></rss>');
    expect(noChannel).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no <channel>/) } });
    if (!noChannel.ok) expect(noChannel.error.message).not.toMatch(/undefined|Cannot read|is not a function/);
  });

  it('reads an Atom feed behind an XSL stylesheet and an XHTML doctype, or wrapped in an XHTML page', async () => {
    const entry = `<entry><title>Black Forest Labs ships FLUX Kontext</title><id>tag:imagefront.example,2026:kontext</id>
      <link href="https://imagefront.example/flux-kontext"/><updated>2026-05-01T10:00:00Z</updated></entry>`;
    const stylesheet = `<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="/assets/atom-pretty.xsl"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<feed xmlns="http://www.w3.org/2005/Atom"><title>Image Front</title><id>tag:imagefront.example,2026:feed</id>${entry}</feed>`;
    const wrapped = `<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Image Front feed</title></head><body>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Image Front</title><id>tag:imagefront.example,2026:feed</id>${entry}</feed>
</body></html>`;
    expect(await titles(stylesheet)).toEqual(['Black Forest Labs ships FLUX Kontext']);
    expect(await titles(wrapped)).toEqual(['Black Forest Labs ships FLUX Kontext']);
  });

  it('keeps the words of a headline that quotes a tag', async () => {
    const xml = `<rss version="2.0"><channel><title>Web Frames</title>
<item><title>Why &lt;video&gt; tags matter for AI clips</title><link>https://webframes.example/video-tags</link></item>
<item><title>The &lt;picture&gt; element and generated art</title><link>https://webframes.example/picture</link></item>
<item><title><![CDATA[Stop wrapping <img> in <div> soup]]></title><link>https://webframes.example/img-div</link></item>
<item><title>Adobe &lt;b&gt;Firefly&lt;/b&gt; gets a video model</title><link>https://webframes.example/firefly</link></item>
</channel></rss>`;
    expect(await titles(xml)).toEqual([
      'Why <video> tags matter for AI clips',
      'The <picture> element and generated art',
      'Stop wrapping <img> in <div> soup',
      'Adobe Firefly gets a video model',
    ]);
  });
});

describe('truncated and ill-formed documents', () => {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Synth Desk</title><link>https://synth-desk.example/</link>
<item><title>Luma's Ray 3 renders in HDR</title><link>https://synth-desk.example/ray3-hdr</link><pubDate>Sun, 03 May 2026 08:00:00 GMT</pubDate></item>
<item><title>ElevenLabs and Runway team up on sound for video</title><link>https://synth-desk.example/elevenlabs-runway</link><description>Generated clips get generated soundtracks.</description></item>
`;

  it('recovers the complete items before a cut mid-item, and says the document was repaired', async () => {
    const result = await parse(`${head}<item><title>Midjourney V8 previews`);
    expect(result).toMatchObject({ ok: true, repaired: expect.stringMatching(/truncated|ill-formed/i) });
    if (!result.ok) return;
    expect(result.items.map((item) => item.title)).toEqual([
      "Luma's Ray 3 renders in HDR",
      'ElevenLabs and Runway team up on sound for video',
    ]);
  });

  it('recovers the items of a document whose root is never closed, and of one broken after its items', async () => {
    const unclosed = await parse(head);
    expect(unclosed).toMatchObject({ ok: true, repaired: expect.any(String) });
    if (unclosed.ok) expect(unclosed.items).toHaveLength(2);
    const broken = await parse(`${head}<item><title>Ideogram 3 reads handwriting</title><guid>ideogram-3</link></item></channel></rss>`);
    expect(broken).toMatchObject({ ok: true, repaired: expect.any(String) });
    if (broken.ok) expect(broken.items).toHaveLength(2);
  });

  it('a well-formed document is not marked repaired; one with no complete item still fails', async () => {
    const clean = await parse(`${head}</channel></rss>`);
    expect(clean).toMatchObject({ ok: true, repaired: null });
    const nothing = await parse('<rss version="2.0"><channel><title>Synth Desk</title><item><title>Cut');
    expect(nothing).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});

describe('character encodings', () => {
  it('replaces one invalid byte in a UTF-8 document instead of reading the whole feed as Windows-1252', () => {
    const text = '<rss version="2.0"><channel><title>Café Réel</title><item><title>Kling’s “Elements” mode — a first look</title><description>Bad byte: \uFFFD here</description></item></channel></rss>';
    const utf8 = Buffer.from(text, 'utf8');
    const marker = utf8.indexOf(Buffer.from('\uFFFD', 'utf8'));
    const bytes = Buffer.concat([utf8.subarray(0, marker), Buffer.from([0xe9]), utf8.subarray(marker + 3)]);
    const decoded = decodeFeedBody(bytes, 'application/rss+xml; charset=utf-8');
    expect(decoded.text).toContain('Café Réel');
    expect(decoded.text).toContain('Kling’s “Elements” mode — a first look');
    expect(decoded.text).toContain('Bad byte: \uFFFD here');
    expect(decoded.text).not.toContain('Ã');
  });

  it('reads a document declared ISO-8859-1 whose bytes are valid UTF-8 as UTF-8; real Latin-1 stays Latin-1', () => {
    const body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Crème de l’IA — vidéo</title></channel></rss>';
    expect(decodeFeedBody(Buffer.from(body, 'utf8'), 'text/xml; charset=ISO-8859-1').text).toContain('Crème de l’IA — vidéo');
    expect(decodeFeedBody(Buffer.from(body, 'utf8'), 'text/xml').text).toContain('Crème de l’IA — vidéo');
    const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Crème brûlée à la carte</title></channel></rss>';
    expect(decodeFeedBody(iconv.encode(latin1, 'latin1'), 'text/xml').text).toContain('Crème brûlée à la carte');
  });
});

describe('/health for repaired and unreadable feeds', () => {
  let fixtures: FixtureServer | undefined;
  let services: TestServices | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    await fixtures?.close();
    services?.dispose();
  });

  it('shows a truncated feed as ok and repaired, and a feed without a channel with a named error', async () => {
    const cut = `<?xml version="1.0"?><rss version="2.0"><channel><title>Cut Wire</title>
<item><title>Sora 2 arrives on Android</title><link>https://cut-wire.example/sora-android</link></item>
<item><title>Veo 3 gets vertical video</title><link>https://cut-wire.example/veo-vertical</link></item>
<item><title>Half a headl`;
    const channelless = `<rss version="2.0"><item><title>Orphan item</title><link>https://orphan.example/1</link></item></rss>`;
    fixtures = await startFixtureServer({
      '/cut.rss': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(cut),
      '/orphan.rss': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(channelless),
      '/styled.atom': (_q, r) =>
        r.writeHead(200, { 'content-type': 'application/atom+xml' }).end(`<?xml version="1.0"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<feed xmlns="http://www.w3.org/2005/Atom"><title>Styled</title><entry><title>Krea adds real-time video</title><id>urn:uuid:5b0c4f0e-4a57-4f3c-8d2c-1f1f6c1d2a11</id><link href="https://styled.example/krea"/></entry></feed>`),
    });
    services = createTestServices({
      feeds: [
        { id: 'cut', name: 'Cut Wire', url: `${fixtures.origin}/cut.rss` },
        { id: 'orphan', name: 'Orphan', url: `${fixtures.origin}/orphan.rss` },
        { id: 'styled', name: 'Styled', url: `${fixtures.origin}/styled.atom` },
      ],
    });
    await runFetchOnce(services, { force: true });
    app = await startApp(services);
    const health = (await (await fetch(`${app.origin}/health`)).json()) as {
      feeds: { id: string; status: string; repaired: string | null; lastError: string | null; itemCount: number }[];
    };
    const byId = Object.fromEntries(health.feeds.map((entry) => [entry.id, entry]));
    expect(byId.cut).toMatchObject({ status: 'ok', itemCount: 2, repaired: expect.stringMatching(/truncated|ill-formed/i) });
    expect(byId.styled).toMatchObject({ status: 'ok', itemCount: 1, repaired: null });
    expect(byId.orphan).toMatchObject({ status: 'failing', lastError: expect.stringMatching(/no <channel>/) });
    for (const entry of health.feeds) expect(entry.lastError ?? '').not.toMatch(/Cannot read|undefined|is not a function/);
  });
});
