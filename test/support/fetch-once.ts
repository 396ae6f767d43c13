import { runFetchCycle, type FetchRunSummary } from '../../src/jobs/fetch-run';
import { silentLogger } from '../../src/logger';
import { activeSources, fetchRunSettings, type Services } from '../../src/services';

export interface FetchOnceOptions {
  /** Fetch every active feed even when it is not due (interval, backoff); disabled feeds stay skipped. */
  force?: boolean;
  /** The run's clock, for backoff and due-time tests; the real time when omitted. */
  now?: Date;
}

/** One fetch run over the configured active feeds, with the service's real fetch settings and no log output. */
export function runFetchOnce(services: Services, options: FetchOnceOptions = {}): Promise<FetchRunSummary> {
  const fixedNow = options.now;
  return runFetchCycle(
    activeSources(services.feeds),
    {
      feeds: services.feeds,
      stories: services.stories,
      classify: services.classifier.classify,
      settings: fetchRunSettings(services.config, null),
      logger: silentLogger,
      now: fixedNow ? () => fixedNow : undefined,
    },
    { force: options.force ?? false },
  );
}
