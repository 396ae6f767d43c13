/**
 * Runs at most one instance of a job at a time. A trigger that arrives while a run is in flight
 * does not start a second one: it gets `null` back, so fetch runs never overlap whether they come
 * from the cron schedule, the start-up fetch or an operator.
 */
export class SingleFlight<T> {
  private inFlight: Promise<T> | null = null;

  constructor(private readonly job: () => Promise<T>) {}

  get running(): boolean {
    return this.inFlight !== null;
  }

  /** Starts the job unless it is already running; resolves to its result, or null when skipped. */
  async trigger(): Promise<T | null> {
    if (this.inFlight) return null;
    this.inFlight = this.job();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  /** Resolves once no run is in flight (used by graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight.catch(() => undefined);
    }
  }
}
