import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker.config.mjs): the ones that pin the channel
// arithmetic, on cpu.
export default defineConfig({
  test: {
    include: ['test/vocabulary.test.ts'],
    testTimeout: 60_000,
  },
});
