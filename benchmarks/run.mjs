/**
 * `pnpm bench`: runs every work of lib/works.mjs on each tfjs backend that loads here (tensorflow,
 * wasm, cpu; one child process each, one after another) and on PyTorch CPU with the wasm backend's
 * thread count, prints a table and writes benchmarks/results/latest.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatTable } from './lib/table.mjs';
import { importCore, repoRoot } from './lib/tfjs-modules.mjs';
import { WORKS } from './lib/works.mjs';

// Debian's interpreter, where python3-torch installs; a python3 earlier on PATH may lack torch.
const PYTHON = '/usr/bin/python3';
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];
const here = join(repoRoot, 'benchmarks');

function ensureTorch() {
  if (spawnSync(PYTHON, ['-c', 'import torch']).status === 0) return;
  console.log('installing python3-torch (Debian) for the PyTorch side of the comparison...');
  execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', 'python3-torch'], { stdio: 'inherit' });
}

function lastJsonLine(stdout) {
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? JSON.parse(line) : undefined;
}

function runTfjs(backend, threads) {
  console.log(`tfjs ${backend}...`);
  const child = spawnSync(process.execPath, [join(here, 'lib', 'tfjs-runner.mjs'), backend], {
    env: { ...process.env, CONVKIT_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  return lastJsonLine(child.stdout) ?? { backend, unavailable: `runner exited with status ${child.status}` };
}

function runTorch(threads) {
  console.log(`pytorch (${threads} threads)...`);
  const child = spawnSync(PYTHON, [join(here, 'lib', 'torch_runner.py'), String(threads)], {
    input: JSON.stringify(WORKS.map(({ name, shape }) => ({ name, shape }))),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const parsed = lastJsonLine(child.stdout);
  if (!parsed) throw new Error(`the PyTorch runner failed with status ${child.status}`);
  return parsed;
}

const core = await importCore();
const threads = core.requestedWasmThreads();
const loadBefore = loadavg();
ensureTorch();
const torch = runTorch(threads);
const tfjsRuns = BACKENDS.map((backend) => runTfjs(backend, threads));
const loadAfter = loadavg();

const torchMs = Object.fromEntries(torch.results.map((r) => [r.work, r.ms]));
const rows = [];
for (const work of WORKS) {
  const base = torchMs[work.name];
  rows.push({
    work: work.name,
    engine: 'pytorch',
    backend: 'cpu',
    threads: torch.threads,
    ms: base,
    gflops: work.gflop / (base / 1000),
    ratio_vs_pytorch: 1,
  });
  for (const run of tfjsRuns) {
    if (run.unavailable) continue;
    const result = run.results.find((r) => r.work === work.name);
    if (!result || result.skipped) {
      rows.push({
        work: work.name,
        engine: 'tfjs',
        backend: run.backend,
        threads: run.threads,
        ms: null,
        gflops: null,
        ratio_vs_pytorch: null,
        note: result?.skipped,
      });
      continue;
    }
    rows.push({
      work: work.name,
      engine: 'tfjs',
      backend: run.backend,
      threads: run.threads,
      ms: result.ms,
      gflops: work.gflop / (result.ms / 1000),
      ratio_vs_pytorch: base / result.ms,
    });
  }
}

const machine = { cpu: cpus()[0]?.model, cores: cpus().length, loadavg_before: loadBefore, loadavg_after: loadAfter };
console.log('');
console.log(formatTable(rows, WORKS));
for (const run of tfjsRuns.filter((r) => r.unavailable)) console.log(`tfjs ${run.backend}: not available (${run.unavailable})`);
console.log(`ratio_vs_pytorch = PyTorch ms / this ms (throughput relative to PyTorch ${torch.version}, ${torch.threads} threads)`);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')} on ${machine.cores} cores`,
);

const results = join(here, 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, pytorch: torch.version, tfjs: tfjsRuns, works: WORKS.map(({ name, title, gflop }) => ({ name, title, gflop })), results: rows }, null, 2)}\n`,
);
console.log(`wrote ${join('benchmarks', 'results', 'latest.json')}`);
