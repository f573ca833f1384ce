import { defineConfig } from 'vitest/config';

// The default suite: small data and tiny models only. Long accuracy runs live in
// vitest.accuracy.config.ts (`pnpm test:accuracy`) so `pnpm test` stays a few minutes on 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
  },
});
