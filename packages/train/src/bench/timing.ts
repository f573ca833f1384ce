/** How long to measure a step for. */
export interface TimingOptions {
  /** Wall-clock milliseconds of repeats after the warm-up; default 4000. */
  budgetMs?: number;
  /** Most repeats; default 10 (at least 3 unless the warm-up alone exceeds the budget). */
  maxRepeats?: number;
}

/** Milliseconds per call, as the median of the repeats, and how many calls were timed. */
export interface Timing {
  ms: number;
  samples: number;
}

/**
 * Milliseconds per call of `step`: one warm-up call (kernels compile, XNNPACK packs weights), then
 * repeats until `budgetMs` has passed or `maxRepeats` calls, reporting the median. A warm-up that
 * alone exceeds the budget is reported as the single sample, so slow backends stay bounded.
 */
export async function timeStep(step: () => Promise<unknown>, options: TimingOptions = {}): Promise<Timing> {
  const { budgetMs = 4000, maxRepeats = 10 } = options;
  const warmStart = performance.now();
  await step();
  const warm = performance.now() - warmStart;
  if (warm > budgetMs) return { ms: warm, samples: 1 };
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRepeats && (samples.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await step();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] as number, samples: samples.length };
}
