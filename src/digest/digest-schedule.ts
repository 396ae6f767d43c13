/**
 * Digest periods from the digest cron expression (config `schedule.digestCron`, default "0 8 * * 1,4":
 * Monday and Thursday 08:00 in `schedule.timezone`). The digest for the period ending at a tick covers
 * stories published from the previous tick (inclusive) to that tick (exclusive).
 *
 * Supported shape (what a twice-weekly digest needs), parsed here instead of evaluating arbitrary cron:
 *   [S] M H * * D
 *   S  optional seconds field, must be 0
 *   M  one minute 0-59;  H  one hour 0-23  (so there is at most one tick per local day)
 *   day-of-month and month must be "*"
 *   D  "*", or a list of days/ranges: 0-7 (0 and 7 are Sunday) or sun..sat, e.g. "1,4", "1-5", "mon,thu"
 * Limits: no steps ("*\/2"), no lists/ranges in M or H, no day-of-month or month restrictions; such
 * expressions are rejected with a DigestScheduleError naming the field, never silently misread.
 * In a time zone with daylight saving time, a local time skipped by the spring-forward jump resolves to
 * the instant one offset-change later, and a repeated local time to its second occurrence; the
 * default 08:00 is never affected.
 */

export interface DigestSchedule {
  expression: string;
  minute: number;
  hour: number;
  /** Local weekdays with a tick, 0 = Sunday. */
  weekdays: ReadonlySet<number>;
  /** IANA time zone the cron is evaluated in, e.g. "UTC" or "Europe/Berlin". */
  timeZone: string;
}

export interface DigestPeriod {
  /** Inclusive. */
  start: Date;
  /** Exclusive; a tick of the schedule. */
  end: Date;
}

export class DigestScheduleError extends Error {
  constructor(
    readonly expression: string,
    detail: string,
  ) {
    super(`digest cron "${expression}": ${detail}`);
    this.name = 'DigestScheduleError';
  }
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

function singleNumber(expression: string, field: string, raw: string, max: number): number {
  if (!/^[0-9]{1,2}$/.test(raw) || Number(raw) > max) {
    throw new DigestScheduleError(expression, `${field} must be a single number from 0 to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function weekday(expression: string, raw: string): number {
  const named = DAY_NAMES.indexOf(raw.toLowerCase());
  if (named >= 0) return named;
  if (!/^[0-7]$/.test(raw)) {
    throw new DigestScheduleError(expression, `day-of-week "${raw}" must be 0-7 or sun..sat`);
  }
  return Number(raw) % 7;
}

function parseWeekdays(expression: string, raw: string): Set<number> {
  if (raw === '*') return new Set([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<number>();
  for (const part of raw.split(',')) {
    const range = part.split('-');
    if (range.length === 1) {
      days.add(weekday(expression, part));
    } else if (range.length === 2) {
      // Ranges are resolved on the 0-7 scale so "5-7" (Fri..Sun) works; 7 is folded to 0 afterwards.
      const from = range[0].toLowerCase() === 'sun' ? 0 : weekday(expression, range[0]);
      const to = range[1] === '7' ? 7 : weekday(expression, range[1]);
      if (from > to) throw new DigestScheduleError(expression, `day-of-week range "${part}" runs backwards`);
      for (let day = from; day <= to; day += 1) days.add(day % 7);
    } else {
      throw new DigestScheduleError(expression, `cannot read day-of-week "${part}"`);
    }
  }
  return days;
}

/** Throws DigestScheduleError for an unsupported expression or an unknown time zone. */
export function parseDigestSchedule(expression: string, timeZone: string = 'UTC'): DigestSchedule {
  let fields = expression.trim().split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== '0') throw new DigestScheduleError(expression, 'the seconds field must be 0');
    fields = fields.slice(1);
  }
  if (fields.length !== 5) {
    throw new DigestScheduleError(expression, 'expected 5 fields "minute hour day-of-month month day-of-week"');
  }
  const [minuteField, hourField, dayOfMonth, month, dayOfWeek] = fields;
  if (dayOfMonth !== '*' || month !== '*') {
    throw new DigestScheduleError(expression, 'day-of-month and month must be "*" (digests run on weekdays)');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new DigestScheduleError(expression, `unknown time zone "${timeZone}"`);
  }
  return {
    expression,
    minute: singleNumber(expression, 'minute', minuteField, 59),
    hour: singleNumber(expression, 'hour', hourField, 23),
    weekdays: parseWeekdays(expression, dayOfWeek),
    timeZone,
  };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}

/** Offset of the zone from UTC at `instant`, in ms (positive east of Greenwich), at second resolution. */
function zoneOffset(instant: number, timeZone: string): number {
  const local = wallClock(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant at which the zone's clocks show the given local date and time. */
function instantOfWallTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  if (timeZone === 'UTC') return naive;
  const firstGuess = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(firstGuess, timeZone);
}

/** The latest tick of the schedule at or before `at`. */
export function previousTick(schedule: DigestSchedule, at: Date): Date {
  const now = at.getTime();
  if (Number.isNaN(now)) throw new RangeError('previousTick needs a valid date');
  const today = wallClock(now, schedule.timeZone);
  // Eight local days always contain a matching weekday whose tick is not after `at`.
  for (let daysBack = 0; daysBack <= 8; daysBack += 1) {
    const localDate = new Date(Date.UTC(today.year, today.month - 1, today.day) - daysBack * DAY_MS);
    if (!schedule.weekdays.has(localDate.getUTCDay())) continue;
    const tick = instantOfWallTime(
      localDate.getUTCFullYear(),
      localDate.getUTCMonth() + 1,
      localDate.getUTCDate(),
      schedule.hour,
      schedule.minute,
      schedule.timeZone,
    );
    if (tick <= now) return new Date(tick);
  }
  throw new DigestScheduleError(schedule.expression, 'no tick found in the last 8 days');
}

export function isTick(schedule: DigestSchedule, date: Date): boolean {
  return !Number.isNaN(date.getTime()) && previousTick(schedule, date).getTime() === date.getTime();
}

/** The period that ends at `end`, which must be a tick. */
export function periodEndingAt(schedule: DigestSchedule, end: Date): DigestPeriod {
  if (!isTick(schedule, end)) {
    throw new DigestScheduleError(schedule.expression, `${end.toISOString()} is not a tick of the schedule`);
  }
  return { start: previousTick(schedule, new Date(end.getTime() - 1)), end };
}

/** The last period that is over at `at`: it ends at the latest tick <= `at`. */
export function latestCompletedPeriod(schedule: DigestSchedule, at: Date): DigestPeriod {
  return periodEndingAt(schedule, previousTick(schedule, at));
}

/** The tick's date in the schedule's zone, "YYYY-MM-DD": unique per tick since there is at most one a day. */
export function localDateOf(schedule: DigestSchedule, instant: Date): string {
  const local = wallClock(instant.getTime(), schedule.timeZone);
  return `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}
