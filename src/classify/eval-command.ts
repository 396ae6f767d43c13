/**
 * `eval` command: train on the corpus train split, score on the held-out split, print the table,
 * then calibration (expected calibration error, reliability by confidence bucket) and, per
 * candidate auto-publish threshold, the wrong-label share of auto-published stories and the share
 * of video/image stories that publish without review. `--features` also retrains with each
 * optional feature switched the other way and prints held-out macro-F1 side by side.
 */
import { LABELS, type LabelledText } from '../model';
import {
  CANDIDATE_THRESHOLDS,
  expectedCalibrationError,
  recommendThreshold,
  reliabilityTable,
  thresholdRow,
  type ScoredExample,
} from './calibration';
import { countByLabel, loadCorpus } from './corpus';
import { evaluateClassifier, formatEvaluation } from './evaluate';
import type { GazetteerEntry } from './gazetteer';
import { classifyProbabilities, DEFAULT_TRAIN_OPTIONS, trainClassifier, type TfidfClassifier, type TrainOptions } from './tfidf-classifier';

/** The wrong-label share of auto-published stories the shipped threshold is chosen to stay under. */
export const MAX_AUTO_PUBLISHED_WRONG_SHARE = 0.02;

export interface EvalOptions {
  train?: TrainOptions;
  gazetteer?: readonly GazetteerEntry[];
  /** Also compare held-out macro-F1 with each optional feature toggled. */
  featureComparison?: boolean;
}

export interface EvalResult {
  macroF1: number;
  expectedCalibrationError: number;
  /** Lowest candidate threshold meeting MAX_AUTO_PUBLISHED_WRONG_SHARE on cross-validated training predictions. */
  recommendedThreshold: number | null;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([label, count]) => `${label} ${count}`)
    .join(', ');
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function scoreExamples(model: TfidfClassifier, examples: readonly LabelledText[]): ScoredExample[] {
  return examples.map((example) => ({ probabilities: classifyProbabilities(model, example), label: LABELS.indexOf(example.label) }));
}

export function formatReliability(examples: readonly ScoredExample[]): string {
  const lines = [`expected calibration error  ${expectedCalibrationError(examples).toFixed(3)}  (10 equal-width buckets)`, ''];
  lines.push('confidence   stories  mean conf  accuracy');
  for (const bucket of reliabilityTable(examples)) {
    if (bucket.count === 0) continue;
    lines.push(
      `${bucket.from.toFixed(1)}-${bucket.to.toFixed(1)}`.padEnd(11) +
        String(bucket.count).padStart(9) +
        bucket.meanConfidence.toFixed(3).padStart(11) +
        bucket.accuracy.toFixed(3).padStart(10),
    );
  }
  return lines.join('\n');
}

export function formatThresholds(heldOut: readonly ScoredExample[], crossValidated: readonly ScoredExample[] | undefined): string {
  const lines = [
    'auto-publish   held-out: published  wrong label  video/image published   cross-validated train: wrong label  video/image published',
  ];
  for (const threshold of CANDIDATE_THRESHOLDS) {
    const held = thresholdRow(heldOut, threshold);
    const cv = crossValidated === undefined ? null : thresholdRow(crossValidated, threshold);
    lines.push(
      `>= ${threshold.toFixed(2)}`.padEnd(15) +
        String(held.autoPublished).padStart(19) +
        `${percent(held.wrongShare)} (${held.wrong})`.padStart(13) +
        `${percent(held.mediaShare)} (${held.mediaAutoPublished}/${held.mediaTotal})`.padStart(23) +
        (cv === null ? '' : `${percent(cv.wrongShare)} (${cv.wrong})`.padStart(37) + `${percent(cv.mediaShare)} (${cv.mediaAutoPublished}/${cv.mediaTotal})`.padStart(23)),
    );
  }
  return lines.join('\n');
}

/** The optional features eval can compare, each as the options that switch it the other way. */
function featureToggles(base: TrainOptions): { name: string; options: TrainOptions }[] {
  const resolved = { ...DEFAULT_TRAIN_OPTIONS, ...base };
  return [
    { name: `word bigrams ${resolved.bigrams ? 'off' : 'on'}`, options: { ...base, bigrams: !resolved.bigrams } },
    { name: `gazetteer features ${resolved.gazetteerFeatures ? 'off' : 'on'}`, options: { ...base, gazetteerFeatures: !resolved.gazetteerFeatures } },
  ];
}

/** Returns the held-out macro-F1, calibration error and recommended threshold. */
export function runEval(corpusDir: string, out: NodeJS.WritableStream, options: EvalOptions = {}): EvalResult {
  const { train, heldOut } = loadCorpus(corpusDir);
  const gazetteer = options.gazetteer ?? [];
  const startedAt = performance.now();
  const model = trainClassifier(train, options.train, { gazetteer });
  const trainMs = performance.now() - startedAt;
  const report = evaluateClassifier(model, heldOut);
  const heldOutScores = scoreExamples(model, heldOut);
  const recommended = model.outOfFold === undefined ? null : recommendThreshold(model.outOfFold, MAX_AUTO_PUBLISHED_WRONG_SHARE);
  const heldAtRecommended = recommended === null ? null : thresholdRow(heldOutScores, recommended);
  out.write(
    [
      `corpus     ${corpusDir}`,
      `train      ${train.length} (${formatCounts(countByLabel(train))})`,
      `held-out   ${heldOut.length} (${formatCounts(countByLabel(heldOut))})`,
      `gazetteer  ${gazetteer.length} names${model.gazetteer.length === 0 ? ' (not used)' : ''}`,
      `vocabulary ${model.terms.length} terms, trained in ${trainMs.toFixed(0)} ms (incl. ${model.options.calibrationFolds}-fold calibration), temperature ${model.temperature.toFixed(3)}`,
      '',
      formatEvaluation(report),
      '',
      'Calibration on the held-out split',
      formatReliability(heldOutScores),
      '',
      'Auto-publish thresholds (stories predicted video/image at or above the threshold publish without review)',
      formatThresholds(heldOutScores, model.outOfFold),
      '',
      recommended === null || heldAtRecommended === null
        ? `no candidate threshold keeps wrong labels <= ${percent(MAX_AUTO_PUBLISHED_WRONG_SHARE)} in cross-validation`
        : `recommended curation.autoPublishThreshold: ${recommended.toFixed(2)} (lowest with <= ${percent(MAX_AUTO_PUBLISHED_WRONG_SHARE)} wrong in cross-validation); ` +
          `on held-out it publishes ${heldAtRecommended.autoPublished} stories, ${percent(heldAtRecommended.wrongShare)} wrong, ` +
          `${percent(heldAtRecommended.mediaShare)} of video/image stories without review`,
      '',
    ].join('\n'),
  );
  if (options.featureComparison) {
    const lines = ['Feature comparison (held-out macro-F1; each row retrains with one feature switched)', `shipped options              ${report.macroF1.toFixed(3)}`];
    for (const toggle of featureToggles(options.train ?? {})) {
      const variant = trainClassifier(train, { ...toggle.options, calibrationFolds: 0 }, { gazetteer });
      lines.push(`${toggle.name.padEnd(29)}${evaluateClassifier(variant, heldOut).macroF1.toFixed(3)}`);
    }
    out.write(`${lines.join('\n')}\n`);
  }
  return {
    macroF1: report.macroF1,
    expectedCalibrationError: expectedCalibrationError(heldOutScores),
    recommendedThreshold: recommended,
  };
}
