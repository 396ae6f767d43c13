/**
 * Labelled same-event data (data/clusters/*.jsonl): outlets' reports, each tagged with the
 * event it covers. One line per report:
 * {"event","outlet","title","summary","published","link","distractor"}.
 */
import { readFileSync } from 'node:fs';

export interface ClusterReport {
  event: string;
  outlet: string;
  title: string;
  summary: string;
  published: string;
  link: string;
  /** A different event about the same company or product as another event in the set. */
  distractor: boolean;
}

export class ClusterDatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ClusterDatasetError';
  }
}

export function readClusterReports(file: string): ClusterReport[] {
  const reports: ClusterReport[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: Partial<ClusterReport>;
    try {
      value = JSON.parse(line) as Partial<ClusterReport>;
    } catch (error) {
      throw new ClusterDatasetError(file, index + 1, `not JSON (${(error as Error).message})`);
    }
    for (const field of ['event', 'outlet', 'title', 'published'] as const) {
      if (typeof value[field] !== 'string' || value[field] === '') {
        throw new ClusterDatasetError(file, index + 1, `"${field}" must be a non-empty string`);
      }
    }
    if (Number.isNaN(Date.parse(value.published!))) throw new ClusterDatasetError(file, index + 1, 'bad "published" date');
    reports.push({
      event: value.event!,
      outlet: value.outlet!,
      title: value.title!,
      summary: typeof value.summary === 'string' ? value.summary : '',
      published: new Date(value.published!).toISOString(),
      link: typeof value.link === 'string' ? value.link : '',
      distractor: value.distractor === true,
    });
  });
  return reports;
}

/** Reports in the order a feed reader would see them: by published time (ties by outlet). */
export function arrivalOrder(reports: readonly ClusterReport[]): ClusterReport[] {
  return [...reports].sort((a, b) => a.published.localeCompare(b.published) || a.outlet.localeCompare(b.outlet));
}

function hashFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0x1_0000_0000;
}

/**
 * The same reports with every event moved into one `spanDays`-long stretch (each event's own
 * spread kept, its start placed by a hash of its id). A labelled set spread over years holds a
 * handful of items per week; a real feed stream holds hundreds, with the same companies in the
 * news several times a week. Compressing the timeline tests matching at that density.
 */
export function compressTimeline(reports: readonly ClusterReport[], spanDays: number, anchor = '2025-01-06T00:00:00.000Z'): ClusterReport[] {
  const starts = new Map<string, number>();
  for (const report of reports) {
    const time = Date.parse(report.published);
    starts.set(report.event, Math.min(starts.get(report.event) ?? time, time));
  }
  const base = Date.parse(anchor);
  return reports.map((report) => {
    const offset = Date.parse(report.published) - starts.get(report.event)!;
    const start = base + Math.floor(hashFraction(report.event) * spanDays * 86_400_000);
    return { ...report, published: new Date(start + offset).toISOString() };
  });
}
