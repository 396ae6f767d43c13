import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostForUrl, loadConfig, ConfigError } from './config/load-config';
import { StartupError } from './startup-error';
import { createDigestBuilder } from './digest/build-digest';
import { createHttpListener } from './http-composition';
import { retrainModel } from './cli/retrain-command';
import { runDigestJob } from './jobs/digest-job';
import { runFetchCycle } from './jobs/fetch-run';
import { startSchedule, type ScheduledJob } from './jobs/schedule';
import { SingleFlight } from './jobs/single-flight';
import { createLogger } from './logger';
import { ServiceMetrics } from './metrics/service-metrics';
import { createNewsletter } from './newsletter/newsletter';
import { activeSources, createServices, fetchRunSettings, syncConfiguredFeeds } from './services';

const SHUTDOWN_GRACE_MS = 5_000;

/** Composition root: config -> database -> model -> HTTP app -> schedules. No logic lives here. */
async function main(): Promise<void> {
  const logger = createLogger();
  const config = loadConfig();
  const services = createServices(config, logger);
  const { feeds, stories, classifier } = services;

  const newsletter = createNewsletter(services);
  const metrics = new ServiceMetrics();
  const server = createServer(createHttpListener(services, newsletter, metrics)).listen(config.server.port, config.server.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const selfOrigin = `http://${hostForUrl(config.server.host)}:${address.port}`;
  syncConfiguredFeeds(feeds, config, selfOrigin);
  logger.info('listening', { url: selfOrigin, public_url: config.publicBaseUrl, db: config.database.path });

  const settings = fetchRunSettings(config, selfOrigin);
  const fetchRun = new SingleFlight(() =>
    runFetchCycle(activeSources(feeds), { feeds, stories, classify: classifier.classify, settings, logger }),
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

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await schedule.stop();
    server.close();
    server.closeIdleConnections();
    // Give the in-flight run a moment to finish its feeds. Each feed's writes are one synchronous
    // transaction, so a feed still downloading when we exit simply was not stored: nothing half-written.
    const finished = await Promise.race([
      fetchRun.idle().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()),
    ]);
    if (!finished) logger.warn('fetch run still in flight at shutdown; its unfinished feeds will be fetched next time');
    await newsletter.close();
    services.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
