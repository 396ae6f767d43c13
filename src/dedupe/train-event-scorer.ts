/**
 * Fits the same-event scorer: logistic regression on labelled pairs (balanced classes, L2), then
 * the join threshold chosen by running the online matcher over the tuning reports: the best
 * pairwise F0.5, which weighs precision twice as much as recall (a wrong merge hides a story; a
 * missed one only repeats it).
 */
import { arrivalOrder, compressTimeline, type ClusterReport } from './cluster-dataset';
import { scoreClusters, type ClusterScores } from './cluster-metrics';

type PairwiseScores = ClusterScores['pairwise'];
import { candidatePairs, clusterOnline, type LabelledPair, type SimulationOptions } from './cluster-simulation';
import { FEATURE_NAMES, type EventScorerModel } from './event-scorer';

export function fitLogistic(pairs: readonly LabelledPair[], l2 = 0.003, iterations = 20000, rate = 2): { weights: number[]; bias: number } {
  const width = FEATURE_NAMES.length;
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  const positives = pairs.filter((pair) => pair.same).length;
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('training pairs need both same-event and different-event pairs');
  const weightOf = (same: boolean) => (same ? pairs.length / (2 * positives) : pairs.length / (2 * negatives));
  for (let step = 0; step < iterations; step += 1) {
    const gradient = new Array<number>(width).fill(0);
    let gradientBias = 0;
    for (const pair of pairs) {
      let z = bias;
      for (let i = 0; i < width; i += 1) z += weights[i] * pair.features[i];
      const error = (1 / (1 + Math.exp(-z)) - (pair.same ? 1 : 0)) * weightOf(pair.same);
      for (let i = 0; i < width; i += 1) gradient[i] += error * pair.features[i];
      gradientBias += error;
    }
    for (let i = 0; i < width; i += 1) weights[i] -= rate * (gradient[i] / pairs.length + l2 * weights[i]);
    bias -= rate * (gradientBias / pairs.length);
  }
  return { weights, bias };
}

function fBeta(row: { precision: number; recall: number }, beta: number): number {
  const b2 = beta * beta;
  const denominator = b2 * row.precision + row.recall;
  return denominator === 0 ? 0 : ((1 + b2) * row.precision * row.recall) / denominator;
}

export interface TrainingResult {
  model: EventScorerModel;
  pairs: number;
  positivePairs: number;
  tuning: { threshold: number; dated: PairwiseScores; dense: PairwiseScores; objective: number }[];
}

/** A labelled set spans years; compressed to this many days it is as dense as a busy month of news. */
export const DENSE_SPAN_DAYS = 14;

/**
 * Pairs come from the reports as dated and from the same reports compressed into a dense month
 * (many more same-company reports of other events nearby: the hard negatives); the threshold is
 * chosen on the reports as dated.
 */
export function trainEventScorer(
  reports: readonly ClusterReport[],
  options: SimulationOptions,
  extraPairs: readonly LabelledPair[] = [],
): TrainingResult {
  reports = arrivalOrder(reports);
  const dense = arrivalOrder(compressTimeline(reports, DENSE_SPAN_DAYS));
  const pairs = [...candidatePairs(reports, options), ...candidatePairs(dense, options), ...extraPairs];
  const { weights, bias } = fitLogistic(pairs);
  const gold = reports.map((report) => report.event);
  const tuning: TrainingResult['tuning'] = [];
  const denseGold = dense.map((report) => report.event);
  for (let threshold = 0.3; threshold < 0.96; threshold += 0.05) {
    const model = { weights, bias, threshold };
    const dated = scoreClusters(gold, clusterOnline(reports, model, options)).pairwise;
    const crowded = scoreClusters(denseGold, clusterOnline(dense, model, options)).pairwise;
    tuning.push({ threshold: Number(threshold.toFixed(3)), dated, dense: crowded, objective: (fBeta(dated, 0.5) + fBeta(crowded, 0.5)) / 2 });
  }
  // F0.5 weighs precision twice as much as recall, averaged over the sparse (as dated) and the dense
  // stream; on a tie the higher (safer) threshold wins.
  const chosen = tuning.reduce((best, row) => (row.objective >= best.objective ? row : best));
  return {
    model: { weights: weights.map((w) => Number(w.toFixed(4))), bias: Number(bias.toFixed(4)), threshold: chosen.threshold },
    pairs: pairs.length,
    positivePairs: pairs.filter((pair) => pair.same).length,
    tuning,
  };
}
