/**
 * A story's lead image on the site's pages: the picture on its story page, thumbnails in the index
 * and "Your next read" lists, and the og:image / Twitter card tags link previews use.
 *
 * Images are hotlinked: the reader's browser fetches the outlet's URL, as feed readers do (see the
 * README for the privacy trade-off). `referrerpolicy="no-referrer"` keeps which of our pages a
 * reader was on from travelling to the outlet's image host. The URL was validated as absolute
 * http(s) at ingest and again here, and is attribute-escaped; nothing else from the feed is used.
 */
import escapeHtml from 'escape-html';
import type { Story } from '../model';
import { safeHttpUrl } from '../publish/feed-builder';

/** Rendered box sizes (16:9). The outlet's picture is cropped into them (object-fit), never stretched. */
const SIZES = {
  lead: { width: 720, height: 405 },
  thumb: { width: 160, height: 90 },
} as const;

export type StoryImageSize = keyof typeof SIZES;

/** The story's image URL when it is one we publish, else null. */
export function storyImageUrl(story: Pick<Story, 'imageUrl'>): string | null {
  return safeHttpUrl(story.imageUrl);
}

/**
 * The image (lazy-loaded, with width, height and alt text) or, when the story has none, a
 * placeholder box of the same size that says "No image". `alt` is plain text.
 */
export function storyImageHtml(story: Pick<Story, 'imageUrl'>, alt: string, size: StoryImageSize): string {
  const { width, height } = SIZES[size];
  const url = storyImageUrl(story);
  if (url === null) {
    return `<span class="story-image story-image-${size} no-image" role="img" aria-label="No image" style="aspect-ratio:${width}/${height}"><span aria-hidden="true">No image</span></span>`;
  }
  return `<img class="story-image story-image-${size}" src="${escapeHtml(url)}" alt="${escapeHtml(alt)}" width="${width}" height="${height}" loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
}

/** Link-preview tags for a story page: og:image and a large-image Twitter card, or a plain summary card. */
export function storyImageMetaTags(story: Pick<Story, 'imageUrl'>, title: string, summary: string): string {
  const url = storyImageUrl(story);
  const tags = [
    `<meta property="og:type" content="article">`,
    `<meta property="og:title" content="${escapeHtml(title)}">`,
    `<meta property="og:description" content="${escapeHtml(summary.slice(0, 300))}">`,
    `<meta name="twitter:card" content="${url === null ? 'summary' : 'summary_large_image'}">`,
    `<meta name="twitter:title" content="${escapeHtml(title)}">`,
  ];
  if (url !== null) {
    tags.push(`<meta property="og:image" content="${escapeHtml(url)}">`, `<meta name="twitter:image" content="${escapeHtml(url)}">`);
  }
  return tags.join('\n');
}

/** Styles for the image and the placeholder; pages add them to their own CSS. */
export const STORY_IMAGE_CSS = `
.story-image{display:block;object-fit:cover;background:var(--line);border-radius:.4rem;max-width:100%;height:auto}
.story-image-lead{width:100%;margin:1rem 0}
.story-image-thumb{width:160px;flex:none}
.no-image{display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:.8rem;border:1px dashed var(--line);background:transparent}
.no-image.story-image-lead{height:auto}
.with-thumb{display:flex;gap:.8rem;align-items:flex-start}
.with-thumb>div{min-width:0}
`;
