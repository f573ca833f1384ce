// The StrykerJS setup every package's `pnpm test:mutation` shares: its vitest runner on the package's
// vitest.mutation.config.ts (the tests that pin the mutated modules' formulas, nothing slow), the
// TypeScript checker so mutants that do not compile are discarded, and settings for two shared cores.
// A package's stryker.config.mjs names only the modules it mutates.

// pnpm keeps the plugins out of the core's sight (its own folder), so they are given by path.
const plugins = ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'].map((name) => import.meta.resolve(name));

/**
 * Stryker options mutating the files `mutate` matches (globs relative to the package).
 * @param {string[]} mutate
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig(mutate) {
  return {
    plugins,
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutation.config.ts' },
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    mutate,
    coverageAnalysis: 'perTest',
    // One test process at a time beside the type checker: the machine has two cores, shared.
    concurrency: 1,
    // Reruns only the mutants whose code or covering tests changed since the last run.
    incremental: true,
    incrementalFile: 'reports/mutation/stryker-incremental.json',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  };
}
