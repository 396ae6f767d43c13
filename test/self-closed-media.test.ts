/**
 * XHTML writes empty media elements self-closed (<video …/>, <iframe …/>). Read as HTML, such a
 * tag opens an element that never closes, and since media elements are left out of a summary,
 * every word after it was lost with it.
 */
import { describe, expect, it } from 'vitest';
import type { FeedSource } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import { htmlToPlainText, htmlToPlainTextByConverter } from '../src/parse/plain-text';

const feed: FeedSource = { id: 'loopframe', name: 'Loopframe', url: 'https://loopframe.example/atom.xml', enabled: true };

describe('self-closed media elements in item HTML', () => {
  it('keep the words after them in the summary (Atom xhtml content as a static-site generator writes it)', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Loopframe</title><id>tag:loopframe.example,2025:feed</id><updated>2026-05-06T10:00:00Z</updated>
  <entry>
    <title>Ray 3 renders HDR, and it shows in the shadows</title>
    <link href="https://loopframe.example/2026/05/ray-3-hdr/"/>
    <id>tag:loopframe.example,2026:ray-3-hdr</id>
    <updated>2026-05-06T09:30:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Luma's first clip from Ray 3:</p>
      <video src="https://loopframe.example/media/ray3-harbour.mp4" controls="controls" poster="https://loopframe.example/media/ray3-harbour.jpg"/>
      <p>The model now renders 16-bit HDR, and the night shots hold detail in the shadows.</p>
      <iframe src="https://www.youtube-nocookie.com/embed/ray3demo" width="560" height="315"/>
      <p>Pricing follows next month.</p>
    </div></content>
  </entry>
</feed>`;
    const result = await parseFeedDocument(atom, feed, new Date('2026-05-07T00:00:00Z'), feed.url);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.items[0].summary).toBe(
      "Luma's first clip from Ray 3: The model now renders 16-bit HDR, and the night shots hold detail in the shadows. Pricing follows next month.",
    );
  });

  it('read the same through the shortcut and the full converter', () => {
    for (const html of [
      'Before<video src="a.mp4"/>after',
      'Before<IFRAME src="x" />after<audio/>end',
      'Kept <svg viewBox="0 0 1 1"/> words <object data="x"/> here',
      '<p>Closed as HTML <video src="a.mp4"></video> stays as it was</p>',
    ]) {
      expect(htmlToPlainText(html), html).toBe(htmlToPlainTextByConverter(html));
      expect(htmlToPlainText(html), html).not.toMatch(/<|src/);
    }
    expect(htmlToPlainText('Before<video src="a.mp4"/>after')).toBe('Beforeafter');
    expect(htmlToPlainText('Kept <svg viewBox="0 0 1 1"/> words <object data="x"/> here')).toBe('Kept words here');
  });
});
