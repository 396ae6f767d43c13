/**
 * Section 2: classification cost per item on the fixture items (title + plain-text summary as the
 * parser produces them). The first pass runs on a freshly loaded model, whose stem cache is empty;
 * the second is the steady state of a running service, whose cache has seen the site's vocabulary.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyText, loadClassifier } from '../src/classify/tfidf-classifier';
import type { FeedSource, NormalizedItem } from '../src/model';
import { parseFeedDocument } from '../src/parse/parse-feed';
import type { FixtureManifest } from './fixture-manifest';

export interface ClassifyFigures {
  items: number;
  coldMicrosPerItem: number;
  warmMicrosPerItem: number;
  warmP99Micros: number;
  labelShare: Record<string, number>;
}

async function fixtureItems(fixtureDir: string, manifest: FixtureManifest): Promise<NormalizedItem[]> {
  const items: NormalizedItem[] = [];
  for (const feed of manifest.feeds) {
    const source: FeedSource = { id: feed.id, name: feed.name, url: `https://fixtures.example${feed.urlPath}`, enabled: true };
    const body = readFileSync(path.join(fixtureDir, feed.urlPath.slice(1)), 'utf8');
    const parsed = await parseFeedDocument(body, source, new Date(), source.url);
    if (!parsed.ok) throw new Error(`fixture ${feed.urlPath} does not parse: ${parsed.error.message}`);
    items.push(...parsed.items);
  }
  return items;
}

export async function runClassifyBench(
  fixtureDir: string,
  manifest: FixtureManifest,
  modelPath: string,
  itemCount: number,
): Promise<ClassifyFigures> {
  const distinct = await fixtureItems(fixtureDir, manifest);
  const texts = Array.from({ length: itemCount }, (_, i) => distinct[i % distinct.length]);
  const model = loadClassifier(modelPath);

  let started = performance.now();
  for (const item of texts) classifyText(model, item);
  const coldMicrosPerItem = ((performance.now() - started) * 1000) / texts.length;

  const perItem = new Float64Array(texts.length);
  const labels: Record<string, number> = {};
  started = performance.now();
  for (let i = 0; i < texts.length; i += 1) {
    const t = performance.now();
    const { label } = classifyText(model, texts[i]);
    perItem[i] = performance.now() - t;
    labels[label] = (labels[label] ?? 0) + 1;
  }
  const warmMicrosPerItem = ((performance.now() - started) * 1000) / texts.length;
  perItem.sort();
  const labelShare = Object.fromEntries(Object.entries(labels).map(([label, n]) => [label, n / texts.length]));
  return {
    items: texts.length,
    coldMicrosPerItem,
    warmMicrosPerItem,
    warmP99Micros: perItem[Math.floor(perItem.length * 0.99)] * 1000,
    labelShare,
  };
}
