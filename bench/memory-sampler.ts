/**
 * Peak resident memory of this process: process.memoryUsage().rss sampled on a timer, plus the
 * kernel's own high-water mark (resourceUsage().maxRSS), which also catches peaks between samples.
 * A synchronous stretch blocks the timer, so the sampled peak can only under-state; maxRSS cannot.
 */
export interface MemoryPeak {
  /** Highest sampled RSS, bytes. */
  sampledPeakBytes: number;
  /** Process-lifetime maximum RSS from the kernel, bytes. */
  maxRssBytes: number;
  samples: number;
}

export interface MemorySampler {
  /** Takes one sample now (call after a synchronous stretch that starved the timer). */
  sample(): void;
  stop(): MemoryPeak;
}

export function startMemorySampler(intervalMs = 50): MemorySampler {
  let peak = process.memoryUsage().rss;
  let samples = 1;
  const sample = (): void => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    samples += 1;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      // maxRSS is in kilobytes.
      return { sampledPeakBytes: peak, maxRssBytes: process.resourceUsage().maxRSS * 1024, samples };
    },
  };
}

export const MB = 1024 * 1024;
