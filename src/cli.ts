import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { classifyJsonLines } from './classify/classify-lines';
import { runEval } from './classify/eval-command';
import { loadGazetteerIfPresent } from './classify/gazetteer';
import { loadClassifier, loadOrTrainClassifier } from './classify/tfidf-classifier';
import { retrainModel } from './cli/retrain-command';
import { ConfigError, hostForUrl, loadConfig, ownDemoFeedUrls, type LoadedConfig } from './config/load-config';
import { digestCommand, DigestNotFoundError, digestRemoveCommand } from './cli/digest-command';
import { DigestDateInFutureError } from './digest/build-digest';
import { StartupError } from './startup-error';
import { DigestAlreadyMailedError } from './store/digests-repository';
import { printMatchingEval, reclusterCommand, tuneClusteringCommand } from './cli/matching-commands';
import { sendDigestCommand } from './cli/send-digest-command';
import { createNewsletter } from './newsletter/newsletter';
import { createHttpApp } from './http-composition';
import { runFetchCycle } from './jobs/fetch-run';
import { createLogger, type Logger } from './logger';
import { activeSources, createServices, fetchRunSettings, syncConfiguredFeeds, type Services } from './services';
import { buildOpml, OpmlError, parseOpml } from './sources/opml';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  fetch-now [--force]      fetch every due feed once (--force ignores intervals and backoff)
  classify                 read JSON lines {"title","summary"} on stdin, write {"label","confidence","terms"} lines
  eval [--features]        train on the corpus train split; held-out scores, calibration, threshold table
                           (--features: macro-F1 with each optional feature switched);
                           then same-event matching: pairwise and B-cubed scores on data/clusters
  tune-clustering          refit the same-event scorer (data/clusters/tune.jsonl + editors' merges/splits)
  recluster [--since DATE] match stored reports again with the current scorer; keeps editor decisions
  retrain                  rebuild the model from corpus + gazetteer + editor labels; keep the old one if the
                           new scores worse; suggest gazetteer names from editor labels
  digest [at] [--rebuild]  build (or show) the digest of the latest period completed before now (or [at], not
                           later than now); --rebuild removes that period's stored issue and builds it again
  digest-remove <date>     remove a wrongly built digest issue (its date YYYY-MM-DD, or its period end)
  send-digest              mail the newest stored digest to confirmed subscribers who have not received it
  import-opml <file>       add the feeds of an OPML file
  export-opml              print every feed as OPML
  health                   print per-feed status

Environment: FEEDS_CONFIG (config file), DATABASE_PATH, MODEL_PATH, SMTP_URL, LOG_LEVEL.`;

/**
 * The demo source lives on this service's own origin. When the CLI fetches while the server is
 * not running, it serves the demo files itself on a free local port for the duration of the run.
 */
async function withSelfOrigin<T>(
  config: LoadedConfig,
  services: Services,
  run: (selfOrigin: string) => Promise<T>,
): Promise<T> {
  const app = createHttpApp(services);
  const server = app.listen(0, config.server.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  try {
    return await run(`http://${hostForUrl(config.server.host)}:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

async function fetchNow(config: LoadedConfig, logger: Logger, force: boolean): Promise<number> {
  const services = createServices(config, logger);
  try {
    syncConfiguredFeeds(services.feeds, config, config.selfOrigin);
    const summary = await withSelfOrigin(config, services, async (servedOrigin) => {
      // Fetch the configured demo feeds from the temporary origin without rewriting the stored feed
      // URLs. The configured port itself is not trusted: whatever listens there now is not this service.
      const demoUrls = new Set(ownDemoFeedUrls(config.feeds, config.selfOrigin));
      const sources = activeSources(services.feeds).map((source) =>
        demoUrls.has(source.url) ? { ...source, url: servedOrigin + source.url.slice(config.selfOrigin.length) } : source,
      );
      return runFetchCycle(
        sources,
        {
          feeds: services.feeds,
          stories: services.stories,
          classify: services.classifier.classify,
          settings: fetchRunSettings(config, servedOrigin),
          logger,
        },
        { force },
      );
    });
    for (const outcome of summary.outcomes) {
      const detail =
        outcome.kind === 'stored'
          ? `${outcome.inserted} new items (${outcome.newStories} new stories, ${outcome.joined} joined existing stories)`
          : outcome.kind === 'failed'
            ? `FAILED: ${outcome.error}${outcome.disabled ? ' (feed disabled)' : ''}`
            : outcome.kind === 'skipped'
              ? `skipped: ${outcome.reason}`
              : 'not modified';
      process.stdout.write(`${outcome.feedId.padEnd(28)} ${detail}\n`);
    }
    const counts = services.stories.counts();
    process.stdout.write(
      `\n${summary.inserted} new items in ${summary.durationMs} ms; stored: ${counts.items} items, ${counts.stories} stories, ${counts.published} published\n`,
    );
    return 0;
  } finally {
    services.close();
  }
}

async function importOpml(config: LoadedConfig, logger: Logger, file: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write('import-opml needs a file: npm run cli -- import-opml subscriptions.opml\n');
    return 2;
  }
  const { feeds: found, rejected } = await parseOpml(readFileSync(file, 'utf8'));
  const services = createServices(config, logger);
  try {
    const known = new Set(services.feeds.listSources().map((feed) => feed.url));
    const knownIds = new Set(services.feeds.listSources().map((feed) => feed.id));
    const added = found
      .filter((feed) => !known.has(feed.url))
      .map((feed) => (knownIds.has(feed.id) ? { ...feed, id: `${feed.id.slice(0, 56)}-opml` } : feed));
    services.feeds.upsertSources(added, 'opml');
    for (const feed of added) process.stdout.write(`added    ${feed.id.padEnd(28)} ${feed.url}\n`);
    for (const line of rejected) process.stdout.write(`rejected ${line}\n`);
    process.stdout.write(
      `${added.length} feeds added, ${found.length - added.length} already present, ${rejected.length} rejected\n`,
    );
    return 0;
  } finally {
    services.close();
  }
}

/** Opens the services for one command and always closes the database afterwards. */
async function withServices<T>(config: LoadedConfig, logger: Logger, run: (services: Services) => T | Promise<T>): Promise<T> {
  const services = createServices(config, logger);
  try {
    return await run(services);
  } finally {
    services.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const logger = createLogger();
  const config = loadConfig();
  switch (command) {
    case 'fetch-now':
      return fetchNow(config, logger, args.includes('--force'));
    case 'classify': {
      // Only the model is needed: no database, so scripts can classify while the server runs.
      const model = (() => {
        try {
          return loadClassifier(config.classifier.modelPath);
        } catch {
          return loadOrTrainClassifier(config.classifier.modelPath, config.classifier.corpusDir, undefined, {
            gazetteer: loadGazetteerIfPresent(config.classifier.gazetteerPath),
          }).model;
        }
      })();
      const result = await classifyJsonLines(process.stdin, process.stdout, model);
      return result.errors > 0 ? 1 : 0;
    }
    case 'eval':
      runEval(config.classifier.corpusDir, process.stdout, {
        gazetteer: loadGazetteerIfPresent(config.classifier.gazetteerPath),
        featureComparison: args.includes('--features'),
      });
      process.stdout.write('\n');
      printMatchingEval(config, process.stdout);
      return 0;
    case 'tune-clustering':
      return withServices(config, logger, (services) => {
        tuneClusteringCommand(services, process.stdout);
        return 0;
      });
    case 'recluster': {
      const sinceAt = args.indexOf('--since');
      const raw = sinceAt >= 0 ? args[sinceAt + 1] : undefined;
      if (sinceAt >= 0 && (raw === undefined || Number.isNaN(Date.parse(raw)))) {
        process.stderr.write(`recluster: --since needs a date (e.g. 2026-11-01 or 2026-11-01T00:00:00Z), got "${raw ?? ''}"\n`);
        return 2;
      }
      return withServices(config, logger, (services) => {
        reclusterCommand(services, process.stdout, raw === undefined ? null : new Date(raw).toISOString());
        return 0;
      });
    }
    case 'retrain':
      return withServices(config, logger, (services) => {
        retrainModel(services, process.stdout);
        return 0;
      });
    case 'digest': {
      const rebuild = args.includes('--rebuild');
      const dateArg = args.find((arg) => !arg.startsWith('--'));
      const at = dateArg ? new Date(dateArg) : new Date();
      if (Number.isNaN(at.getTime())) {
        process.stderr.write(`digest: "${dateArg}" is not a date (use e.g. 2026-11-26T09:00:00Z)\n`);
        return 2;
      }
      return withServices(config, logger, (services) => {
        digestCommand(services, process.stdout, { at, rebuild });
        return 0;
      });
    }
    case 'digest-remove': {
      if (!args[0]) {
        process.stderr.write('digest-remove needs the issue: npm run cli -- digest-remove 2026-11-26 (its date, as in /digests/<date>)\n');
        return 2;
      }
      return withServices(config, logger, (services) => {
        digestRemoveCommand(services, process.stdout, args[0]);
        return 0;
      });
    }
    case 'send-digest':
      return withServices(config, logger, async (services) => {
        const newsletter = createNewsletter(services);
        try {
          return await sendDigestCommand(newsletter, process.stdout);
        } finally {
          await newsletter.close();
        }
      });
    case 'import-opml':
      return importOpml(config, logger, args[0]);
    case 'export-opml':
      return withServices(config, logger, (services) => {
        process.stdout.write(`${buildOpml(services.feeds.listSources(), config.server.siteTitle)}\n`);
        return 0;
      });
    case 'health':
      return withServices(config, logger, (services) => {
        for (const { feed, state, itemCount } of services.feeds.health()) {
          const status = state.disabledReason
            ? `DISABLED (${state.disabledReason})`
            : state.lastError
              ? `ERROR ${state.lastError}`
              : state.lastSuccessAt
                ? `ok ${state.lastSuccessAt}`
                : 'never fetched';
          process.stdout.write(`${feed.id.padEnd(28)} ${String(itemCount).padStart(6)} items  ${status}\n`);
        }
        return 0;
      });
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof OpmlError || error instanceof StartupError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof DigestDateInFutureError || error instanceof DigestAlreadyMailedError || error instanceof DigestNotFoundError) {
      process.stderr.write(`digest: ${error.message}\n`);
    }
    else process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
