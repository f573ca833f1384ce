import { defineConfig } from 'vitest/config';

// Long measured runs (full Fashion-MNIST); not part of `pnpm test`.
export default defineConfig({
  test: { include: ['accuracy/**/*.accuracy.ts'], testTimeout: 3_600_000, pool: 'forks' },
});
