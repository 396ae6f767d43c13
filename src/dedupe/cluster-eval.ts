/**
 * Scores same-event matching on the labelled sets in data/clusters: the tuning set, the held-out
 * set as dated, the held-out set compressed into a dense month, and the held-out set arriving
 * feed by feed in shuffled outlet orders (as a fetch run delivers it).
 */
import path from 'node:path';
import { arrivalOrder, compressTimeline, readClusterReports, type ClusterReport } from './cluster-dataset';
import { scoreClusters, type ClusterScores } from './cluster-metrics';
import { clusterOnline, type SimulationOptions } from './cluster-simulation';
import type { EventScorerModel } from './event-scorer';
import { DENSE_SPAN_DAYS } from './train-event-scorer';

export const TUNING_FILE = 'tune.jsonl';
export const HELD_OUT_FILE = 'heldout.jsonl';

export interface ClusterEvalRow {
  name: string;
  reports: number;
  events: number;
  scores: ClusterScores;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** Reports grouped by outlet, outlets in a shuffled order, each outlet's newest first (as feeds list them). */
export function feedByFeedOrder(reports: readonly ClusterReport[], seed: number): ClusterReport[] {
  const byOutlet = new Map<string, ClusterReport[]>();
  for (const report of reports) {
    const list = byOutlet.get(report.outlet) ?? [];
    list.push(report);
    byOutlet.set(report.outlet, list);
  }
  const outlets = [...byOutlet.keys()].sort();
  const random = seededRandom(seed);
  for (let i = outlets.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [outlets[i], outlets[j]] = [outlets[j], outlets[i]];
  }
  return outlets.flatMap((outlet) => byOutlet.get(outlet)!.sort((a, b) => b.published.localeCompare(a.published)));
}

function row(name: string, reports: readonly ClusterReport[], model: EventScorerModel, options: SimulationOptions): ClusterEvalRow {
  const predicted = clusterOnline(reports, model, options);
  return {
    name,
    reports: reports.length,
    events: new Set(reports.map((report) => report.event)).size,
    scores: scoreClusters(
      reports.map((report) => report.event),
      predicted,
    ),
  };
}

export function evaluateMatching(dir: string, model: EventScorerModel, options: SimulationOptions, orders = 5): ClusterEvalRow[] {
  const tune = readClusterReports(path.join(dir, TUNING_FILE));
  const heldOut = readClusterReports(path.join(dir, HELD_OUT_FILE));
  const rows = [
    row('tuning set, in date order', arrivalOrder(tune), model, options),
    row('held-out, in date order', arrivalOrder(heldOut), model, options),
    row(`held-out, dense (${DENSE_SPAN_DAYS} days)`, arrivalOrder(compressTimeline(heldOut, DENSE_SPAN_DAYS)), model, options),
  ];
  for (let seed = 1; seed <= orders; seed += 1) {
    rows.push(row(`held-out, feed by feed #${seed}`, feedByFeedOrder(heldOut, seed), model, options));
  }
  return rows;
}

const pct = (value: number) => value.toFixed(3);

export function formatMatchingEvaluation(rows: readonly ClusterEvalRow[]): string {
  const header = `${'set'.padEnd(34)} ${'reports'.padStart(7)} ${'events'.padStart(6)}   pair-P  pair-R pair-F1   B3-P   B3-R  B3-F1`;
  const lines = rows.map(
    ({ name, reports, events, scores: { pairwise, bcubed } }) =>
      `${name.padEnd(34)} ${String(reports).padStart(7)} ${String(events).padStart(6)}   ${pct(pairwise.precision)}   ${pct(pairwise.recall)}   ${pct(pairwise.f1)}  ${pct(bcubed.precision)}  ${pct(bcubed.recall)}  ${pct(bcubed.f1)}`,
  );
  return [header, ...lines].join('\n');
}
