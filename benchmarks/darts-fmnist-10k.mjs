// The "must show" DARTS run: a first-order `convkit search` on a seeded 10,000-image subset of
// Fashion-MNIST, then the searched genotype and a seeded random genotype trained identically with
// `convkit train --arch darts`, both tested on the 10,000 test images. Not a test (nothing asserts).
//   node benchmarks/darts-fmnist-10k.mjs [--epochs 2] [--channels 4] [--layers 4] [--batch-size 64]
//     [--train-epochs 2] [--train-data full|subset] [--seed 0] [--out runs/darts-fmnist-10k]
//     [--arch-learning-rate 3e-4]
// The defaults are the run the benchmarks README quotes: on 2 shared cores two search epochs of C=4,
// 4 cells (78 steps each) fit the 30 minutes; `--train-data subset` trains on the 10,000.
// Reads Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Everything runs on the
// tensorflow backend through the built CLI (`pnpm build` first); the subset is written as IDX files
// into OUT/data, which `--data` takes as a folder. Prints the search time, the genotype, the heatmap
// path, both test accuracies and the load average, and writes OUT/summary.json.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { machineDuring } from './lib/results.mjs';
import { importCore, repoRoot } from './lib/tfjs-modules.mjs';

const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
// the search space's ops other than `none`, which a derived genotype never holds
const OPS = ['max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5'];

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    channels: { type: 'string', default: '4' },
    layers: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '64' },
    'train-epochs': { type: 'string', default: '2' },
    'train-data': { type: 'string', default: 'full' },
    seed: { type: 'string', default: '0' },
    // the alphas' Adam rate; DARTS's 3e-4 moves them little in the few steps a 30-minute budget allows
    'arch-learning-rate': { type: 'string', default: '3e-4' },
    // fewer for a smoke run of the script itself
    images: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'runs/darts-fmnist-10k' },
  },
});
const out = resolve(values.out);
const seed = Number(values.seed);
const SUBSET = Number(values.images);
const { createRng } = await importCore();
const cli = join(repoRoot, 'packages', 'cli', 'bin', 'run.js');
const loads = (l) => l.map((v) => v.toFixed(2)).join(' ');

/** Runs `convkit ARGS`, its progress on this terminal; exits on failure. Returns stdout. */
function convkit(args) {
  console.error(`$ convkit ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
  process.stderr.write(run.stdout ?? '');
  if (run.status !== 0) {
    console.error(`convkit ${args[0]} failed with exit code ${run.status}`);
    process.exit(1);
  }
  return run.stdout;
}

/** IDX file: a 4-byte magic whose last byte is the rank, the dimensions, then the bytes. */
function readIdx(path) {
  const bytes = gunzipSync(readFileSync(path));
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { header: bytes.subarray(0, 4 + 4 * rank), dims, body: bytes.subarray(4 + 4 * rank) };
}

/** The first SUBSET of a seeded shuffle of the training set, as raw IDX files, beside a copy of the test files. */
function writeSubset(folder) {
  mkdirSync(folder, { recursive: true });
  const images = readIdx(join(FASHION_MNIST, 'train-images-idx3-ubyte.gz'));
  const labels = readIdx(join(FASHION_MNIST, 'train-labels-idx1-ubyte.gz'));
  const picked = createRng(seed)
    .shuffle(Array.from({ length: images.dims[0] }, (_, i) => i))
    .slice(0, SUBSET);
  const size = images.dims[1] * images.dims[2];
  const header = (idx) => {
    const h = Buffer.from(idx.header);
    h.writeUInt32BE(SUBSET, 4);
    return h;
  };
  const imageBody = Buffer.concat(picked.map((i) => images.body.subarray(i * size, (i + 1) * size)));
  const labelBody = Buffer.from(picked.map((i) => labels.body[i]));
  writeFileSync(join(folder, 'train-images-idx3-ubyte'), Buffer.concat([header(images), imageBody]));
  writeFileSync(join(folder, 'train-labels-idx1-ubyte'), Buffer.concat([header(labels), labelBody]));
  for (const file of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
    copyFileSync(join(FASHION_MNIST, file), join(folder, file));
}

/** A genotype drawn from the search space the way one is derived: per node two distinct inputs, each with a uniform op. */
function randomGenotype(rng) {
  const cell = () =>
    [0, 1, 2, 3].flatMap((node) =>
      rng
        .shuffle(Array.from({ length: node + 2 }, (_, i) => i))
        .slice(0, 2)
        .map((source) => [OPS[rng.int(OPS.length)], source]),
    );
  return { normal: cell(), normalConcat: [2, 3, 4, 5], reduce: cell(), reduceConcat: [2, 3, 4, 5] };
}

const edges = (cell) => cell.map(([op, source]) => `${op}<-${source}`).join(' ');

rmSync(out, { recursive: true, force: true });
const data = join(out, 'data');
writeSubset(data);
const loadBefore = loadavg();
console.error(`load average before: ${loads(loadBefore)}`);

const shape = { channels: values.channels, layers: values.layers };
const searchOut = join(out, 'search');
const started = performance.now();
convkit([
  'search',
  '--backend',
  'tensorflow',
  '--data',
  data,
  '--method',
  'darts',
  '--order',
  '1',
  '--channels',
  shape.channels,
  '--layers',
  shape.layers,
  '--epochs',
  values.epochs,
  '--batch-size',
  values['batch-size'],
  '--seed',
  values.seed,
  '--arch-learning-rate',
  values['arch-learning-rate'],
  '--out',
  searchOut,
]);
const searchSeconds = (performance.now() - started) / 1000;
const loadAfterSearch = loadavg();
const searched = JSON.parse(readFileSync(join(searchOut, 'genotype.json'), 'utf8')).genotype;
const history = JSON.parse(readFileSync(join(searchOut, 'search.json'), 'utf8')).history;
const heatmap = join(searchOut, `epoch-${String(history.length).padStart(3, '0')}`, 'alphas.png');

const randomFile = join(out, 'random-genotype.json');
const random = randomGenotype(createRng(seed));
writeFileSync(randomFile, `${JSON.stringify({ genotype: random }, null, 2)}\n`);

const trainData = values['train-data'] === 'full' ? FASHION_MNIST : data;
/** Trains the evaluation network of a genotype file, the same way for both; returns `convkit train --json`'s line. */
function train(name, genotypeFile) {
  const options = JSON.stringify({ genotype: genotypeFile, channels: Number(shape.channels), layers: Number(shape.layers) });
  const stdout = convkit([
    'train',
    '--backend',
    'tensorflow',
    '--arch',
    'darts',
    '--arch-options',
    options,
    '--data',
    trainData,
    '--epochs',
    values['train-epochs'],
    '--seed',
    values.seed,
    '--out',
    join(out, `train-${name}`),
    '--overwrite',
    '--json',
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}
const searchedRun = train('searched', join(searchOut, 'genotype.json'));
const randomRun = train('random', randomFile);
const loadAfter = loadavg();

const summary = {
  machine: machineDuring(loadBefore, loadAfter),
  loadAfterSearch,
  search: {
    seconds: searchSeconds,
    epochs: history.length,
    ...shape,
    batchSize: Number(values['batch-size']),
    archLearningRate: Number(values['arch-learning-rate']),
    genotype: searched,
    heatmap,
  },
  training: { data: trainData, epochs: Number(values['train-epochs']) },
  searched: { testAccuracy: searchedRun.testAccuracy },
  random: { genotype: random, testAccuracy: randomRun.testAccuracy },
};
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
const percent = (v) => `${(100 * v).toFixed(2)}%`;
console.log(
  `search: ${history.length} epochs, C=${shape.channels}, ${shape.layers} cells, ${SUBSET} images, alphas' Adam at ${values['arch-learning-rate']}, ${(searchSeconds / 60).toFixed(1)} min wall`,
);
console.log(`  normal: ${edges(searched.normal)}\n  reduce: ${edges(searched.reduce)}\n  heatmap: ${heatmap}`);
console.log(`random genotype (seed ${seed}):\n  normal: ${edges(random.normal)}\n  reduce: ${edges(random.reduce)}`);
console.log(
  `trained ${values['train-epochs']} epochs on ${values['train-data']} Fashion-MNIST, tested on the 10,000 test images: searched ${percent(searchedRun.testAccuracy)}, random ${percent(randomRun.testAccuracy)}`,
);
console.log(`load average before ${loads(loadBefore)}, after the search ${loads(loadAfterSearch)}, at the end ${loads(loadAfter)}`);
console.log(`wrote ${join(out, 'summary.json')}`);
