/**
 * A digest issue as stored: a snapshot taken when it was built, so a past issue never changes even if
 * stories of its period are edited, unpublished or arrive late. Links are kept as data (story id, outlet
 * URLs) and turned into absolute URLs only when rendered, so a change of public base URL is no problem.
 */
import type { PublishedLabel } from '../model';

export interface DigestOutlet {
  name: string;
  /** http(s) URL of the outlet's article, or null. */
  url: string | null;
}

export interface DigestEntry {
  storyId: number;
  title: string;
  summary: string;
  /** The original article (http(s) only), or null. */
  url: string | null;
  outlets: DigestOutlet[];
  /** ISO 8601. */
  publishedAt: string;
  /** Importance at the period end (stories/importance.ts), rounded to 4 decimals. */
  importance: number;
}

export interface DigestSection {
  label: PublishedLabel;
  stories: DigestEntry[];
}

export interface Digest {
  id: number;
  /** ISO 8601, inclusive: the previous tick of the digest cron. */
  periodStart: string;
  /** ISO 8601, exclusive: the tick this issue is for; unique per digest. */
  periodEnd: string;
  /** periodEnd's date in the schedule's time zone, "YYYY-MM-DD"; part of the stable feed entry id. */
  periodDate: string;
  createdAt: string;
  /** One per published label, in PUBLISHED_LABELS order. */
  sections: DigestSection[];
}

export type NewDigest = Omit<Digest, 'id'>;
