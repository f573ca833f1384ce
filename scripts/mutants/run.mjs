#!/usr/bin/env node
// Shows that the tests bite: applies each mutant of mutations.mjs to a temporary copy of the
// repository (never to the checkout itself), runs the tests it names there, and reports whether they
// caught it. Exits non-zero when a mutant survives, when its code no longer matches (the list needs
// updating), or when the unmutated tests do not pass to begin with.
//
//   node scripts/mutants/run.mjs [substring of a mutant's name]
//
// Needs `pnpm install && pnpm build` first: the copy shares node_modules and reuses each package's
// dist/ (vitest reads the mutated package's src/ directly).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from './mutations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv[2];
const mutants = MUTATIONS.filter((m) => only === undefined || m.name.includes(only));

/** A copy of the working tree's tracked files, each package's dist/ and node_modules links. */
function copyRepository() {
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

function vitest(copy, pkg, tests) {
  const run = spawnSync('npx', ['vitest', 'run', ...tests], { cwd: join(copy, 'packages', pkg), encoding: 'utf8' });
  const output = `${run.stdout}\n${run.stderr}`;
  const failed = [...new Set([...output.matchAll(/^\s*FAIL\s+(\S+\.test\.ts > .+)$/gm)].map((m) => m[1].trim()))];
  return { passed: run.status === 0, failed, output };
}

const copy = copyRepository();
console.log(`mutants: ${mutants.length}, copy at ${copy}`);
let bad = 0;
try {
  // The unmutated tests must pass, or "caught" would mean nothing.
  const byPackage = new Map();
  for (const m of mutants) byPackage.set(m.package, new Set([...(byPackage.get(m.package) ?? []), ...m.tests]));
  for (const [pkg, tests] of byPackage) {
    const baseline = vitest(copy, pkg, [...tests]);
    if (!baseline.passed) {
      console.log(`BASELINE FAILS in ${pkg}:\n${baseline.output}`);
      process.exit(2);
    }
    console.log(`baseline @convkit/${pkg}: ${[...tests].join(' ')} pass`);
  }
  for (const m of mutants) {
    const path = join(copy, 'packages', m.package, m.file);
    const original = readFileSync(path, 'utf8');
    const count = original.split(m.find).length - 1;
    if (count !== 1) {
      console.log(`STALE     ${m.name}: the code to mutate occurs ${count} times in ${m.package}/${m.file}; update mutations.mjs`);
      bad += 1;
      continue;
    }
    // The file keeps its time stamp so the test setup's "dist older than src" rebuild does not run:
    // the tests named here load src/ in process, and a rebuild per mutant would triple the run time.
    const { atime, mtime } = statSync(path);
    const write = (text) => {
      writeFileSync(path, text);
      utimesSync(path, atime, mtime);
    };
    write(original.replace(m.find, m.replace));
    const started = Date.now();
    const result = vitest(copy, m.package, m.tests);
    write(original);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (result.passed) {
      console.log(`SURVIVED  ${m.name} (${m.package}/${m.file}; ${m.tests.join(' ')}; ${seconds}s)`);
      bad += 1;
    } else {
      const names = result.failed.slice(0, 3);
      console.log(`CAUGHT    ${m.name} (${m.package}/${m.file}; ${seconds}s)`);
      for (const name of names) console.log(`            by ${name}`);
    }
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
console.log(bad === 0 ? `all ${mutants.length} mutants caught` : `${bad} of ${mutants.length} mutants not caught`);
process.exit(bad === 0 ? 0 : 1);
