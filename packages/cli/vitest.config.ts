import { defineConfig } from 'vitest/config';

export default defineConfig({
  // oclif's runCommand captures output itself, so vitest must not intercept the console.
  // Two forks: most files wait on a single-threaded child (bin/run.js on the cpu backend), and vitest's
  // default on 2 cores is one worker, which left a core idle while this package, the longest, ran last.
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    disableConsoleIntercept: true,
  },
});
