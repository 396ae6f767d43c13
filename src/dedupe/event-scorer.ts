/**
 * How likely a report belongs to a story: the similarity features of story-profile.ts combined by
 * a small logistic model fitted on labelled data (data/clusters and editors' merges and splits;
 * see train-event-scorer.ts). The features say what outlets' reports of one event share, whatever
 * their headlines: rare words, names, figures and versions, close in time. A version or an amount
 * that differs ("Veo 2" / "Veo 3", "$40 million" / "$100 million") speaks against.
 */
export { FEATURE_NAMES } from './story-profile';

export interface EventScorerModel {
  /** One weight per feature (FEATURE_NAMES order). */
  weights: number[];
  bias: number;
  /** Join a story when the probability reaches this. */
  threshold: number;
  /** Where the weights came from, for the README and eval output. */
  trainedOn?: string;
}

export function probability(model: EventScorerModel, features: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < features.length; i += 1) z += model.weights[i] * features[i];
  return 1 / (1 + Math.exp(-z));
}
