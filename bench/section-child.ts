/**
 * Runs one bench section in a fresh process, so each section's memory figures are its own,
 * and sends the figures to the orchestrator over IPC.
 * Argument: a JSON SectionRequest.
 */
import { runClassifyBench } from './classify-bench';
import { runDedupeBench } from './dedupe-bench';
import type { BenchPlan } from './bench-plan';
import { readManifest } from './fixture-manifest';
import { runIngestBench } from './ingest-bench';
import { runParseHostileBench } from './parse-hostile-bench';

export type SectionRequest =
  | { section: 'ingest'; fixtureDir: string; feedOrigin: string; workDir: string; modelPath: string }
  | { section: 'classify'; fixtureDir: string; modelPath: string; items: number }
  | { section: 'dedupe'; plan: BenchPlan; workDir: string; modelPath: string }
  | { section: 'parse-hostile' };

export type SectionReply = { ok: true; figures: unknown } | { ok: false; error: string };

async function run(request: SectionRequest): Promise<unknown> {
  switch (request.section) {
    case 'ingest':
      return runIngestBench(readManifest(request.fixtureDir), request.feedOrigin, request.workDir, request.modelPath);
    case 'classify':
      return runClassifyBench(request.fixtureDir, readManifest(request.fixtureDir), request.modelPath, request.items);
    case 'dedupe':
      return runDedupeBench(request.plan, request.workDir, request.modelPath);
    case 'parse-hostile':
      return runParseHostileBench();
  }
}

const send = (reply: SectionReply) =>
  new Promise<void>((resolve) => {
    process.send!(reply, () => resolve());
  });

try {
  if (!process.send) throw new Error('section-child must be started with fork()');
  const figures = await run(JSON.parse(process.argv[2]) as SectionRequest);
  await send({ ok: true, figures });
} catch (error) {
  await send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
process.disconnect();
