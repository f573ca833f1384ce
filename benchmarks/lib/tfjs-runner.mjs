/**
 * Runs every work once on one tfjs backend (argv[2]; argv[3] the time budget per work in ms; argv[4]
 * `graph` or `graph-bf16` to train the model works on the graph engine, in float32 or bfloat16, and
 * skip the other works, which have no graph form) in this process and prints one JSON line: `{ backend, threads, device, results: [{ work, ms, samples,
 * kernelCalls?, kernels?, peakBytes? } | { work, skipped }] }`, or `{ backend, unavailable }`. One process per
 * backend, because a tfjs backend and its thread pool are process-wide. Model works are built with
 * `registry.create` from the architecture packages that are built here and timed through
 * @convkit/train's `benchModel`, i.e. convkit's own training step; the DARTS search steps with
 * @convkit/nas's own search network and BilevelOptimizer.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importCore, importFromCore, repoRoot } from './tfjs-modules.mjs';
import { benchModel, timeStep } from './timing.mjs';
import { WORKS } from './works.mjs';

const backend = process.argv[2];
const budgetMs = Number(process.argv[3] ?? 4000);
const graphMode = process.argv[4];
const engine = graphMode === undefined ? {} : { engine: 'graph', compute: graphMode === 'graph-bf16' ? 'bfloat16' : 'float32' };
const core = await importCore();
const tf = await importFromCore('@tensorflow/tfjs-core');
// tfjs-layers' bundle also registers every gradient with tfjs-core.
await importFromCore('@tensorflow/tfjs-layers');

// The architecture packages that contribute registered models; one not built yet adds none.
const ARCH_PACKAGES = ['layers', 'arch-classic', 'arch-modern', 'nas'];
const registry = new core.Registry();
const built = {};
for (const name of ARCH_PACKAGES) {
  const entry = join(repoRoot, 'packages', name, 'dist', 'index.js');
  if (!existsSync(entry)) continue;
  built[name] = await import(pathToFileURL(entry).href);
  registry.use(built[name].plugin);
}

function conv(shape) {
  const x = tf.randomNormal([shape.batch, shape.height, shape.width, shape.inChannels]);
  const w = tf.randomNormal([shape.kernel, shape.kernel, shape.inChannels, shape.outChannels]);
  const dy = tf.randomNormal([shape.batch, shape.height, shape.width, shape.outChannels]);
  return { x, w, dy, tensors: [x, w, dy] };
}

/** A batch of random NHWC images with one-hot labels, as @convkit/nas's search steps take them. */
function searchBatch(shape) {
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([shape.batch], 0, shape.classes, 'int32'), shape.classes), 'float32'));
  return { images: tf.randomNormal([shape.batch, ...shape.input]), labels };
}

/**
 * One bi-level step of @convkit/nas's search network through its BilevelOptimizer, the step `convkit
 * search` runs: the alphas' Adam update of `shape.order`, then the weights' SGD update.
 */
function dartsSearchStep(shape) {
  const { SearchNetwork, BilevelOptimizer, disposeBatch } = built.nas;
  const config = { channels: shape.channels, layers: shape.layers, numClasses: shape.classes, inputShape: shape.input };
  const net = new SearchNetwork(config, core.createRng(0));
  if (net.countWeights() !== shape.weights)
    throw new Error(`convkit's search network has ${net.countWeights()} weights, the reference ${shape.weights}`);
  const optimizer = new BilevelOptimizer(net, { order: shape.order, epochs: 1 });
  const train = searchBatch(shape);
  const validation = searchBatch(shape);
  return {
    // the step reads both losses back, so its promise settles when the backend is done
    step: () => optimizer.step(train, validation, 0),
    dispose: () => {
      disposeBatch(train);
      disposeBatch(validation);
      optimizer.dispose();
      net.dispose();
    },
  };
}

const setups = {
  'darts-search-step-first-order': dartsSearchStep,
  'darts-search-step-second-order': dartsSearchStep,
  'conv3x3-fwd': (shape) => {
    const { x, w, tensors } = conv(shape);
    return {
      step: async () => {
        const y = tf.conv2d(x, w, 1, 'same');
        await y.data();
        y.dispose();
      },
      dispose: () => tf.dispose(tensors),
    };
  },
  'conv3x3-fwd-bwd': (shape) => {
    const { x, w, dy, tensors } = conv(shape);
    const grads = tf.grads((a, b) => tf.conv2d(a, b, 1, 'same'));
    return {
      step: async () => {
        const [dx, dw] = grads([x, w], dy);
        await Promise.all([dx.data(), dw.data()]);
        tf.dispose([dx, dw]);
      },
      dispose: () => tf.dispose(tensors),
    };
  },
  'depthwise3x3-fwd-bwd': (shape) => {
    const x = tf.randomNormal([shape.batch, shape.height, shape.width, shape.channels]);
    const w = tf.randomNormal([shape.kernel, shape.kernel, shape.channels, 1]);
    const dy = tf.randomNormal([shape.batch, shape.height, shape.width, shape.channels]);
    const grads = tf.grads((a, b) => tf.depthwiseConv2d(a, b, 1, 'same'));
    return {
      step: async () => {
        const [dx, dw] = grads([x, w], dy);
        await Promise.all([dx.data(), dw.data()]);
        tf.dispose([dx, dw]);
      },
      dispose: () => tf.dispose([x, w, dy]),
    };
  },
};

/** A registered model's training step, convkit's own (SGD, momentum 0.9), with its kernel count and peak memory. */
async function modelWork(work) {
  if (!registry.architectures.has(work.arch))
    return { work: work.name, skipped: `${work.arch} is not registered (its package is not built here yet)` };
  const { shape } = work;
  const timing = await benchModel({
    registry,
    arch: work.arch,
    archOptions: work.archOptions,
    inputShape: shape.input,
    numClasses: shape.classes,
    batchSize: shape.batch,
    mode: 'train-step',
    optimizer: 'sgd',
    budgetMs,
    ...engine,
  }).catch((error) => {
    // A model the graph engine does not lower is a row that says why, not a failed run.
    if (error.code === 'graph-unsupported') return { skipped: error.message };
    throw error;
  });
  if (timing.skipped) return { work: work.name, skipped: timing.skipped };
  const { ms, samples } = timing;
  // A graph step is one session call: tfjs's profiler sees that call, not libtensorflow's kernels or memory.
  if (graphMode !== undefined) return { work: work.name, ms, samples };
  return { work: work.name, ms, samples, kernelCalls: timing.kernelCalls, kernels: timing.kernels, peakBytes: timing.peakBytes };
}

let report;
try {
  report = await core.initBackend(backend);
} catch (error) {
  console.log(JSON.stringify({ backend, unavailable: error.message }));
  process.exit(0);
}
const threads = backend === 'wasm' ? (core.wasmThreadsStatus()?.active ?? 1) : backend === 'cpu' ? 1 : null;
const results = [];
// The orchestrator's `--works` selection, by name.
const chosen = process.env.CONVKIT_BENCH_WORKS?.split(',');
for (const work of WORKS.filter((w) => chosen === undefined || chosen.includes(w.name))) {
  if (work.skip?.[backend]) {
    results.push({ work: work.name, skipped: work.skip[backend] });
    continue;
  }
  let result;
  if (work.arch) {
    result = await modelWork(work);
  } else if (graphMode !== undefined) {
    result = { work: work.name, skipped: 'not a registered model: the graph engine compiles model training steps' };
  } else if (work.name.startsWith('darts-search-step') && !built.nas) {
    result = { work: work.name, skipped: '@convkit/nas is not built here yet' };
  } else {
    const { step, dispose } = setups[work.name](work.shape);
    const { ms, samples } = await timeStep(step, { budgetMs });
    dispose();
    result = { work: work.name, ms, samples };
  }
  results.push(result);
  process.stderr.write(
    `  tfjs ${backend}${graphMode ? ` ${graphMode}` : ''}: ${work.name} ${result.ms === undefined ? result.skipped : `${result.ms.toFixed(1)} ms`}\n`,
  );
}
console.log(JSON.stringify({ backend, threads, device: report.device, results }));
