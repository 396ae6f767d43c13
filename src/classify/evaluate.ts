/**
 * Scores a classifier against labelled examples: per-label precision / recall / F1, macro-F1,
 * accuracy and a confusion matrix, plus a plain-text table for the `eval` command and logs.
 */
import { LABELS, type Label, type LabelledText } from '../model';
import { classifyText, type TfidfClassifier } from './tfidf-classifier';

export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true label is this one. */
  support: number;
}

export interface EvaluationReport {
  labels: readonly Label[];
  perLabel: Record<Label, LabelScores>;
  /** Unweighted mean of per-label F1. */
  macroF1: number;
  accuracy: number;
  /** confusion[actual][predicted] = number of examples. */
  confusion: Record<Label, Record<Label, number>>;
  total: number;
}

function emptyRow(): Record<Label, number> {
  return { video: 0, image: 0, neither: 0 };
}

/** 0 when the denominator is 0, so a label never predicted gets precision 0 instead of NaN. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function evaluateClassifier(model: TfidfClassifier, examples: readonly LabelledText[]): EvaluationReport {
  const confusion = { video: emptyRow(), image: emptyRow(), neither: emptyRow() } satisfies Record<Label, Record<Label, number>>;
  for (const example of examples) {
    const predicted = classifyText(model, example).label;
    confusion[example.label][predicted] += 1;
  }
  let correct = 0;
  const perLabel = {} as Record<Label, LabelScores>;
  for (const label of LABELS) {
    const truePositives = confusion[label][label];
    correct += truePositives;
    const support = LABELS.reduce((sum, predicted) => sum + confusion[label][predicted], 0);
    const predictedCount = LABELS.reduce((sum, actual) => sum + confusion[actual][label], 0);
    const precision = ratio(truePositives, predictedCount);
    const recall = ratio(truePositives, support);
    perLabel[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  return {
    labels: LABELS,
    perLabel,
    macroF1: LABELS.reduce((sum, label) => sum + perLabel[label].f1, 0) / LABELS.length,
    accuracy: ratio(correct, examples.length),
    confusion,
    total: examples.length,
  };
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

export function formatEvaluation(report: EvaluationReport): string {
  const scoreWidths = [9, 9, 6, 6, 7];
  const lines = [row(['label', 'precision', 'recall', 'f1', 'support'], scoreWidths)];
  for (const label of report.labels) {
    const scores = report.perLabel[label];
    lines.push(
      row([label, scores.precision.toFixed(3), scores.recall.toFixed(3), scores.f1.toFixed(3), String(scores.support)], scoreWidths),
    );
  }
  lines.push('');
  lines.push(`macro-F1  ${report.macroF1.toFixed(3)}`);
  lines.push(`accuracy  ${report.accuracy.toFixed(3)}  (${report.total} examples)`);
  lines.push('');
  const confusionWidths = [18, ...report.labels.map((label) => Math.max(label.length, 5))];
  lines.push(row(['actual \\ predicted', ...report.labels], confusionWidths));
  for (const actual of report.labels) {
    lines.push(row([actual, ...report.labels.map((predicted) => String(report.confusion[actual][predicted]))], confusionWidths));
  }
  return lines.join('\n');
}
