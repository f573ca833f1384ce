/**
 * `pnpm bench`: measures every work of lib/works.mjs on PyTorch CPU, Keras (eager and tf.function)
 * and each tfjs backend that loads here, in interleaved rounds (each round runs every engine once,
 * in a rotated order, each in its own process), so that a slow spell of a shared machine hits all
 * engines alike; then one epoch of LeNet-5 on Fashion-MNIST through `convkit train` and its PyTorch
 * twin, also in rounds. Prints the table and writes benchmarks/results/latest.json.
 * `--rounds N` (default 3) and `--budget-ms MS` (per work and round, default 2500) scale it;
 * `--keras-python PATH` names the Python that has (or gets) TensorFlow 2.9.1; `--skip-epoch` leaves
 * out the epoch rows; `--engines a,b` and `--works a,b` measure only those engines and works;
 * `--timeout-min M` (default 30) kills an engine's round that runs longer, which then reads `not available`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runForJson } from './lib/child-process.mjs';
import { keepResults, machineDuring } from './lib/results.mjs';
import { summarize } from './lib/rounds.mjs';
import { formatTable, ratioLegend } from './lib/table.mjs';
import { importCore, repoRoot } from './lib/tfjs-modules.mjs';
import { WORKS } from './lib/works.mjs';

// Debian's interpreter, where python3-torch installs; a python3 earlier on PATH may lack torch.
const PYTHON = '/usr/bin/python3';
const USAGE = `usage: pnpm bench [--rounds N] [--budget-ms MS] [--engines a,b] [--works a,b] [--skip-epoch]
                  [--keras-python PATH] [--timeout-min M]
(options and engines: benchmarks/README.md)`;
const OPTIONS = {
  rounds: { type: 'string', default: '3' },
  'budget-ms': { type: 'string', default: '2500' },
  'keras-python': { type: 'string' },
  'skip-epoch': { type: 'boolean', default: false },
  engines: { type: 'string' },
  works: { type: 'string' },
  'timeout-min': { type: 'string', default: '30' },
  help: { type: 'boolean', default: false },
};
let args;
try {
  args = parseArgs({ options: OPTIONS }).values;
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of ['rounds', 'budget-ms', 'timeout-min']) {
  if (!(Number(args[name]) > 0)) {
    console.error(`--${name} must be a positive number, got ${JSON.stringify(args[name])}\n${USAGE}`);
    process.exit(2);
  }
}
// A runner that never returns costs one engine's round, not the whole run (lib/child-process.mjs).
const TIMEOUT_MS = Number(args['timeout-min']) * 60_000;
const run = (command, argv, options) => runForJson(command, argv, options, TIMEOUT_MS);
// TensorFlow 2.9.1 (the libtensorflow tfjs-node runs) has wheels up to Python 3.10.
const KERAS_PYTHON = args['keras-python'] ?? join(homedir(), '.pyenv', 'versions', '3.10.13', 'bin', 'python');
const KERAS_REQUIREMENTS = ['tensorflow-cpu==2.9.1', 'numpy<1.24', 'protobuf<3.20'];
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];
const ROUNDS = Number(args.rounds);
const BUDGET_MS = Number(args['budget-ms']);
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const here = join(repoRoot, 'benchmarks');

function ensureTorch() {
  if (spawnSync(PYTHON, ['-c', 'import torch']).status === 0) return;
  console.log('installing python3-torch (Debian) for the PyTorch side of the comparison...');
  execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', 'python3-torch'], { stdio: 'inherit' });
}

/** Installs TensorFlow 2.9.1 into the Keras Python when missing; returns why Keras cannot run, if it cannot. */
function ensureKeras() {
  if (!existsSync(KERAS_PYTHON)) return `no Python for TensorFlow 2.9.1 at ${KERAS_PYTHON} (give --keras-python a Python 3.7-3.10)`;
  if (spawnSync(KERAS_PYTHON, ['-c', 'import tensorflow']).status === 0) return undefined;
  console.log(`installing ${KERAS_REQUIREMENTS.join(' ')} into ${KERAS_PYTHON} for the Keras column...`);
  const pip = spawnSync(KERAS_PYTHON, ['-m', 'pip', 'install', '-q', ...KERAS_REQUIREMENTS], { stdio: 'inherit' });
  return pip.status === 0 ? undefined : `pip could not install ${KERAS_REQUIREMENTS.join(' ')} (status ${pip.status})`;
}

/** The items of `all` named in the comma list `given` (all of them without it); an unknown name stops the run. */
function selected(all, given, what) {
  if (given === undefined) return all;
  const names = given.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown ${what} ${unknown.join(', ')}; known: ${all.join(', ')}`);
    process.exit(2);
  }
  return all.filter((n) => names.includes(n));
}

const workNames = selected(
  WORKS.map((w) => w.name),
  args.works,
  'work',
);
const works = WORKS.filter((w) => workNames.includes(w.name));
const worksJson = JSON.stringify(works.map(({ name, shape }) => ({ name, shape })));

function tfjsRunner(backend, graphMode) {
  return (threads) => {
    const { parsed, failure } = run(
      process.execPath,
      [join(here, 'lib', 'tfjs-runner.mjs'), backend, String(BUDGET_MS), ...(graphMode ? [graphMode] : [])],
      {
        env: { ...process.env, CONVKIT_WASM_THREADS: String(threads), CONVKIT_BENCH_WORKS: workNames.join(',') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (!parsed) return { unavailable: `the runner ${failure}` };
    if (parsed.unavailable) return { unavailable: parsed.unavailable };
    const key = ['tfjs', backend, ...(graphMode ? graphMode.split('-') : [])].join(' ');
    return { threads: parsed.threads, device: parsed.device, results: { [key]: byWork(parsed.results) } };
  };
}

function pytorchRunner(precision) {
  return (threads) => {
    const argv = [join(here, 'lib', 'torch_runner.py'), String(threads), String(BUDGET_MS), ...(precision ? [precision] : [])];
    const { parsed, failure } = run(PYTHON, argv, { input: worksJson });
    if (!parsed) return { unavailable: `the PyTorch runner ${failure}` };
    const key = precision ? `pytorch ${precision}` : 'pytorch';
    return { version: parsed.version, threads: parsed.threads, results: { [key]: byWork(parsed.results) } };
  };
}

/** One round of one engine: `{ engine: { [work]: { ms, kernelCalls?, peakBytes? } } }` or why it is unavailable. */
const ENGINES = {
  pytorch: pytorchRunner(),
  'pytorch-bf16': pytorchRunner('bf16'),
  keras: (threads) => {
    const { parsed, failure } = run(KERAS_PYTHON, [join(here, 'lib', 'keras_runner.py'), String(threads), String(BUDGET_MS)], {
      input: worksJson,
    });
    if (!parsed) return { unavailable: `the Keras runner ${failure}` };
    const modes = ['eager', 'function', 'function-bf16'];
    const results = Object.fromEntries(modes.map((m) => [`keras-${m}`, byWork(parsed.results.filter((r) => r.mode === m))]));
    return { version: parsed.version, threads: parsed.threads, results };
  },
  ...Object.fromEntries(BACKENDS.map((backend) => [`tfjs-${backend}`, tfjsRunner(backend)])),
  // The training step as one TensorFlow graph (convkit's graph engine), float32 and bfloat16.
  'tfjs-tensorflow-graph': tfjsRunner('tensorflow', 'graph'),
  'tfjs-tensorflow-graph-bf16': tfjsRunner('tensorflow', 'graph-bf16'),
};

function byWork(results) {
  return Object.fromEntries(results.map((r) => [r.work, r]));
}

/** One epoch of LeNet-5 on Fashion-MNIST: `convkit train` on tensorflow against the PyTorch twin, images/s. */
const EPOCH_ENGINES = {
  pytorch: (threads) => run(PYTHON, [join(here, 'lib', 'torch_epoch.py'), FASHION_MNIST, String(threads)], {}).parsed,
  'convkit tensorflow': () => convkitEpoch([]),
  'convkit tensorflow bf16': () => convkitEpoch(['--precision', 'bf16']),
};

/** One `convkit train` epoch of LeNet-5 on Fashion-MNIST on tensorflow (the graph engine, its default), in images/s. */
function convkitEpoch(extra) {
  const out = mkdtempSync(join(tmpdir(), 'convkit-bench-epoch-'));
  try {
    const cli = join(repoRoot, 'packages', 'cli', 'bin', 'run.js');
    const args = ['train', '--arch', 'lenet5', '--data', FASHION_MNIST, '--epochs', '1', '--batch-size', '64', '--optimizer', 'adam'];
    const flags = ['--validation-split', '0', '--backend', 'tensorflow', '--out', join(out, 'run'), '--json', ...extra];
    const parsed = run(process.execPath, [cli, ...args, ...flags], { stdio: ['ignore', 'pipe', 'ignore'] }).parsed;
    return parsed ? { imagesPerSecond: parsed.imagesPerSecond } : undefined;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const core = await importCore();
const threads = core.requestedWasmThreads();
const loadBefore = loadavg();
ensureTorch();
const kerasMissing = ensureKeras();
const engineNames = selected(Object.keys(ENGINES), args.engines, 'engine').filter((name) => !(name === 'keras' && kerasMissing));
const rounds = [];
const info = {};
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order so no engine always runs right after the same neighbour.
  const order = engineNames.map((_, i) => engineNames[(i + round) % engineNames.length]);
  const measured = {};
  for (const name of order) {
    console.log(`round ${round + 1}/${ROUNDS}: ${name}...`);
    const result = ENGINES[name](threads);
    info[name] = { ...info[name], ...result, results: undefined };
    Object.assign(measured, result.results ?? {});
  }
  rounds.push(measured);
}
const epochRounds = [];
if (existsSync(FASHION_MNIST) && !args['skip-epoch']) {
  for (let round = 0; round < ROUNDS; round++) {
    const measured = {};
    for (const name of Object.keys(EPOCH_ENGINES)) {
      console.log(`epoch round ${round + 1}/${ROUNDS}: ${name}...`);
      measured[name] = EPOCH_ENGINES[name](threads);
    }
    epochRounds.push(measured);
  }
}
const loadAfter = loadavg();

const { rows, epochRows } = summarize(works, rounds, epochRounds);
const machine = machineDuring(loadBefore, loadAfter);
console.log('');
console.log(formatTable(rows, epochRows, works));
if (kerasMissing) console.log(`keras: not available (${kerasMissing})`);
for (const [name, i] of Object.entries(info)) if (i.unavailable) console.log(`${name}: not available (${i.unavailable})`);
console.log(ratioLegend(info, ROUNDS));
keepResults('latest.json', machine, {
  rounds: ROUNDS,
  budgetMs: BUDGET_MS,
  engines: info,
  works: works.map(({ name, title, gflop }) => ({ name, title, gflop })),
  results: rows,
  epoch: epochRows,
  raw: { rounds, epochRounds },
});
