import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The end-to-end files share one built page (built and served by the global setup); one file at a
  // time keeps the two cores for the browser rather than for parallel vitest workers.
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
