import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { FeedSource } from '../model';
import { configSchema, type AppConfig } from './schema';
import { unknownKeyProblems } from './unknown-keys';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    // One problem is one line (what an operator sees at start-up); several are listed one per line.
    super(
      problems.length === 1
        ? `Invalid configuration in ${file}: ${problems[0]}`
        : `Invalid configuration in ${file}:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** The validated configuration plus values derived from it and the environment. */
export interface LoadedConfig extends AppConfig {
  configFile: string;
  /** Absolute public origin used in links, e.g. http://127.0.0.1:3000 */
  publicBaseUrl: string;
  /** This service's own origin from config (http://host:port), against which "/..." feed URLs resolve. */
  selfOrigin: string;
}

/** Resolves service-relative feed URLs (the offline demo source) against this service's origin. */
export function resolveFeedUrls(feeds: readonly FeedSource[], selfOrigin: string): FeedSource[] {
  return feeds.map((feed) => (feed.url.startsWith('/') ? { ...feed, url: `${selfOrigin}${feed.url}` } : feed));
}

/**
 * The configured demo feeds ("/demo/..." URLs) resolved against this service's origin: the only URLs
 * on that origin the fetcher may request. Anything whose path normalises elsewhere is left out.
 */
export function ownDemoFeedUrls(feeds: readonly FeedSource[], selfOrigin: string): string[] {
  return resolveFeedUrls(
    feeds.filter((feed) => feed.url.startsWith('/demo/')),
    selfOrigin,
  )
    .map((feed) => feed.url)
    .filter((url) => {
      try {
        const parsed = new URL(url);
        return parsed.href === url && parsed.pathname.startsWith('/demo/');
      } catch {
        return false;
      }
    });
}

export type Environment = Record<string, string | undefined>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `${where}: ${issue.message}`;
}

function parsePort(raw: string, variable: string, file: string): number {
  // Decimal digits only, no leading zero: Number() would also take "0x5A1F", "1e3", "+80" or " 80 ".
  // 0 ("any free port") is refused too: links and the demo feeds need the port known in advance.
  const port = /^[1-9][0-9]{0,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(file, [`${variable}="${raw}" is not a TCP port: use a decimal number 1-65535`]);
  }
  return port;
}

/**
 * Environment variables win over the file so one config can be deployed anywhere:
 * PORT, HOST, PUBLIC_BASE_URL, DATABASE_PATH, EDITOR_TOKEN, MODEL_PATH, SMTP_URL, NEWSLETTER_SECRET.
 */
function applyEnvironment(raw: Record<string, unknown>, env: Environment, file: string): Record<string, unknown> {
  const section = (name: string): Record<string, unknown> => {
    const value = raw[name];
    return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  };
  const server = section('server');
  const database = section('database');
  const review = section('review');
  const classifier = section('classifier');
  const newsletter = section('newsletter');
  if (env.PORT !== undefined && env.PORT !== '') server.port = parsePort(env.PORT, 'PORT', file);
  if (env.HOST) server.host = env.HOST;
  if (env.PUBLIC_BASE_URL) server.baseUrl = env.PUBLIC_BASE_URL;
  if (env.DATABASE_PATH) database.path = env.DATABASE_PATH;
  if (env.EDITOR_TOKEN) review.editorToken = env.EDITOR_TOKEN;
  if (env.MODEL_PATH) classifier.modelPath = env.MODEL_PATH;
  if (env.SMTP_URL) newsletter.smtpUrl = env.SMTP_URL;
  if (env.NEWSLETTER_SECRET) newsletter.secret = env.NEWSLETTER_SECRET;
  return { ...raw, server, database, review, classifier, newsletter };
}

export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Validates a parsed config object; relative paths are resolved against `baseDir`. */
export function buildConfig(raw: unknown, options: { file: string; baseDir: string; env: Environment }): LoadedConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(options.file, ['the file must contain a JSON object']);
  }
  const withEnv = applyEnvironment(raw as Record<string, unknown>, options.env, options.file);
  const result = configSchema.safeParse(withEnv);
  // A misspelt key would otherwise be dropped silently and its setting keep the default.
  const unknown = unknownKeyProblems(configSchema, withEnv);
  if (!result.success || unknown.length > 0) {
    throw new ConfigError(options.file, [...unknown, ...(result.success ? [] : result.error.issues.map(describeIssue))]);
  }
  const config = result.data;
  const resolvePath = (p: string) => (path.isAbsolute(p) ? p : path.resolve(options.baseDir, p));
  const { port, host, baseUrl } = config.server;
  const ownOrigin = `http://${hostForUrl(host)}:${port}`;
  const publicBaseUrl = (baseUrl ?? ownOrigin).replace(/\/+$/, '');
  return {
    ...config,
    database: {
      ...config.database,
      path: config.database.path === ':memory:' ? ':memory:' : resolvePath(config.database.path),
    },
    classifier: {
      modelPath: resolvePath(config.classifier.modelPath),
      corpusDir: resolvePath(config.classifier.corpusDir),
      gazetteerPath: config.classifier.gazetteerPath === null ? null : resolvePath(config.classifier.gazetteerPath),
    },
    demoDir: config.demoDir === null ? null : resolvePath(config.demoDir),
    newsletter: { ...config.newsletter, outboxDir: resolvePath(config.newsletter.outboxDir) },
    configFile: options.file,
    publicBaseUrl,
    selfOrigin: ownOrigin,
  };
}

/** Reads and validates the config file (FEEDS_CONFIG or ./feeds.config.json). Throws ConfigError. */
export function loadConfig(env: Environment = process.env, file?: string): LoadedConfig {
  const configFile = path.resolve(file ?? env.FEEDS_CONFIG ?? 'feeds.config.json');
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (error) {
    throw new ConfigError(configFile, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(configFile, [`not valid JSON: ${(error as Error).message}`]);
  }
  return buildConfig(raw, { file: configFile, baseDir: path.dirname(configFile), env });
}
