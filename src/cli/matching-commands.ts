/**
 * `eval` (same-event part) and `tune-clustering`: score the matcher on the labelled sets, and
 * refit its scorer from the tuning set plus editors' merges and splits.
 */
import path from 'node:path';
import { readCorpusExamples } from '../classify/corpus';
import { readClusterReports } from '../dedupe/cluster-dataset';
import { evaluateMatching, formatMatchingEvaluation, TUNING_FILE } from '../dedupe/cluster-eval';
import { editorPairs, type LabelledPair, type SimulationOptions } from '../dedupe/cluster-simulation';
import type { Services } from '../services';
import { seedTermStats } from '../dedupe/event-doc';
import { FEATURE_NAMES, type EventScorerModel } from '../dedupe/event-scorer';
import { loadEventScorer, saveEventScorer } from '../dedupe/event-scorer-file';
import { DENSE_SPAN_DAYS, trainEventScorer } from '../dedupe/train-event-scorer';
import type { LoadedConfig } from '../config/load-config';

function simulationOptions(config: LoadedConfig): SimulationOptions {
  const corpus = readCorpusExamples(config.classifier.corpusDir);
  return { windowDays: config.dedupe.windowDays, seed: (stats) => seedTermStats(stats, corpus) };
}

function describeModel(model: EventScorerModel): string {
  const weights = FEATURE_NAMES.map((name, i) => `${name} ${model.weights[i].toFixed(2)}`).join(', ');
  return `weights: ${weights}; bias ${model.bias.toFixed(2)}; join at p >= ${model.threshold}`;
}

export function printMatchingEval(config: LoadedConfig, out: NodeJS.WritableStream, model = loadEventScorer(config.dedupe.scorerPath)): void {
  const started = performance.now();
  const rows = evaluateMatching(config.dedupe.labelledDir, model, simulationOptions(config));
  out.write(
    [
      `Same-event matching (${config.dedupe.scorerPath}; window ${config.dedupe.windowDays} days; labelled sets in ${config.dedupe.labelledDir})`,
      describeModel(model),
      '',
      formatMatchingEvaluation(rows),
      `(${(performance.now() - started).toFixed(0)} ms; pair = pairwise over all report pairs, B3 = B-cubed)`,
      '',
    ].join('\n'),
  );
}

export function tuneClustering(config: LoadedConfig, out: NodeJS.WritableStream, editorPairs: readonly LabelledPair[]): EventScorerModel {
  const reports = readClusterReports(path.join(config.dedupe.labelledDir, TUNING_FILE));
  out.write(`Fitting the same-event scorer on ${reports.length} labelled reports and ${editorPairs.length} editor pairs...\n`);
  const result = trainEventScorer(reports, simulationOptions(config), editorPairs);
  out.write(`${result.pairs} candidate pairs (${result.positivePairs} same-event)\n`);
  out.write(`threshold | tuning set as dated: P / R / F1 | compressed into ${DENSE_SPAN_DAYS} days: P / R / F1 | objective\n`);
  const triple = (s: { precision: number; recall: number; f1: number }) =>
    `${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${s.f1.toFixed(3)}`;
  for (const row of result.tuning) {
    const marker = row.threshold === result.model.threshold ? '  <- chosen' : '';
    out.write(`${row.threshold.toFixed(2).padStart(9)} | ${triple(row.dated).padStart(31)} | ${triple(row.dense).padStart(37)} | ${row.objective.toFixed(3)}${marker}\n`);
  }
  const model: EventScorerModel = {
    ...result.model,
    trainedOn: `${TUNING_FILE} (${reports.length} reports) + ${editorPairs.length} editor pairs`,
  };
  saveEventScorer(config.dedupe.scorerPath, model);
  out.write(`\nSaved to ${config.dedupe.scorerPath}; restart the service (or run recluster) to use it.\n\n`);
  printMatchingEval(config, out, model);
  return model;
}

/** `tune-clustering`: the tuning set plus every merge and split editors made. */
export function tuneClusteringCommand(services: Services, out: NodeJS.WritableStream): EventScorerModel {
  const pairs = editorPairs(services.stories.labelledReportPairs(), simulationOptions(services.config).seed);
  return tuneClustering(services.config, out, pairs);
}

/** `recluster [--since DATE]`: match stored reports again with the current scorer, keeping editor decisions. */
export function reclusterCommand(services: Services, out: NodeJS.WritableStream, since: string | null): void {
  const model = loadEventScorer(services.config.dedupe.scorerPath);
  out.write(`Re-matching stored reports${since ? ` published since ${since}` : ''} with ${services.config.dedupe.scorerPath}...\n`);
  const started = performance.now();
  const outcome = services.stories.recluster({
    since,
    model,
    onProgress: (done, total) => out.write(`  ${done} / ${total} reports\n`),
  });
  out.write(
    `${outcome.reports} reports matched in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${outcome.moved} moved, ${outcome.storiesCreated} new stories, ${outcome.storiesRemoved} emptied stories removed. ` +
      'Editor decisions, merges and splits were kept.\n',
  );
}
