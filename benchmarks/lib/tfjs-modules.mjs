/**
 * tfjs packages as @convkit/core resolves them: the benchmarks are not a workspace package, and
 * loading tfjs through core's own dependencies guarantees the single tfjs instance core registers
 * its kernels into.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corePackage = join(repoRoot, 'packages', 'core', 'package.json');
const requireFromCore = createRequire(corePackage);

/** Imports a package installed for @convkit/core. */
export async function importFromCore(specifier) {
  return import(pathToFileURL(requireFromCore.resolve(specifier)).href);
}

/** The built @convkit/core (run `pnpm --filter @convkit/core build` first; `pnpm bench` does). */
export async function importCore() {
  return import(pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'index.js')).href);
}
