/**
 * Milliseconds per call of `step`: one warm-up call (kernels compile, XNNPACK packs weights), then
 * repeats until `budgetMs` has passed or `maxRepeats` calls, reporting the median. A warm-up that
 * alone exceeds the budget is reported as the single sample, so slow backends stay bounded.
 */
export async function timeStep(step, { budgetMs = 4000, maxRepeats = 10 } = {}) {
  const warmStart = performance.now();
  await step();
  const warm = performance.now() - warmStart;
  if (warm > budgetMs) return { ms: warm, samples: 1 };
  const samples = [];
  const start = performance.now();
  while (samples.length < maxRepeats && (samples.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await step();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], samples: samples.length };
}
