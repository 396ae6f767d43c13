import { userInfo } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { loadGazetteerIfPresent } from './classify/gazetteer';
import { classifyText, loadOrTrainClassifier, type TfidfClassifier } from './classify/tfidf-classifier';
import { readCorpusExamples } from './classify/corpus';
import { backgroundStats } from './dedupe/background-stats';
import { loadEventScorer } from './dedupe/event-scorer-file';
import { ownDemoFeedUrls, resolveFeedUrls, type LoadedConfig } from './config/load-config';
import type { FetchRunSettings } from './jobs/fetch-run';
import type { Logger } from './logger';
import type { Classification, FeedSource } from './model';
import { FeedsRepository } from './store/feeds-repository';
import { DatabaseReadOnlyError, openDatabase } from './store/open-database';
import { StoriesRepository } from './store/stories-repository';
import { causeOf, StartupError } from './startup-error';

/**
 * The current model; retraining swaps it in place so running jobs pick it up. Given a loader instead
 * of a model, it loads on first use (the server answers its first requests before that).
 */
export class ClassifierHolder {
  private current: TfidfClassifier | null;
  private readonly loader: (() => TfidfClassifier) | null;

  constructor(model: TfidfClassifier | (() => TfidfClassifier)) {
    this.current = typeof model === 'function' ? null : model;
    this.loader = typeof model === 'function' ? model : null;
  }

  get model(): TfidfClassifier {
    this.current ??= this.loader!();
    return this.current;
  }

  set model(model: TfidfClassifier) {
    this.current = model;
  }

  classify = (text: { title: string; summary: string }): Classification => classifyText(this.model, text);
}

export interface ServicesOptions {
  /** Load (or first train) the model on first use instead of now (the server: after it listens). */
  deferModel?: boolean;
}

export interface Services {
  config: LoadedConfig;
  db: Database.Database;
  feeds: FeedsRepository;
  stories: StoriesRepository;
  classifier: ClassifierHolder;
  logger: Logger;
  close(): void;
}

/** Opens the database, syncs config feeds into it, loads (or first trains) the model. */
export function createServices(config: LoadedConfig, logger: Logger, options: ServicesOptions = {}): Services {
  let db: Database.Database;
  try {
    db = openDatabase(config.database.path, { busyTimeoutMs: config.database.busyTimeoutMs });
  } catch (error) {
    if (error instanceof DatabaseReadOnlyError) {
      throw new StartupError(
        config.database.path,
        `the database is read-only for this user (${currentUser()}): ${causeOf(error.cause)}`,
        'Make the file and its folder (SQLite keeps its -wal and -shm files beside it) writable by that user, or set database.path / DATABASE_PATH to a writable location; the service does not run read-only.',
      );
    }
    throw new StartupError(
      config.database.path,
      `the database cannot be opened: ${causeOf(error)}`,
      'Check that its folder exists and is writable by this user, or set database.path / DATABASE_PATH to a writable location.',
    );
  }
  const feeds = new FeedsRepository(db);
  const stories = new StoriesRepository(db, feeds, config.curation.autoPublishThreshold, {
    windowDays: config.dedupe.windowDays,
    model: loadEventScorer(config.dedupe.scorerPath),
    // Word rarity starts from the labelled corpus, so a new store weighs names over beat words at once.
    background: () => backgroundStats(path.resolve(config.classifier.corpusDir), () => readCorpusExamples(config.classifier.corpusDir)),
  });
  const republished = stories.applyCurationPolicy();
  if (republished > 0) logger.info('curation policy re-applied', { changed_stories: republished });
  const loadModel = (): TfidfClassifier => {
    let loaded: ReturnType<typeof loadOrTrainClassifier>;
    try {
      loaded = loadOrTrainClassifier(config.classifier.modelPath, config.classifier.corpusDir, undefined, {
        gazetteer: loadGazetteerIfPresent(config.classifier.gazetteerPath),
      });
    } catch (error) {
      db.close();
      throw new StartupError(
        config.classifier.modelPath,
        `the classifier can be neither loaded nor trained from the corpus in ${config.classifier.corpusDir}: ${causeOf(error)}`,
        'Relative paths count from the config file\'s folder: point classifier.corpusDir (and modelPath) at the data/corpus folder, e.g. with absolute paths.',
      );
    }
    if (loaded.trainedNow) logger.info('trained classifier from corpus', { model: config.classifier.modelPath });
    return loaded.model;
  };
  return {
    config,
    db,
    feeds,
    stories,
    classifier: new ClassifierHolder(options.deferModel ? loadModel : loadModel()),
    logger,
    close: () => db.close(),
  };
}

/** "nobody (uid 65534)", for start-up errors about file permissions. */
function currentUser(): string {
  const uid = process.getuid?.();
  try {
    return `${userInfo().username}${uid === undefined ? '' : ` (uid ${uid})`}`;
  } catch {
    return uid === undefined ? 'this user' : `uid ${uid}`;
  }
}

/** Writes the config's feeds into the database, demo URLs resolved against the origin actually served. */
export function syncConfiguredFeeds(feeds: FeedsRepository, config: LoadedConfig, selfOrigin: string): void {
  const sources = resolveFeedUrls(config.feeds, selfOrigin);
  feeds.upsertSources(sources, 'config');
  feeds.disableConfigFeedsNotIn(sources.map((feed) => feed.id));
}

/**
 * Fetch settings from config. `selfOrigin` is the origin serving this service's /demo files (null:
 * none): only the configured demo feeds may be fetched from it, nothing else on that origin.
 */
export function fetchRunSettings(config: LoadedConfig, selfOrigin: string | null): FetchRunSettings {
  return {
    fetch: {
      timeoutMs: config.fetch.timeoutMs,
      maxBytes: config.fetch.maxBytes,
      maxRedirects: config.fetch.maxRedirects,
      userAgent: config.fetch.userAgent,
      allowPrivateNetworks: config.fetch.allowPrivateNetworks,
      allowedHosts: config.fetch.allowedHosts,
    },
    ownFeedUrls: selfOrigin === null ? [] : ownDemoFeedUrls(config.feeds, selfOrigin),
    concurrency: config.fetch.concurrency,
    maxItemsPerFeed: config.fetch.maxItemsPerFeed,
    backoff: { baseMinutes: config.fetch.backoffBaseMinutes, maxMinutes: config.fetch.backoffMaxMinutes },
    disableAfterFailures: config.fetch.disableAfterFailures,
    defaultIntervalMinutes: defaultIntervalMinutes(config.schedule.fetchCron),
  };
}

/** "*\/15 * * * *" -> 15; anything fancier -> 1 (the cron decides, intervals only throttle per-feed overrides). */
function defaultIntervalMinutes(fetchCron: string): number {
  const match = /^\*\/(\d+)\s/.exec(fetchCron.trim());
  return match ? Number(match[1]) : 1;
}

/** Sources to fetch: everything enabled in the database (config + OPML imports). */
export function activeSources(feeds: FeedsRepository): FeedSource[] {
  return feeds.listSources().filter((source) => source.enabled);
}
