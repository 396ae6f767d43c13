/** Sizes of every bench section; BENCH_QUICK=1 shrinks them for a smoke run of under a minute. */
export interface BenchPlan {
  quick: boolean;
  feedCount: number;
  itemsPerFeed: number;
  /** Share of each fixture feed's items that repeat another feed's story. */
  duplicateShare: number;
  /** Items classified in the classification section (the fixture items, repeated as needed). */
  classifyItems: number;
  /** Stored-story counts at which dedupe cost is measured, ascending. */
  dedupeSizes: number[];
  /** Store size served in the serving section; must be one of dedupeSizes. */
  servingStoreSize: number;
  /** Stories a simulated site gains per day: spreads stored stories over time like a real archive. */
  storiesPerDay: number;
  /** New items per measured dedupe batch, and how many batches per size (median reported). */
  batchSize: number;
  batchRepeats: number;
  autocannonSeconds: number;
  autocannonConnections: number;
}

export function benchPlan(env: NodeJS.ProcessEnv): BenchPlan {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  return quick
    ? {
        quick,
        feedCount: 40,
        itemsPerFeed: 100,
        duplicateShare: 0.15,
        classifyItems: 8_000,
        dedupeSizes: [2_000, 10_000, 30_000],
        servingStoreSize: 10_000,
        storiesPerDay: 1_000,
        batchSize: 1_000,
        batchRepeats: 1,
        autocannonSeconds: 2,
        autocannonConnections: 10,
      }
    : {
        quick,
        feedCount: 200,
        itemsPerFeed: 100,
        duplicateShare: 0.15,
        classifyItems: 40_000,
        dedupeSizes: [10_000, 100_000, 300_000],
        servingStoreSize: 100_000,
        storiesPerDay: 1_000,
        batchSize: 1_000,
        batchRepeats: 3,
        autocannonSeconds: 5,
        autocannonConnections: 10,
      };
}
