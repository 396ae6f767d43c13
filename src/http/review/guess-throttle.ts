/**
 * Throttles editor-token guessing per client address, for the sign-in form and the API alike.
 *
 * After `maxFailures` wrong tokens within `windowSeconds`, the address is refused (429 with
 * Retry-After) for `firstBlockSeconds`; every further block of the same address within a day
 * doubles, up to `maxBlockSeconds`. While blocked, even the right token is refused, so the answer
 * says nothing about a guess. Counting is rate-limiter-flexible's in-memory limiter (one process).
 *
 * Failed attempts are logged in aggregate: one line per `summaryIntervalMs` with the totals and the
 * busiest addresses, and one line when an address gets blocked; never one line per guess.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ReviewLogger } from './review-deps';

export interface GuessThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
  firstBlockSeconds: number;
  maxBlockSeconds: number;
  summaryIntervalMs: number;
}

export const DEFAULT_GUESS_THROTTLE: GuessThrottleSettings = {
  maxFailures: 5,
  windowSeconds: 15 * 60,
  firstBlockSeconds: 60,
  maxBlockSeconds: 60 * 60,
  summaryIntervalMs: 60_000,
};

/** How long blocks are remembered for the doubling. */
const BLOCK_MEMORY_SECONDS = 24 * 60 * 60;
const TOP_ADDRESSES_LOGGED = 5;

export type Channel = 'sign-in' | 'api';

export class GuessThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly blocks: RateLimiterMemory;
  private readonly settings: GuessThrottleSettings;
  /** Failed attempts and refused (429) requests since the last summary, per address. */
  private pending = new Map<string, { failed: number; refused: number; channels: Set<Channel> }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: ReviewLogger,
    settings: Partial<GuessThrottleSettings> = {},
  ) {
    this.settings = { ...DEFAULT_GUESS_THROTTLE, ...settings };
    this.failures = new RateLimiterMemory({ points: this.settings.maxFailures, duration: this.settings.windowSeconds });
    this.blocks = new RateLimiterMemory({ points: Number.MAX_SAFE_INTEGER, duration: BLOCK_MEMORY_SECONDS });
    this.timer = setInterval(() => this.flushSummary(), this.settings.summaryIntervalMs);
    // A throttle must never keep the process alive.
    this.timer.unref();
  }

  /** Seconds this address must still wait, or null when it may try. Counts the refusal for the summary. */
  async retryAfter(address: string, channel: Channel): Promise<number | null> {
    const state = await this.failures.get(address);
    if (state === null || state.consumedPoints <= this.settings.maxFailures) return null;
    this.note(address, channel).refused += 1;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** A wrong or missing token. Returns the block in seconds when this failure started one. */
  async recordFailure(address: string, channel: Channel): Promise<number | null> {
    this.note(address, channel).failed += 1;
    try {
      const state = await this.failures.consume(address);
      if (state.remainingPoints > 0) return null;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
    }
    const blocked = await this.blocks.consume(address);
    const seconds = Math.min(
      this.settings.maxBlockSeconds,
      this.settings.firstBlockSeconds * 2 ** Math.min(30, blocked.consumedPoints - 1),
    );
    await this.failures.block(address, seconds);
    this.logger.warn('editor token guessing throttled', {
      ip: address,
      via: channel,
      block_seconds: seconds,
      blocks_today: blocked.consumedPoints,
    });
    return seconds;
  }

  /** The right token: the address's failure count starts again (earlier blocks still count for doubling). */
  async recordSuccess(address: string): Promise<void> {
    await this.failures.delete(address);
  }

  /** Logs the failures since the last summary (if any) as one line. */
  flushSummary(): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending.entries()];
    this.pending = new Map();
    const sum = (pick: (value: { failed: number; refused: number }) => number) =>
      entries.reduce((total, [, value]) => total + pick(value), 0);
    this.logger.warn('editor authentication failures', {
      failed_attempts: sum((value) => value.failed),
      refused_while_blocked: sum((value) => value.refused),
      addresses: entries.length,
      busiest: entries
        .sort((a, b) => b[1].failed + b[1].refused - (a[1].failed + a[1].refused))
        .slice(0, TOP_ADDRESSES_LOGGED)
        .map(([ip, value]) => `${ip} ${value.failed} failed/${value.refused} refused via ${[...value.channels].join('+')}`)
        .join('; '),
      period_seconds: Math.round(this.settings.summaryIntervalMs / 1000),
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.flushSummary();
  }

  private note(address: string, channel: Channel) {
    let entry = this.pending.get(address);
    if (entry === undefined) {
      entry = { failed: 0, refused: 0, channels: new Set() };
      this.pending.set(address, entry);
    }
    entry.channels.add(channel);
    return entry;
  }
}
