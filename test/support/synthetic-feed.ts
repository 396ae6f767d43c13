/** Builds an RSS 2.0 document of `count` distinct, plausible items for load and crash tests. */
export function syntheticRss(feedId: string, count: number, startDate = Date.parse('2026-11-20T00:00:00Z')): string {
  const subjects = ['video model', 'image model', 'chip', 'chatbot', 'animation tool', 'photo editor', 'robot'];
  const verbs = ['ships', 'tests', 'opens', 'prices', 'demos', 'benchmarks', 'licenses'];
  const items: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const subject = subjects[i % subjects.length];
    const verb = verbs[Math.floor(i / subjects.length) % verbs.length];
    const title = `${feedId} lab ${verb} ${subject} number ${i} for studio ${i * 7919 % 1000}`;
    items.push(`<item>
      <title>${title}</title>
      <link>https://${feedId}.example/stories/${i}</link>
      <guid isPermaLink="false">${feedId}-${i}</guid>
      <pubDate>${new Date(startDate + i * 60_000).toUTCString()}</pubDate>
      <description>Story ${i} from ${feedId}: the ${subject} ${verb} new features.</description>
    </item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${feedId}</title>
    <link>https://${feedId}.example/</link><description>synthetic</description>${items.join('')}</channel></rss>`;
}
