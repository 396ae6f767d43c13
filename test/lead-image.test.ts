import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { ingest } from './support/seed-stories';
import { createTestServices, type TestServices } from './support/test-services';

const feed: FeedSource = { id: 'lumen-daily', name: 'Lumen Daily', url: 'https://lumen-daily.example/feed/', enabled: true };
const fetchedAt = new Date('2026-05-04T12:00:00.000Z');

async function images(xml: string, documentUrl = feed.url): Promise<(string | null)[]> {
  const result = await parseFeedDocument(xml, feed, fetchedAt, documentUrl);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.items.map((item) => item.imageUrl);
}

const RSS_NS =
  'version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"';

describe('lead image of an RSS item', () => {
  it('takes Media RSS first, then an image enclosure, then the first <img> of the article', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss ${RSS_NS}><channel><title>Lumen Daily</title><link>https://lumen-daily.example/</link>
  <item>
    <title>Kling 2.1 renders ten-second clips at 1080p</title>
    <link>https://lumen-daily.example/2026/05/kling-21</link>
    <enclosure url="https://cdn.lumen-daily.example/kling-enclosure.jpg" type="image/jpeg" length="48213"/>
    <media:content url="https://cdn.lumen-daily.example/kling-small.jpg" medium="image" width="320"/>
    <media:content url="https://cdn.lumen-daily.example/kling-teaser.mp4" type="video/mp4" width="1920"/>
    <media:content url="https://cdn.lumen-daily.example/kling-large.jpg" type="image/jpeg" width="1280"/>
    <description><![CDATA[<p><img src="https://cdn.lumen-daily.example/inline.png"> Kuaishou's model got faster.</p>]]></description>
  </item>
  <item>
    <title>Podcast: what Veo means for stock footage</title>
    <link>https://lumen-daily.example/2026/05/podcast-veo</link>
    <enclosure url="https://cdn.lumen-daily.example/episode-41.mp3" type="audio/mpeg" length="3481123"/>
    <enclosure url="/images/episode-41-cover.png" type="image/png" length="1200"/>
  </item>
  <item>
    <title>Adobe folds Firefly Image 4 into Photoshop</title>
    <link>https://lumen-daily.example/2026/05/firefly-4</link>
    <description>Adobe's latest image model arrives in the desktop app.</description>
    <content:encoded><![CDATA[<p><img src="https://pixel.tracker.example/p.gif" width="1" height="1"><img alt="Photoshop with a Firefly panel" src="/wp-content/uploads/2026/05/firefly-4.webp?w=1200&amp;h=630"></p><p>Text.</p>]]></content:encoded>
  </item>
  <item>
    <title>Stability opens its 3D model weights</title>
    <link>https://lumen-daily.example/2026/05/stability-3d</link>
    <media:group>
      <media:content url="https://cdn.lumen-daily.example/sf3d.webm" type="video/webm"/>
      <media:thumbnail url="https://cdn.lumen-daily.example/sf3d-thumb.jpg" width="640" height="360"/>
    </media:group>
  </item>
  <item>
    <title>Opinion: the watermark debate is not over</title>
    <link>https://lumen-daily.example/2026/05/watermarks</link>
    <description>&lt;p&gt;&lt;img src="javascript:alert(1)"&gt;&lt;img src="data:image/png;base64,AAAA"&gt;No pictures here worth showing.&lt;/p&gt;</description>
  </item>
</channel></rss>`;
    expect(await images(xml)).toEqual([
      'https://cdn.lumen-daily.example/kling-large.jpg',
      'https://lumen-daily.example/images/episode-41-cover.png',
      'https://lumen-daily.example/wp-content/uploads/2026/05/firefly-4.webp?w=1200&h=630',
      'https://cdn.lumen-daily.example/sf3d-thumb.jpg',
      null,
    ]);
  });

  it('takes media:thumbnail when there is no media:content image', async () => {
    const xml = `<rss ${RSS_NS}><channel><title>t</title>
      <item><title>YouTube: Luma Ray 3 hands-on</title><link>https://lumen-daily.example/v/ray3</link>
        <media:thumbnail url="https://i.ytimg.example/vi/ray3/hqdefault.jpg" width="480" height="360"/></item>
    </channel></rss>`;
    expect(await images(xml)).toEqual(['https://i.ytimg.example/vi/ray3/hqdefault.jpg']);
  });
});

describe('lead image of an Atom entry', () => {
  it('takes link rel="enclosure" with an image type, else the first <img> of the content, resolved against the feed', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pixel Ledger</title><id>tag:pixel-ledger.example,2026:feed</id>
  <updated>2026-05-03T10:00:00Z</updated>
  <entry><title>Ideogram 3 learns typography</title><id>tag:pixel-ledger.example,2026:ideogram-3</id>
    <updated>2026-05-03T09:00:00Z</updated>
    <link rel="alternate" href="https://pixel-ledger.example/ideogram-3"/>
    <link rel="enclosure" type="audio/mpeg" href="https://pixel-ledger.example/ideogram-3.mp3"/>
    <link rel="enclosure" type="image/jpeg" href="https://pixel-ledger.example/img/ideogram-3.jpg"/>
  </entry>
  <entry><title>Recraft adds vector exports</title><id>tag:pixel-ledger.example,2026:recraft</id>
    <updated>2026-05-02T09:00:00Z</updated>
    <link href="https://pixel-ledger.example/recraft"/>
    <content type="html">&lt;p&gt;&lt;img src="img/recraft.png" alt="A vector logo"&gt; Recraft now exports SVG.&lt;/p&gt;</content>
  </entry>
</feed>`;
    expect(await images(xml, 'https://pixel-ledger.example/atom/')).toEqual([
      'https://pixel-ledger.example/img/ideogram-3.jpg',
      'https://pixel-ledger.example/atom/img/recraft.png',
    ]);
  });
});

describe('a story keeps a lead image', () => {
  let services: TestServices | undefined;
  afterEach(() => services?.dispose());

  it("is its first outlet's image, or the first image a later outlet brings", () => {
    services = createTestServices({
      feeds: [
        { id: 'first', name: 'First Wire', url: 'https://first.example/feed' },
        { id: 'second', name: 'Second Desk', url: 'https://second.example/feed' },
        { id: 'third', name: 'Third Post', url: 'https://third.example/feed' },
      ],
    });
    const s = services;
    const at = '2026-05-04T08:00:00.000Z';
    const shared = 'https://news.example/runway-gen-5-camera-control';
    const noImage = 'https://news.example/midjourney-video-v2';
    ingest(s, 'first', [
      { guid: 'a', title: 'Runway Gen-5 adds camera control', url: shared, publishedAt: at, label: 'video', imageUrl: 'https://first.example/gen5.jpg' },
      { guid: 'b', title: 'Midjourney ships its second video model', url: noImage, publishedAt: at, label: 'video' },
    ]);
    ingest(s, 'second', [
      { guid: 'c', title: 'Runway Gen-5 is here', url: shared, publishedAt: at, label: 'video', imageUrl: 'https://second.example/gen5.png' },
      { guid: 'd', title: 'Midjourney video v2 arrives', url: noImage, publishedAt: at, label: 'video', imageUrl: 'https://second.example/mj.png' },
    ]);
    ingest(s, 'third', [
      { guid: 'e', title: 'Midjourney video, take two', url: noImage, publishedAt: at, label: 'video', imageUrl: 'https://third.example/mj.png' },
    ]);
    const stories = s.stories.listForReview({ limit: 10, offset: 0 });
    expect(stories).toHaveLength(2);
    const byTitle = Object.fromEntries(stories.map((story) => [story.title, story.imageUrl]));
    expect(byTitle).toEqual({
      'Runway Gen-5 adds camera control': 'https://first.example/gen5.jpg',
      'Midjourney ships its second video model': 'https://second.example/mj.png',
    });
  });
});
