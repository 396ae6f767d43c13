import cron from 'node-cron';
import { z } from 'zod';
import { LABELS } from '../model';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lower-case slug: letters, digits and dashes');

/**
 * A feed URL is absolute http(s), or a path starting with "/" that is served by this service itself
 * (the offline demo source), resolved against the server's own origin at start-up.
 */
const feedUrl = z.string().refine((value) => {
  if (value.startsWith('/')) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL or a path on this service such as /demo/framewire.rss');

export const feedSourceSchema = z.object({
  id: slug,
  name: z.string().min(1),
  url: feedUrl,
  intervalMinutes: z.number().int().min(1).max(24 * 60).optional(),
  categoryHint: z.enum(LABELS).optional(),
  enabled: z.boolean().default(true),
});

/**
 * The editor token: 16+ characters, none of them whitespace. A Bearer header cannot carry spaces,
 * and a token of spaces (or one with a stray space) would be guessable or unusable.
 */
const editorToken = z
  .string()
  .min(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 24`)')
  .regex(/^\S+$/, 'must not be blank or contain spaces, tabs or line breaks (e.g. use the output of `openssl rand -hex 24`)');

const cronExpression = z
  .string()
  .refine((value) => cron.validate(value), 'must be a valid cron expression such as "*/15 * * * *"');

export const configSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(1).max(65535).default(3000),
        host: z.string().min(1).default('127.0.0.1'),
        /** Public absolute URL used in feed links; defaults to http://host:port. */
        baseUrl: z
          .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL such as https://news.example.com' })
          .nullable()
          .default(null),
        siteTitle: z.string().min(1).default('GenAI Media Wire'),
        siteDescription: z.string().default('Curated news about generative video and image AI.'),
        /**
         * Express "trust proxy": which reverse proxies may say the client's address and scheme
         * (X-Forwarded-For / -Proto). false (default): none; true: any; a number: that many hops;
         * or addresses/subnets such as "loopback" or ["10.0.0.0/8"].
         */
        trustProxy: z
          .union([z.boolean(), z.number().int().min(0).max(20), z.string().min(1), z.array(z.string().min(1)).min(1)])
          .default(false),
      })
      .prefault({}),
    database: z
      .object({
        path: z.string().min(1).default('data/feeds.db'),
        /** How long a write waits for another process's lock before giving up (editors then get 503 + Retry-After). */
        busyTimeoutMs: z.number().int().min(50).max(60_000).default(5000),
      })
      .prefault({}),
    schedule: z
      .object({
        fetchCron: cronExpression.default('*/15 * * * *'),
        fetchOnStart: z.boolean().default(true),
        digestCron: cronExpression.default('0 8 * * 1,4'),
        retrainCron: cronExpression.nullable().default(null),
        timezone: z.string().default('UTC'),
      })
      .prefault({}),
    fetch: z
      .object({
        // setTimeout cannot wait past 2^31 ms; beyond it every fetch would time out at once.
        timeoutMs: z.number().int().min(100).max(10 * 60_000).default(15_000),
        maxBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        concurrency: z.number().int().min(1).max(64).default(4),
        maxItemsPerFeed: z.number().int().min(1).max(100_000).default(500),
        userAgent: z.string().default('GenAIMediaWire/0.1 (feed aggregator; RSS/Atom reader)'),
        allowPrivateNetworks: z.boolean().default(false),
        allowedHosts: z.array(z.string()).default([]),
        backoffBaseMinutes: z.number().min(0).max(24 * 60).default(5),
        // Far beyond this a retry time is not a valid date (1e300 crashed the start-up jobs).
        backoffMaxMinutes: z.number().min(1).max(30 * 24 * 60).default(24 * 60),
        disableAfterFailures: z.number().int().min(1).max(10_000).default(10),
      })
      .prefault({}),
    dedupe: z
      .object({
        /** Only reports published this many days apart or closer can become one story. */
        windowDays: z.number().int().min(1).max(30).default(4),
        /** Weights and join threshold of the same-event scorer (`npm run cli -- tune-clustering` writes it). */
        scorerPath: z.string().default('data/clusters/event-scorer.json'),
        /** Labelled same-event reports (tune.jsonl, heldout.jsonl) for eval and tune-clustering. */
        labelledDir: z.string().default('data/clusters'),
      })
      .prefault({}),
    classifier: z
      .object({
        modelPath: z.string().default('data/model.json'),
        corpusDir: z.string().default('data/corpus'),
        /** Product / model / company names and their medium, used as classifier features; null: none. */
        gazetteerPath: z.string().nullable().default('data/gazetteer.tsv'),
      })
      .prefault({}),
    curation: z
      .object({
        /**
         * Stories whose predicted label has at least this (calibrated) confidence publish without
         * review. 0.8 is the lowest threshold at which `npm run eval` shows <= 2 % wrong labels among
         * auto-published stories in cross-validation (README, Classifier).
         */
        autoPublishThreshold: z.number().min(0).max(1).default(0.8),
      })
      .prefault({}),
    review: z
      .object({
        /** Editor token; prefer the EDITOR_TOKEN environment variable over committing one. */
        editorToken: editorToken.nullable().default(null),
        /** Wrong-token throttle per client address (sign-in form and API together). */
        throttle: z
          .object({
            maxFailures: z.number().int().min(1).max(1000).default(5),
            windowSeconds: z.number().int().min(1).max(86_400).default(15 * 60),
            firstBlockSeconds: z.number().int().min(1).max(86_400).default(60),
            maxBlockSeconds: z.number().int().min(1).max(7 * 86_400).default(60 * 60),
          })
          .prefault({}),
      })
      .prefault({}),
    digest: z
      .object({
        storiesPerCategory: z.number().int().min(1).max(50).default(5),
      })
      .prefault({}),
    newsletter: z
      .object({
        /** smtp:// or smtps:// URL with credentials; prefer SMTP_URL. Null: mails are written to outboxDir as .eml files. */
        smtpUrl: z
          .string()
          .refine((value) => /^smtps?:\/\/[^\s]+$/i.test(value), 'must be an smtp:// or smtps:// URL')
          .nullable()
          .default(null),
        outboxDir: z.string().default('data/outbox'),
        /** Sender of every newsletter mail, e.g. "GenAI Media Wire <digest@example.com>". */
        from: z.string().min(3).default('GenAI Media Wire <digest@localhost>'),
        /** Unconfirmed sign-ups are deleted after this many days. */
        confirmDays: z.number().int().min(1).max(30).default(3),
        /** Key for signed confirm / unsubscribe links; prefer NEWSLETTER_SECRET. Null: a random key stored in the database. */
        secret: z.string().min(16).nullable().default(null),
        /** Tries per mail within one send run, with exponential backoff starting at retryBaseMs. */
        maxAttempts: z.number().int().min(1).max(10).default(4),
        retryBaseMs: z.number().int().min(0).default(2000),
        /** Sign-up requests per client address per 15 minutes. */
        signupsPerWindow: z.number().int().min(1).default(5),
      })
      .prefault({}),
    demoDir: z.string().nullable().default('data/demo'),
    feeds: z.array(feedSourceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.feeds.forEach((feed, index) => {
      if (seen.has(feed.id)) {
        ctx.addIssue({ code: 'custom', path: ['feeds', index, 'id'], message: `duplicate feed id "${feed.id}"` });
      }
      seen.add(feed.id);
    });
  });

export type AppConfig = z.infer<typeof configSchema>;
export type FetchSettings = AppConfig['fetch'];
