#!/usr/bin/env node
// Shows that the backend matrix fails loudly: in a temporary copy of the repository where
// @tensorflow/tfjs-node is installed but its native addon was never built (what a CI run that skipped
// scripts/provision-libtensorflow has: in the copy, core's link to the package becomes a folder
// holding only its package.json), a backend-parametrized test file must fail with a message naming
// the tensorflow backend; the same run with CONVKIT_TEST_SKIP_BACKENDS=tensorflow must pass and say
// that it skipped tensorflow.
//
//   node scripts/mutants/missing-backend.mjs [package] [test file]   (default: layers test/prelu.test.ts)
import { copyFileSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyRepository, vitest } from './copy-repository.mjs';

const [pkg = 'layers', test = 'test/prelu.test.ts'] = process.argv.slice(2);
const copy = copyRepository();
let ok = true;
try {
  const link = join(copy, 'packages', 'core', 'node_modules', '@tensorflow', 'tfjs-node');
  const installed = realpathSync(link);
  rmSync(link, { force: true });
  mkdirSync(link);
  copyFileSync(join(installed, 'package.json'), join(link, 'package.json'));
  const loud = vitest(copy, pkg, [test]);
  const named = loud.output.split('\n').find((line) => line.includes('needs tensorflow, which does not load'));
  console.log(`tfjs-node without its addon: ${loud.passed ? 'PASSED (wrong)' : 'FAILED'}${named ? `\n  ${named.trim()}` : ''}`);
  ok &&= !loud.passed && named !== undefined;
  const skipped = vitest(copy, pkg, [test], { CONVKIT_TEST_SKIP_BACKENDS: 'tensorflow' });
  const said = skipped.output.split('\n').find((line) => line.includes('backend matrix: tensorflow skipped'));
  const summary = skipped.output.split('\n').find((line) => /Tests\s+\d/.test(line));
  console.log(
    `with CONVKIT_TEST_SKIP_BACKENDS=tensorflow: ${skipped.passed ? 'PASSED' : 'FAILED (wrong)'}${said ? `\n  ${said.trim()}` : ''}${summary ? `\n  ${summary.trim()}` : ''}`,
  );
  ok &&= skipped.passed && said !== undefined;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
console.log(ok ? 'the matrix fails loudly without tensorflow and skips it only when told' : 'the backend matrix did not behave');
process.exit(ok ? 0 : 1);
