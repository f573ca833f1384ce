import { defineConfig } from 'vitest/config';

export default defineConfig({
  // oclif's runCommand captures output itself, so vitest must not intercept the console.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, pool: 'forks', disableConsoleIntercept: true },
});
