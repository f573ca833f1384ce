import { defineConfig } from 'vitest/config';

// Long measured runs in the page; not part of `pnpm test` (`pnpm test:accuracy` runs them).
export default defineConfig({
  test: {
    include: ['test/**/*.accuracy.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
