/**
 * Confidence that means probability, and the auto-publish threshold chosen from it.
 *
 * A softmax regression's raw confidence is not a probability: with little regularisation it is
 * over-confident on text unlike its training set. Temperature scaling (Guo et al., 2017) divides
 * the label scores by one number T before the softmax, fitted to minimise log-loss on predictions
 * the model made for examples it did not train on (cross-validation folds of the training split),
 * so the held-out split stays untouched for evaluation. T leaves the predicted label unchanged.
 *
 * The rest of this module measures calibration (expected calibration error, a reliability table)
 * and, per candidate threshold, what auto-publishing would do: the share of auto-published stories
 * with the wrong label and the share of video/image stories that publish without review.
 */
import { LABELS, PUBLISHED_LABELS, type Label } from '../model';

/** One prediction: the probability of each label (LABELS order) and the true label's index. */
export interface ScoredExample {
  probabilities: Float64Array;
  label: number;
}

function logSoftmaxAt(scores: Float64Array, temperature: number, index: number): number {
  let max = -Infinity;
  for (const score of scores) max = Math.max(max, score / temperature);
  let sum = 0;
  for (const score of scores) sum += Math.exp(score / temperature - max);
  return scores[index] / temperature - max - Math.log(sum);
}

function meanLogLoss(scored: readonly { scores: Float64Array; label: number }[], temperature: number): number {
  let total = 0;
  for (const { scores, label } of scored) total -= logSoftmaxAt(scores, temperature, label);
  return total / scored.length;
}

/**
 * The temperature in [0.05, 20] that minimises mean log-loss: a log-spaced grid, then golden-section
 * search around the best grid point (log-loss is smooth and unimodal in log T for these models).
 */
export function fitTemperature(scored: readonly { scores: Float64Array; label: number }[]): number {
  if (scored.length === 0) return 1;
  const low = Math.log(0.05);
  const high = Math.log(20);
  const steps = 60;
  let best = 0;
  let bestLoss = Infinity;
  for (let i = 0; i <= steps; i++) {
    const logT = low + ((high - low) * i) / steps;
    const loss = meanLogLoss(scored, Math.exp(logT));
    if (loss < bestLoss) {
      bestLoss = loss;
      best = logT;
    }
  }
  const step = (high - low) / steps;
  let a = best - step;
  let b = best + step;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (meanLogLoss(scored, Math.exp(c)) < meanLogLoss(scored, Math.exp(d))) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}

function predicted(example: ScoredExample): { label: number; confidence: number } {
  let label = 0;
  for (let i = 1; i < example.probabilities.length; i++) if (example.probabilities[i] > example.probabilities[label]) label = i;
  return { label, confidence: example.probabilities[label] };
}

export interface ReliabilityBucket {
  /** Confidence range [from, to). */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Predictions grouped by confidence: in a calibrated model each bucket's accuracy matches its mean confidence. */
export function reliabilityTable(examples: readonly ScoredExample[], bucketWidth = 0.1): ReliabilityBucket[] {
  const buckets: ReliabilityBucket[] = [];
  const count = Math.round(1 / bucketWidth);
  for (let i = 0; i < count; i++) buckets.push({ from: i * bucketWidth, to: (i + 1) * bucketWidth, count: 0, meanConfidence: 0, accuracy: 0 });
  for (const example of examples) {
    const { label, confidence } = predicted(example);
    const bucket = buckets[Math.min(count - 1, Math.floor(confidence / bucketWidth))];
    bucket.count += 1;
    bucket.meanConfidence += confidence;
    bucket.accuracy += label === example.label ? 1 : 0;
  }
  for (const bucket of buckets) {
    if (bucket.count === 0) continue;
    bucket.meanConfidence /= bucket.count;
    bucket.accuracy /= bucket.count;
  }
  return buckets;
}

/** Expected calibration error: the count-weighted mean gap between confidence and accuracy per bucket. */
export function expectedCalibrationError(examples: readonly ScoredExample[]): number {
  if (examples.length === 0) return 0;
  let total = 0;
  for (const bucket of reliabilityTable(examples)) total += bucket.count * Math.abs(bucket.accuracy - bucket.meanConfidence);
  return total / examples.length;
}

export interface ThresholdRow {
  threshold: number;
  /** Stories that would publish without review: predicted video or image with confidence >= threshold. */
  autoPublished: number;
  /** Of those, how many carry the wrong label. */
  wrong: number;
  /** wrong / autoPublished (0 when nothing publishes). */
  wrongShare: number;
  /** Video/image stories (true label) that publish without review under their right label. */
  mediaAutoPublished: number;
  mediaTotal: number;
  /** mediaAutoPublished / mediaTotal. */
  mediaShare: number;
}

const PUBLISHED_INDICES = new Set(PUBLISHED_LABELS.map((label: Label) => LABELS.indexOf(label)));

/** What auto-publishing at `threshold` does to these predictions (neither is never published). */
export function thresholdRow(examples: readonly ScoredExample[], threshold: number): ThresholdRow {
  let autoPublished = 0;
  let wrong = 0;
  let mediaAutoPublished = 0;
  let mediaTotal = 0;
  for (const example of examples) {
    const { label, confidence } = predicted(example);
    const isMedia = PUBLISHED_INDICES.has(example.label);
    if (isMedia) mediaTotal += 1;
    if (!PUBLISHED_INDICES.has(label) || confidence < threshold) continue;
    autoPublished += 1;
    if (label !== example.label) wrong += 1;
    else mediaAutoPublished += 1;
  }
  return {
    threshold,
    autoPublished,
    wrong,
    wrongShare: autoPublished === 0 ? 0 : wrong / autoPublished,
    mediaAutoPublished,
    mediaTotal,
    mediaShare: mediaTotal === 0 ? 0 : mediaAutoPublished / mediaTotal,
  };
}

/** Candidate thresholds printed by eval: 0.50 to 0.95 in steps of 0.05. */
export const CANDIDATE_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100);

/**
 * The lowest candidate threshold whose wrong-label share is at most `maxWrongShare` on these
 * predictions (lowest = the most video/image stories published without review); null if none.
 */
export function recommendThreshold(examples: readonly ScoredExample[], maxWrongShare: number): number | null {
  for (const threshold of CANDIDATE_THRESHOLDS) {
    if (thresholdRow(examples, threshold).wrongShare <= maxWrongShare) return threshold;
  }
  return null;
}
