/**
 * Re-runs same-event matching over stored reports (after tuning, or a new scorer), in arrival
 * order, as ingest would, while keeping every editor decision:
 *  - reports of a story an editor acted on (approved, rejected, relabelled, pinned, edited, merged
 *    into) stay together in that story; other reports may still join it;
 *  - reports an editor said are one event (merges) stay together; reports an editor split apart
 *    are never put together again.
 * Pure: the store supplies the reports and applies the plan.
 */
import { buildEventDoc, type EventDoc } from './event-doc';
import { EventIndex } from './event-index';
import type { EventScorerModel } from './event-scorer';
import type { TermStats } from './term-stats';

export interface StoredReport {
  itemId: number;
  storyId: number;
  feedId: string;
  title: string;
  summary: string;
  publishedAt: string;
}

export interface ReclusterInput {
  /** Reports before the re-matched range (within the window): context that keeps its stories. */
  fixed: readonly StoredReport[];
  /** Reports to match again, in arrival order. */
  moving: readonly StoredReport[];
  /** Stories with editor decisions: their reports stay in them. */
  keptStories: ReadonlySet<number>;
  pairLabels: readonly { itemA: number; itemB: number; sameEvent: boolean }[];
}

/** Where each moving report goes: an existing story id, or a new story (negative ids, one per new story). */
export interface ReclusterPlan {
  assignments: Map<number, number>;
  /** New stories' reports, keyed by their negative id, earliest first. */
  newStories: Map<number, StoredReport[]>;
}

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

export function planRecluster(
  input: ReclusterInput,
  stats: TermStats,
  model: EventScorerModel,
  windowDays: number,
  onProgress: (done: number, total: number) => void = () => {},
): ReclusterPlan {
  const index = new EventIndex(stats, model, windowDays * 86_400_000);
  const groups = new UnionFind();
  for (const label of input.pairLabels) if (label.sameEvent) groups.union(label.itemA, label.itemB);
  const apart = new Map<number, Set<number>>();
  for (const label of input.pairLabels) {
    if (label.sameEvent) continue;
    for (const [a, b] of [[label.itemA, label.itemB], [label.itemB, label.itemA]]) {
      const set = apart.get(a) ?? new Set<number>();
      set.add(b);
      apart.set(a, set);
    }
  }
  // A kept story's reports form one group, anchored to that story.
  const anchorOf = new Map<number, number>();
  const firstOfKept = new Map<number, number>();
  for (const report of [...input.fixed, ...input.moving]) {
    if (!input.keptStories.has(report.storyId)) continue;
    const first = firstOfKept.get(report.storyId);
    if (first === undefined) firstOfKept.set(report.storyId, report.itemId);
    else groups.union(first, report.itemId);
  }
  for (const [storyId, first] of firstOfKept) anchorOf.set(groups.find(first), storyId);

  const clusterOfGroup = new Map<number, number>();
  const membersOf = new Map<number, Set<number>>();
  const place = (report: StoredReport, cluster: number, doc: EventDoc) => {
    doc.storyId = cluster;
    index.add(doc);
    const members = membersOf.get(cluster) ?? new Set<number>();
    members.add(report.itemId);
    membersOf.set(cluster, members);
    clusterOfGroup.set(groups.find(report.itemId), cluster);
  };

  for (const report of input.fixed) place(report, report.storyId, buildEventDoc(report, stats));

  const assignments = new Map<number, number>();
  const newStories = new Map<number, StoredReport[]>();
  let nextNew = -1;
  for (const report of input.moving) {
    const doc = buildEventDoc(report, stats);
    const group = groups.find(report.itemId);
    let cluster = clusterOfGroup.get(group) ?? anchorOf.get(group);
    if (cluster === undefined) {
      const keptApart = apart.get(report.itemId);
      const allowed = (storyId: number) => {
        if (!keptApart) return true;
        for (const member of membersOf.get(storyId) ?? []) if (keptApart.has(member)) return false;
        return true;
      };
      cluster = index.match(doc, allowed)?.storyId ?? nextNew--;
    }
    if (cluster < 0) newStories.set(cluster, [...(newStories.get(cluster) ?? []), report]);
    assignments.set(report.itemId, cluster);
    place(report, cluster, doc);
    if (assignments.size % 1000 === 0) onProgress(assignments.size, input.moving.length);
  }
  return { assignments, newStories };
}
