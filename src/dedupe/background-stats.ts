/**
 * Word rarity from the background corpus (the classifier's labelled examples), counted once per
 * process and corpus: each same-event window, each reset after an editor's split and each
 * recluster starts from a copy instead of analysing the corpus's texts again (a few hundred
 * milliseconds each time).
 */
import { seedTermStats } from './event-doc';
import { TermStats } from './term-stats';

const counted = new Map<string, TermStats>();

/** The counts of `texts`, shared: copy them (TermStats.copyFrom), never add to them. */
export function backgroundStats(key: string, texts: () => Iterable<{ title: string; summary: string }>): TermStats {
  let stats = counted.get(key);
  if (stats === undefined) {
    stats = seedTermStats(new TermStats(), texts());
    counted.set(key, stats);
  }
  return stats;
}
