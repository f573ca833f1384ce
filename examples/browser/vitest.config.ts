import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The end-to-end files share one built page and one Chromium; one file at a time keeps the two
  // cores for the browser rather than for parallel vitest workers.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000, pool: 'forks', fileParallelism: false },
});
