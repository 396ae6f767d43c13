/** Dates before this are CMS defaults (epoch 0, year 1) rather than publication dates. */
const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);
/** Feeds that publish a little ahead (time zones, scheduled posts) are tolerated up to this. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * Zone abbreviations feeds write after an RFC 822 time that Date.parse does not know (it knows
 * GMT, UT(C) and the US zones). Ambiguous ones (IST: India or Ireland) take the more common reading.
 */
const ZONE_OFFSETS: Readonly<Record<string, string>> = {
  BST: '+0100', IST: '+0530', CET: '+0100', CEST: '+0200', MET: '+0100', MEST: '+0200', WET: '+0000', WEST: '+0100',
  EET: '+0200', EEST: '+0300', MSK: '+0300', JST: '+0900', KST: '+0900', HKT: '+0800', SGT: '+0800', AWST: '+0800',
  ACST: '+0930', ACDT: '+1030', AEST: '+1000', AEDT: '+1100', NZST: '+1200', NZDT: '+1300', AKST: '-0900',
  AKDT: '-0800', HST: '-1000', NST: '-0330', NDT: '-0230', AST: '-0400', ADT: '-0300', Z: '+0000',
  // US zones without the S/D letter, as some US outlets write them; standard time, as Python feedparser reads them.
  AT: '-0400', ET: '-0500', CT: '-0600', MT: '-0700', PT: '-0800',
};
const TRAILING_ZONE = /\s([A-Z]{1,4})$/;
/** The tz database's names for UTC, which some generators print where a zone belongs. */
const TRAILING_TZ_UTC = /\sEtc\/(?:GMT|UTC)$/i;

/** No real feed date is longer; longer text is not scanned at all. */
const MAX_DATE_CHARS = 100;
const MONTH_NAME = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;
/** A day number next to the month name: "04 May", "May 4,", "Jan  4 16:29" (asctime), "May-04". */
const DAY_BY_MONTH =
  /(?:^|\D)\d{1,2}[\s,.-]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s,.-]+\d{1,2}(?!\d)/i;
/** A time of four or more fields ("1:2:3:4") is no time. */
const TOO_MANY_TIME_FIELDS = /\d:\d+:\d+:\d/;

/**
 * Date.parse's fallback reader is lenient in ways that turn garbage into a wrong but plausible date
 * ("Sun, Dec x 2012" becomes 1 December): such text is refused, so the item falls back to the
 * fetch time instead of carrying a made-up date.
 */
function isGarbledDate(text: string): boolean {
  return TOO_MANY_TIME_FIELDS.test(text) || (MONTH_NAME.test(text) && !DAY_BY_MONTH.test(text));
}

/** Parses an RFC 822 or ISO 8601 feed date; a zone-less ISO timestamp is taken as UTC, not the server's zone. */
export function parseFeedDate(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim();
  if (!text || text.length > MAX_DATE_CHARS) return null;
  if (TRAILING_TZ_UTC.test(text)) text = text.replace(TRAILING_TZ_UTC, ' +0000');
  const zone = TRAILING_ZONE.exec(text);
  if (zone && ZONE_OFFSETS[zone[1]] !== undefined) text = `${text.slice(0, zone.index)} ${ZONE_OFFSETS[zone[1]]}`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text.replace(' ', 'T')}Z`;
  const time = Date.parse(text);
  return Number.isNaN(time) || isGarbledDate(text) ? null : new Date(time);
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
