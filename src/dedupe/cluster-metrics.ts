/**
 * Clustering scores against gold events: pairwise precision / recall / F1 (over every pair of
 * reports: same predicted story vs same event) and B-cubed (per report: how much of its predicted
 * story is its event, and how much of its event is in its predicted story).
 */
export interface ClusterScores {
  pairwise: { precision: number; recall: number; f1: number; truePairs: number; predictedPairs: number; correctPairs: number };
  bcubed: { precision: number; recall: number; f1: number };
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export function scoreClusters(gold: readonly string[], predicted: readonly (string | number)[]): ClusterScores {
  if (gold.length !== predicted.length) throw new Error('gold and predicted lengths differ');
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (let i = 0; i < gold.length; i += 1) {
    for (let j = i + 1; j < gold.length; j += 1) {
      const same = gold[i] === gold[j];
      const joined = predicted[i] === predicted[j];
      if (same) truePairs += 1;
      if (joined) predictedPairs += 1;
      if (same && joined) correctPairs += 1;
    }
  }
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;

  let bPrecision = 0;
  let bRecall = 0;
  for (let i = 0; i < gold.length; i += 1) {
    let inCluster = 0;
    let inEvent = 0;
    let both = 0;
    for (let j = 0; j < gold.length; j += 1) {
      const sameEvent = gold[i] === gold[j];
      const sameCluster = predicted[i] === predicted[j];
      if (sameCluster) inCluster += 1;
      if (sameEvent) inEvent += 1;
      if (sameEvent && sameCluster) both += 1;
    }
    bPrecision += both / inCluster;
    bRecall += both / inEvent;
  }
  bPrecision /= gold.length || 1;
  bRecall /= gold.length || 1;
  return {
    pairwise: { precision, recall, f1: f1(precision, recall), truePairs, predictedPairs, correctPairs },
    bcubed: { precision: bPrecision, recall: bRecall, f1: f1(bPrecision, bRecall) },
  };
}
