/** Where and on what a benchmark ran, and how it keeps its figures. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './tfjs-modules.mjs';

/** This machine, with its load averages before and after the run: a busy shared machine slows every engine. */
export function machineDuring(loadBefore, loadAfter) {
  return { cpu: cpus()[0]?.model, cores: cpus().length, loadavg_before: loadBefore, loadavg_after: loadAfter };
}

/** Prints the run's load line, then writes `figures` (dated, with the machine) to benchmarks/results/`file`. */
export function keepResults(file, machine, figures) {
  const loads = (l) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(`load average before ${loads(machine.loadavg_before)}, after ${loads(machine.loadavg_after)} on ${machine.cores} cores`);
  const results = join(repoRoot, 'benchmarks', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, file), `${JSON.stringify({ date: new Date().toISOString(), machine, ...figures }, null, 2)}\n`);
  console.log(`wrote ${join('benchmarks', 'results', file)}`);
}
