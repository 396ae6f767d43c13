/**
 * `eval` command: train on the corpus train split, score on the held-out split, print the table.
 */
import { countByLabel, loadCorpus } from './corpus';
import { evaluateClassifier, formatEvaluation } from './evaluate';
import { trainClassifier, type TrainOptions } from './tfidf-classifier';

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([label, count]) => `${label} ${count}`)
    .join(', ');
}

/** Returns the held-out macro-F1. */
export function runEval(corpusDir: string, out: NodeJS.WritableStream, options?: TrainOptions): number {
  const { train, heldOut } = loadCorpus(corpusDir);
  const startedAt = performance.now();
  const model = trainClassifier(train, options);
  const trainMs = performance.now() - startedAt;
  const report = evaluateClassifier(model, heldOut);
  out.write(
    [
      `corpus     ${corpusDir}`,
      `train      ${train.length} (${formatCounts(countByLabel(train))})`,
      `held-out   ${heldOut.length} (${formatCounts(countByLabel(heldOut))})`,
      `vocabulary ${model.terms.length} terms, trained in ${trainMs.toFixed(0)} ms`,
      '',
      formatEvaluation(report),
      '',
    ].join('\n'),
  );
  return report.macroF1;
}
