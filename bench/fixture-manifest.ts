/** What the orchestrator tells section processes about the fixture feeds it wrote to disk. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FixtureSet } from './fixture-feeds';

export interface FixtureManifest {
  feeds: { id: string; name: string; urlPath: string; contentType: string; itemCount: number }[];
  itemCount: number;
  expectedStories: number;
  urlDuplicates: number;
  titleDuplicates: number;
  totalBytes: number;
}

const MANIFEST_FILE = 'manifest.json';

export function writeManifest(dir: string, set: FixtureSet): FixtureManifest {
  const manifest: FixtureManifest = {
    feeds: set.feeds.map(({ id, name, urlPath, contentType, itemCount }) => ({ id, name, urlPath, contentType, itemCount })),
    itemCount: set.itemCount,
    expectedStories: set.expectedStories,
    urlDuplicates: set.urlDuplicates,
    titleDuplicates: set.titleDuplicates,
    totalBytes: set.totalBytes,
  };
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest), 'utf8');
  return manifest;
}

export function readManifest(dir: string): FixtureManifest {
  return JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as FixtureManifest;
}
