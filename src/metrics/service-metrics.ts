/**
 * Operational counters for Prometheus (`GET /metrics`, text exposition format, via prom-client).
 *
 * Cheap by construction: the HTTP layer observes only requests that reach Express (the response memo's
 * hot path pays nothing; its hit and miss counts are read from the memo when Prometheus scrapes), and
 * fetch runs and digest sends are recorded once per run from their summaries.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type { FetchRunSummary } from '../jobs/fetch-run';
import type { DigestSendReport } from '../newsletter/send-digest';

export interface MemoCounts {
  hits: number;
  notModified: number;
  misses: number;
  entries: number;
  bytes: number;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  private readonly httpDuration: Histogram<'route'>;
  private readonly feedFetches: Counter<'feed' | 'outcome'>;
  private readonly itemsIngested: Counter;
  private readonly storiesFormed: Counter;
  private readonly digestMails: Counter<'outcome'>;
  private memoCounts: (() => MemoCounts) | null = null;

  constructor() {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered by the routes (not counting response-memo hits), by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response end for requests answered by the routes, by route pattern.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const metrics = this;
    const memoCounter = (name: string, help: string, read: (counts: MemoCounts) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          if (metrics.memoCounts === null) return;
          this.reset();
          this.inc(read(metrics.memoCounts()));
        },
      });
    memoCounter('response_memo_hits_total', 'Public requests answered 200 from the response memo before Express.', (c) => c.hits);
    memoCounter('response_memo_not_modified_total', 'Public requests answered 304 from the response memo.', (c) => c.notModified);
    memoCounter('response_memo_misses_total', 'GET/HEAD requests the memo could not answer (passed to the routes).', (c) => c.misses);
    this.feedFetches = new Counter({
      name: 'feed_fetches_total',
      help: 'Feed fetch outcomes per feed: stored, not-modified, failed, skipped.',
      labelNames: ['feed', 'outcome'],
      registers,
    });
    this.itemsIngested = new Counter({ name: 'items_ingested_total', help: 'Items stored by fetch runs.', registers });
    this.storiesFormed = new Counter({
      name: 'stories_formed_total',
      help: 'New stories created by fetch runs (items that did not join an existing story).',
      registers,
    });
    this.digestMails = new Counter({
      name: 'digest_mails_total',
      help: 'Digest mails by outcome: sent (accepted by the mail transport) or failed.',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** The response memo's counters, read at scrape time. */
  watchResponseMemo(counts: () => MemoCounts): void {
    this.memoCounts = counts;
  }

  observeHttp(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  recordFetchRun(summary: FetchRunSummary): void {
    for (const outcome of summary.outcomes) {
      this.feedFetches.inc({ feed: outcome.feedId, outcome: outcome.kind });
      if (outcome.kind === 'stored') {
        this.itemsIngested.inc(outcome.inserted);
        this.storiesFormed.inc(outcome.newStories);
      }
    }
  }

  recordDigestSend(report: DigestSendReport): void {
    this.digestMails.inc({ outcome: 'sent' }, report.sent);
    this.digestMails.inc({ outcome: 'failed' }, report.failed.length);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
