/**
 * The config is strict: a misspelt or unknown key is an error naming it and the closest known key,
 * numbers have bounds, PORT is a decimal port and PUBLIC_BASE_URL an http(s) URL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load-config';

function writeConfig(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'strict-config-')), 'feeds.config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** The problems a config file is refused with (one line each), or [] when it loads. */
function problemsOf(content: unknown, env: Record<string, string> = {}): string[] {
  try {
    loadConfig(env, writeConfig(content));
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('strict configuration', () => {
  it('names a misspelt key and suggests the closest known one, at any depth', () => {
    expect(problemsOf({ fetch: { timeoutMS: 5000 } })).toEqual(['fetch.timeoutMS: unknown setting; did you mean "timeoutMs"?']);
    expect(problemsOf({ feedz: [] })).toEqual(['feedz: unknown setting; did you mean "feeds"?']);
    expect(
      problemsOf({ feeds: [{ id: 'lens-daily', name: 'Lens Daily', url: 'https://lensdaily.example/rss', intervalMinute: 30 }] }),
    ).toEqual(['feeds.0.intervalMinute: unknown setting; did you mean "intervalMinutes"?']);
    expect(problemsOf({ review: { throttle: { maxFailure: 3 } } })).toEqual([
      'review.throttle.maxFailure: unknown setting; did you mean "maxFailures"?',
    ]);
    const [unrelated] = problemsOf({ colour: 'blue' });
    expect(unrelated).toMatch(/^colour: unknown setting \(known here: server, database, .*feeds/);
  });

  it('the shipped config and an empty one still load', () => {
    expect(problemsOf({})).toEqual([]);
    expect(loadConfig({}, 'feeds.config.json').feeds.length).toBeGreaterThan(0);
  });

  it('bounds numbers that would break fetching or the start-up jobs', () => {
    expect(problemsOf({ fetch: { timeoutMs: 3e9 } })[0]).toMatch(/^fetch\.timeoutMs: /);
    expect(problemsOf({ fetch: { backoffMaxMinutes: 1e300 } })[0]).toMatch(/^fetch\.backoffMaxMinutes: /);
    expect(problemsOf({ fetch: { maxItemsPerFeed: 1e12 } })[0]).toMatch(/^fetch\.maxItemsPerFeed: /);
    expect(problemsOf({ dedupe: { windowDays: 1e6 } })[0]).toMatch(/^dedupe\.windowDays: /);
    expect(problemsOf({ fetch: { timeoutMs: 30_000, backoffMaxMinutes: 2880 } })).toEqual([]);
  });

  it('PORT must be a decimal port number 1-65535; server.port too', () => {
    for (const port of ['0', '00', '0x5A1F', '1e3', ' 80', '80 ', '+80', '-1', '65536', '99999', '80.5', '0080']) {
      expect(problemsOf({}, { PORT: port }), port).toEqual([`PORT="${port}" is not a TCP port: use a decimal number 1-65535`]);
    }
    expect(loadConfig({ PORT: '8080' }, writeConfig({})).server.port).toBe(8080);
    expect(loadConfig({ PORT: '1' }, writeConfig({})).server.port).toBe(1);
    expect(loadConfig({ PORT: '65535' }, writeConfig({})).server.port).toBe(65535);
    expect(problemsOf({ server: { port: 0 } })[0]).toMatch(/^server\.port: /);
    expect(problemsOf({ server: { port: 65536 } })[0]).toMatch(/^server\.port: /);
  });

  it('PUBLIC_BASE_URL and server.baseUrl must be http(s)', () => {
    for (const url of ['javascript:alert(1)', 'ftp://news.example.com/', 'data:text/html,hi']) {
      expect(problemsOf({}, { PUBLIC_BASE_URL: url })[0], url).toMatch(/^server\.baseUrl: must be an absolute http:\/\/ or https:\/\/ URL/);
      expect(problemsOf({ server: { baseUrl: url } })[0], url).toMatch(/^server\.baseUrl: /);
    }
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://news.example.com' }, writeConfig({})).publicBaseUrl).toBe('https://news.example.com');
  });
});
