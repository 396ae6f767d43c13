import type { Logger } from './logger';
import { createDigestBuilder } from './digest/build-digest';
import { retrainModel } from './cli/retrain-command';
import { runDigestJob } from './jobs/digest-job';
import { startSchedule, type ScheduledJob } from './jobs/schedule';
import { SingleFlight } from './jobs/single-flight';
import type { ServiceMetrics } from './metrics/service-metrics';
import type { Newsletter } from './newsletter/newsletter';
import { activeSources, fetchRunSettings, type Services } from './services';

export interface ServerJobs {
  /** Stops the schedules (a running job finishes). */
  stopSchedule(): Promise<void>;
  /** Resolves when no fetch run is in flight. */
  fetchIdle(): Promise<void>;
}

/**
 * The server's second half, imported after it listens (server.ts): the first requests are answered
 * while the model, the fetch pipeline (fetch, parse, dedupe), the digest builder and node-cron load.
 * Wiring only, like server.ts.
 */
export async function startServerJobs(deps: {
  services: Services;
  newsletter: Newsletter;
  metrics: ServiceMetrics;
  selfOrigin: string;
  logger: Logger;
}): Promise<ServerJobs> {
  const { services, newsletter, metrics, selfOrigin, logger } = deps;
  const { config, feeds, stories, classifier } = services;
  // Each step below is a few tens of milliseconds of synchronous work; requests that arrived in
  // the meantime are answered between steps.
  await nextTurn();
  // Now, so a model that can be neither loaded nor trained stops the start-up with its readable error.
  void classifier.model;
  await nextTurn();
  // The fetch pipeline (fetch, parse, dedupe) is the largest part of the code; it loads with the first run.
  const fetchCycle = import('./jobs/fetch-run');
  // A failure to load is reported by the run that needs it, not as an unhandled rejection.
  fetchCycle.catch(() => undefined);

  const settings = fetchRunSettings(config, selfOrigin);
  const fetchRun = new SingleFlight(async () =>
    (await fetchCycle).runFetchCycle(activeSources(feeds), { feeds, stories, classify: classifier.classify, settings, logger }),
  );
  const triggerFetch = async () => {
    const summary = await fetchRun.trigger();
    if (summary === null) logger.info('fetch run skipped: the previous run is still in progress');
    else metrics.recordFetchRun(summary);
  };
  // Built at start-up so an unsupported digest cron fails now, not at the first tick.
  const digestBuilder = createDigestBuilder(services);
  const digestJob: ScheduledJob = {
    name: 'digest',
    cron: config.schedule.digestCron,
    run: () => runDigestJob({ builder: digestBuilder, newsletter, logger }).then((result) => metrics.recordDigestSend(result.send)),
  };
  const jobs: ScheduledJob[] = [{ name: 'fetch', cron: config.schedule.fetchCron, run: triggerFetch }, digestJob];
  if (config.schedule.retrainCron) {
    const retrainLog = process.stderr;
    jobs.push({ name: 'retrain', cron: config.schedule.retrainCron, run: async () => retrainModel(services, retrainLog) });
  }
  const schedule = startSchedule(jobs, config.schedule.timezone, logger);
  if (config.schedule.fetchOnStart) {
    // Then catch up on digest periods that ended while the service was down (or never ran).
    void triggerFetch().then(() => digestJob.run()).catch((error: unknown) => {
      logger.error('start-up jobs failed', { error: (error as Error).message });
    });
  }
  return { stopSchedule: () => schedule.stop(), fetchIdle: () => fetchRun.idle() };
}

/** Lets the event loop answer pending requests before the next step. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
