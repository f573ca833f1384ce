import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant of the modules it mutates (stryker.config.mjs): the
// ones that pin their formulas. No child-process or long training tests, so a mutant takes seconds.
export default defineConfig({
  test: {
    include: [
      'test/augmentation-draws.test.ts',
      'test/augmentation-pixels.test.ts',
      'test/augmentations.test.ts',
      'test/classification-metrics.test.ts',
      'test/cross-entropy-batch.test.ts',
      'test/drop-path-schedule.test.ts',
      'test/float16-emulation.test.ts',
      'test/gamma-sampler.test.ts',
      'test/loss-scaling.test.ts',
      'test/loss.test.ts',
      'test/optimizer.test.ts',
      'test/progressive-resize.test.ts',
      'test/resized-crop-window.test.ts',
      'test/schedule.test.ts',
      'test/symmetric-eigen.test.ts',
      'test/technique-guards.test.ts',
      'test/training-option-effects.test.ts',
      'test/weight-ema.test.ts',
    ],
    // Stryker runs on two cores shared with other work: a training test slowed down by the load must
    // not fail its initial run.
    testTimeout: 180_000,
  },
});
