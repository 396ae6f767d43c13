import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostForUrl, loadConfig, ConfigError } from './config/load-config';
import { StartupError } from './startup-error';
import { createHttpListener } from './http-composition';
import { createLogger } from './logger';
import { ServiceMetrics } from './metrics/service-metrics';
import { createNewsletter } from './newsletter/newsletter';
import { createServices, syncConfiguredFeeds } from './services';

const SHUTDOWN_GRACE_MS = 5_000;

/** Composition root: config -> database -> model -> HTTP app -> schedules. No logic lives here. */
async function main(): Promise<void> {
  const logger = createLogger();
  const config = loadConfig();
  // The model loads after listen (server-jobs.ts): no public page or feed needs it.
  const services = createServices(config, logger, { deferModel: true });
  const { feeds } = services;

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

  // What the first responses do not need is imported now, while they are answered.
  const { startServerJobs } = await import('./server-jobs');
  const jobs = await startServerJobs({ services, newsletter, metrics, selfOrigin, logger });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await jobs.stopSchedule();
    server.close();
    server.closeIdleConnections();
    // Give the in-flight run a moment to finish its feeds. Each feed's writes are one synchronous
    // transaction, so a feed still downloading when we exit simply was not stored: nothing half-written.
    const finished = await Promise.race([
      jobs.fetchIdle().then(() => true),
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
