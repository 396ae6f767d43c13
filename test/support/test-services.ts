import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfig, type LoadedConfig } from '../../src/config/load-config';
import { silentLogger } from '../../src/logger';
import { createServices, syncConfiguredFeeds, type Services } from '../../src/services';
import { serializeClassifier } from '../../src/classify/tfidf-classifier';

/** Serialized models trained in this test process, by corpus and gazetteer path. */
const trainedModels = new Map<string, string>();

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface TestServices extends Services {
  dir: string;
  dispose(): void;
}

/**
 * Real services on a real SQLite file in a fresh temp directory, with the shipped corpus.
 * `raw` is merged over a config that allows loopback fetches (tests serve fixtures on 127.0.0.1).
 */
export function createTestServices(raw: Record<string, unknown> = {}, env: Record<string, string> = {}): TestServices {
  const dir = mkdtempSync(path.join(tmpdir(), 'genai-feeds-test-'));
  const config: LoadedConfig = buildConfig(
    {
      classifier: {
        modelPath: path.join(dir, 'model.json'),
        corpusDir: path.join(repoRoot, 'data', 'corpus'),
        gazetteerPath: path.join(repoRoot, 'data', 'gazetteer.tsv'),
      },
      demoDir: null,
      ...raw,
      database: { path: path.join(dir, 'test.db'), ...(raw.database as object) },
      fetch: { allowPrivateNetworks: true, timeoutMs: 2000, backoffBaseMinutes: 0, ...(raw.fetch as object) },
    },
    { file: path.join(dir, 'feeds.config.json'), baseDir: dir, env },
  );
  // Training (with its calibration folds) takes seconds; every test's services start from the
  // same corpus, so a test file trains once and later services load that model from their own file.
  const cacheKey = `${config.classifier.corpusDir}\u0000${config.classifier.gazetteerPath}`;
  const cachedModel = trainedModels.get(cacheKey);
  const willTrain = !existsSync(config.classifier.modelPath);
  if (cachedModel !== undefined && willTrain) writeFileSync(config.classifier.modelPath, cachedModel);
  const services = createServices(config, silentLogger);
  if (cachedModel === undefined && willTrain) trainedModels.set(cacheKey, serializeClassifier(services.classifier.model));
  syncConfiguredFeeds(services.feeds, config, config.selfOrigin);
  return {
    ...services,
    dir,
    dispose: () => {
      services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
