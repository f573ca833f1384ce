import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker.config.mjs): genotype derivation and parsing,
// and the cell plan they index.
export default defineConfig({
  test: {
    include: ['test/genotype.test.ts', 'test/genotype-validation.test.ts', 'test/pc-darts.test.ts', 'test/pdarts.test.ts'],
    testTimeout: 60_000,
  },
});
