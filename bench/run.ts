/**
 * `npm run bench`: ingest, classification, dedupe-scaling and serving figures in one table.
 *
 * The orchestrator trains the model and writes the fixture feeds once, then runs each section in
 * its own process (clean memory figures), and the HTTP load from this process against servers in
 * a child. Prints the table and, for a full run, writes it to bench/RESULTS.md.
 * BENCH_QUICK=1 runs reduced sizes as a smoke test and leaves RESULTS.md alone.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrTrainClassifier } from '../src/classify/tfidf-classifier';
import { loadGazetteer } from '../src/classify/gazetteer';
import { benchPlan } from './bench-plan';
import { CORPUS_DIR, GAZETTEER_PATH } from './bench-services';
import type { ClassifyFigures } from './classify-bench';
import type { DedupeFigures } from './dedupe-bench';
import { buildFixtureFeeds, writeFixtureFeeds } from './fixture-feeds';
import { writeManifest } from './fixture-manifest';
import type { IngestFigures } from './ingest-bench';
import { runNewsboatBench, type NewsboatFigures } from './newsboat-bench';
import type { ParseHostileFigures } from './parse-hostile-bench';
import { describeMachine } from './machine';
import { renderTable, type BenchFigures } from './report';
import type { SectionReply, SectionRequest } from './section-child';
import { runServingBench } from './serving-bench';
import { runStartupSection } from './startup-bench';

const FIXTURE_SEED = 20_261_124;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function runSection<T>(request: SectionRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(here('./section-child.ts'), [JSON.stringify(request)], { stdio: 'inherit' });
    let reply: SectionReply | null = null;
    child.on('message', (message) => {
      reply = message as SectionReply;
    });
    child.on('exit', (code) => {
      if (reply?.ok) resolve(reply.figures as T);
      else reject(new Error(`section ${request.section} failed (exit ${code}): ${reply?.ok === false ? reply.error : 'no reply'}`));
    });
  });
}

async function startFeedServer(fixtureDir: string): Promise<{ origin: string; stop(): void }> {
  const child = fork(here('./feed-server-child.ts'), [fixtureDir], { stdio: 'inherit' });
  const { origin } = await new Promise<{ origin: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { origin: string }));
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  return { origin, stop: () => child.disconnect() };
}

async function main(): Promise<void> {
  const started = performance.now();
  const plan = benchPlan(process.env);
  const machine = describeMachine();
  const workDir = mkdtempSync(path.join(tmpdir(), 'genai-feeds-bench-'));
  try {
    const modelPath = path.join(workDir, 'model.json');
    loadOrTrainClassifier(modelPath, CORPUS_DIR, undefined, { gazetteer: loadGazetteer(GAZETTEER_PATH) });

    const fixtureDir = path.join(workDir, 'fixtures');
    mkdirSync(fixtureDir);
    // Items end a minute ago: the parser treats dates in the future as missing.
    const fixtures = buildFixtureFeeds({
      feedCount: plan.feedCount,
      itemsPerFeed: plan.itemsPerFeed,
      duplicateShare: plan.duplicateShare,
      now: new Date(Date.now() - 60_000),
      spanDays: 10,
      seed: FIXTURE_SEED,
    });
    writeFixtureFeeds(fixtureDir, fixtures);
    const manifest = writeManifest(fixtureDir, fixtures);
    progress(`fixtures: ${fixtures.feeds.length} feeds, ${fixtures.itemCount} items in ${fixtureDir}`);

    const feedServer = await startFeedServer(fixtureDir);
    let ingest: IngestFigures;
    let newsboat: NewsboatFigures;
    try {
      progress('1/4 ingest: runFetchCycle end to end, then stage by stage');
      ingest = await runSection<IngestFigures>({ section: 'ingest', fixtureDir, feedOrigin: feedServer.origin, workDir, modelPath });
      progress('1b/4 ingest end to end, process start included: fetch-now --force against newsboat');
      newsboat = runNewsboatBench({ manifest, feedOrigin: feedServer.origin, workDir, modelPath, corpusDir: CORPUS_DIR, gazetteerPath: GAZETTEER_PATH });
    } finally {
      feedServer.stop();
    }

    progress(`2/4 classification over ${plan.classifyItems} items`);
    const classify = await runSection<ClassifyFigures>({ section: 'classify', fixtureDir, modelPath, items: plan.classifyItems });

    progress(`3/4 dedupe at ${plan.dedupeSizes.join(', ')} stored stories`);
    const dedupe = await runSection<DedupeFigures>({ section: 'dedupe', plan, workDir, modelPath });

    progress(`4/4 serving /feeds/all.rss from the ${plan.servingStoreSize}-story store`);
    const serving = await runServingBench(plan, dedupe.servingDbFile, plan.servingStoreSize);

    progress('6 parse: hostile documents next to ordinary feeds of the same size');
    const parseHostile = await runSection<ParseHostileFigures>({ section: 'parse-hostile' });

    progress('7 start-up: npm start, its node process alone and the unbundled build, interleaved');
    const startup = await runStartupSection(plan.quick ? 1 : 3);

    const figures: BenchFigures = {
      plan,
      machine,
      ingest,
      classify,
      dedupe,
      serving,
      newsboat,
      parseHostile,
      startup,
      totalSeconds: (performance.now() - started) / 1000,
    };
    const table = renderTable(figures);
    process.stdout.write(`\n${table}\n`);
    if (!plan.quick) {
      const resultsFile = here('./RESULTS.md');
      writeFileSync(
        resultsFile,
        `# Benchmark results\n\n\`npm run bench\`, ${new Date().toISOString().slice(0, 10)}. See bench/README.md for what each figure measures.\n\n\`\`\`text\n${table}\n\`\`\`\n`,
        'utf8',
      );
      progress(`wrote ${path.relative(process.cwd(), resultsFile)}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
