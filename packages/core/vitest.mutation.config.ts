import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant of core's analysis math (stryker.config.mjs): the ones
// that pin its formulas, none that needs a compute backend beyond cpu.
export default defineConfig({
  test: {
    include: ['test/conv-arithmetic.test.ts', 'test/cost-formulas.test.ts', 'test/receptive-field.test.ts', 'test/model-summary.test.ts'],
    testTimeout: 60_000,
  },
});
