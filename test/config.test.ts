import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load-config';

function writeConfig(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'config-test-')), 'feeds.config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('config loading', () => {
  it('loads the shipped feeds.config.json with PORT/HOST defaults 3000 and 127.0.0.1', () => {
    const config = loadConfig({}, 'feeds.config.json');
    expect(config.server.port).toBe(3000);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.feeds.length).toBeGreaterThan(3);
    expect(config.feeds.some((feed) => feed.url.startsWith('/demo/'))).toBe(true);
  });

  it('honours PORT, HOST and DATABASE_PATH from the environment', () => {
    const config = loadConfig({ PORT: '8123', HOST: '0.0.0.0', DATABASE_PATH: '/tmp/x.db' }, 'feeds.config.json');
    expect(config.server.port).toBe(8123);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.database.path).toBe('/tmp/x.db');
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:8123');
  });

  it('names the bad field in the error', () => {
    const file = writeConfig({ feeds: [{ id: 'ok-feed', name: 'Ok', url: 'ftp://example.com/feed' }] });
    expect(() => loadConfig({}, file)).toThrow(ConfigError);
    expect(() => loadConfig({}, file)).toThrow(/feeds\.0\.url/);
  });

  it('rejects duplicate feed ids, bad cron expressions, bad ports and broken JSON clearly', () => {
    const dup = writeConfig({
      feeds: [
        { id: 'a-feed', name: 'A', url: 'https://a.example/feed' },
        { id: 'a-feed', name: 'B', url: 'https://b.example/feed' },
      ],
    });
    expect(() => loadConfig({}, dup)).toThrow(/duplicate feed id "a-feed"/);
    expect(() => loadConfig({}, writeConfig({ schedule: { fetchCron: 'every minute' } }))).toThrow(/schedule\.fetchCron/);
    expect(() => loadConfig({ PORT: 'eighty' }, writeConfig({}))).toThrow(/PORT="eighty"/);
    expect(() => loadConfig({}, writeConfig('{ "feeds": [ }'))).toThrow(/not valid JSON/);
  });
});
