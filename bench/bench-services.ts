/**
 * The service's real composition (createServices) on a fresh SQLite file in the bench's temp
 * directory, configured like production except that loopback fetches are allowed, because the
 * fixture outlets are served from 127.0.0.1.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfig } from '../src/config/load-config';
import type { FetchRunDeps } from '../src/jobs/fetch-run';
import { silentLogger } from '../src/logger';
import type { FeedSource } from '../src/model';
import { createServices, fetchRunSettings, syncConfiguredFeeds, type Services } from '../src/services';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS_DIR = path.join(REPO_ROOT, 'data', 'corpus');
export const GAZETTEER_PATH = path.join(REPO_ROOT, 'data', 'gazetteer.tsv');

export interface BenchServicesOptions {
  dbFile: string;
  /** Shared model file: trained once by the first caller, loaded by later ones. */
  modelPath: string;
  feeds: ReadonlyArray<Pick<FeedSource, 'id' | 'name' | 'url'>>;
}

export function openBenchServices(options: BenchServicesOptions): Services {
  const dir = path.dirname(options.dbFile);
  const config = buildConfig(
    {
      database: { path: options.dbFile },
      classifier: { modelPath: options.modelPath, corpusDir: CORPUS_DIR, gazetteerPath: GAZETTEER_PATH },
      demoDir: null,
      fetch: { allowPrivateNetworks: true },
      feeds: options.feeds.map((feed) => ({ id: feed.id, name: feed.name, url: feed.url })),
    },
    { file: path.join(dir, 'feeds.config.json'), baseDir: dir, env: {} },
  );
  const services = createServices(config, silentLogger);
  syncConfiguredFeeds(services.feeds, config, config.selfOrigin);
  return services;
}

/** What runFetchCycle needs, wired exactly as the scheduler wires it. */
export function fetchRunDeps(services: Services): FetchRunDeps {
  return {
    feeds: services.feeds,
    stories: services.stories,
    classify: services.classifier.classify,
    settings: fetchRunSettings(services.config, null),
    logger: silentLogger,
  };
}
