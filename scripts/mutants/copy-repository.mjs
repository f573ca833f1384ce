// A throw-away copy of the repository for the mutant scripts, so no mutation or removal ever touches
// the checkout: the working tree's tracked and new files, each package's dist/ and its node_modules
// links (copied as links), and the root node_modules shared through a symbolic link.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this script lives in. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Copies the repository to a new temporary folder and returns its path. */
export function copyRepository() {
  const copy = mkdtempSync(join(tmpdir(), 'convkit-mutants-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(copy, file), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  for (const pkg of readdirSync(join(root, 'packages'))) {
    for (const folder of ['dist', 'node_modules']) {
      const source = join(root, 'packages', pkg, folder);
      if (existsSync(source)) cpSync(source, join(copy, 'packages', pkg, folder), { recursive: true, verbatimSymlinks: true });
    }
  }
  return copy;
}

/** Runs vitest on `tests` in package `pkg` of `copy`; returns whether it passed, the failed tests and the output. */
export function vitest(copy, pkg, tests, env = {}) {
  const run = spawnSync('npx', ['vitest', 'run', ...tests], {
    cwd: join(copy, 'packages', pkg),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  const failed = [...new Set([...output.matchAll(/^\s*FAIL\s+(\S+\.test\.ts > .+)$/gm)].map((m) => m[1].trim()))];
  return { passed: run.status === 0, failed, output };
}

/** Rebuilds package `pkg` of `copy` (for mutants in a package others load from its dist/). */
export function build(copy, pkg) {
  const run = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: join(copy, 'packages', pkg), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`building ${pkg} in the copy failed:\n${run.stdout}${run.stderr}`);
}
