/** Dates before this are CMS defaults (epoch 0, year 1) rather than publication dates. */
const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);
/** Feeds that publish a little ahead (time zones, scheduled posts) are tolerated up to this. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/** Parses an RFC 822 or ISO 8601 feed date; a zone-less ISO timestamp is taken as UTC, not the server's zone. */
export function parseFeedDate(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim();
  if (!text) return null;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text.replace(' ', 'T')}Z`;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * The first usable date among the candidates (in order of preference), or the fetch time.
 * Dates more than a day in the future or implausibly old count as unusable.
 */
export function chooseItemDate(candidates: unknown[], fetchedAt: Date): { publishedAt: string; hasFeedDate: boolean } {
  const latestAllowed = fetchedAt.getTime() + FUTURE_TOLERANCE_MS;
  for (const candidate of candidates) {
    const date = parseFeedDate(candidate);
    if (!date) continue;
    const time = date.getTime();
    if (time > latestAllowed || time < EARLIEST_PLAUSIBLE) continue;
    return { publishedAt: date.toISOString(), hasFeedDate: true };
  }
  return { publishedAt: fetchedAt.toISOString(), hasFeedDate: false };
}
