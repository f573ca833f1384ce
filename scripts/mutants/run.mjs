#!/usr/bin/env node
// Shows that the tests bite: applies each mutant of mutations.mjs to a temporary copy of the
// repository (never to the checkout itself), runs the tests it names there, and reports whether they
// caught it. Exits non-zero when a mutant survives, when its code no longer matches (the list needs
// updating), or when the unmutated tests do not pass to begin with.
//
//   node scripts/mutants/run.mjs [substring of a mutant's name]
//
// Needs `pnpm install && pnpm build` first: the copy shares node_modules and reuses each package's
// dist/ (vitest reads the mutated package's src/ directly; a mutant tested from another package,
// `testPackage`, is built into the copy's dist/ first).
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, copyRepository, vitest } from './copy-repository.mjs';
import { MUTATIONS } from './mutations.mjs';

const only = process.argv[2];
const mutants = MUTATIONS.filter((m) => only === undefined || m.name.includes(only));

const copy = copyRepository();
console.log(`mutants: ${mutants.length}, copy at ${copy}`);
let bad = 0;
try {
  // The unmutated tests must pass, or "caught" would mean nothing.
  const byPackage = new Map();
  for (const m of mutants) {
    const pkg = m.testPackage ?? m.package;
    byPackage.set(pkg, new Set([...(byPackage.get(pkg) ?? []), ...m.tests]));
  }
  for (const [pkg, tests] of byPackage) {
    const baseline = vitest(copy, pkg, [...tests]);
    if (!baseline.passed) {
      console.log(`BASELINE FAILS in ${pkg}:\n${baseline.output}`);
      rmSync(copy, { recursive: true, force: true });
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
    const started = Date.now();
    write(original.replace(m.find, m.replace));
    if (m.rebuild) build(copy, m.package);
    const result = vitest(copy, m.rebuild ? m.testPackage : m.package, m.tests);
    write(original);
    if (m.rebuild) build(copy, m.package);
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
