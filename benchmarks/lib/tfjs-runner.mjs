/**
 * Runs every work on one tfjs backend (argv[2]) in this process and prints one JSON line:
 * `{ backend, threads, device, results: [{ work, ms, samples } | { work, skipped }] }`, or
 * `{ backend, unavailable }`. One process per backend, because a tfjs backend and its thread pool
 * are process-wide.
 */

import { lenet5, resnet20 } from './tfjs-models.mjs';
import { importCore, importFromCore } from './tfjs-modules.mjs';
import { timeStep } from './timing.mjs';
import { WORKS } from './works.mjs';

const backend = process.argv[2];
const core = await importCore();
const tf = await importFromCore('@tensorflow/tfjs-core');
// tfjs-layers' bundle also registers every gradient with tfjs-core.
const tfl = await importFromCore('@tensorflow/tfjs-layers');

function conv(shape) {
  const x = tf.randomNormal([shape.batch, shape.height, shape.width, shape.inChannels]);
  const w = tf.randomNormal([shape.kernel, shape.kernel, shape.inChannels, shape.outChannels]);
  const dy = tf.randomNormal([shape.batch, shape.height, shape.width, shape.outChannels]);
  return { x, w, dy, tensors: [x, w, dy] };
}

function trainStep(model, shape) {
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([shape.batch, ...shape.input]);
  const y = tf.oneHot(tf.randomUniform([shape.batch], 0, shape.classes, 'int32'), shape.classes);
  return { step: () => model.trainOnBatch(x, y), dispose: () => tf.dispose([x, y, model]) };
}

const setups = {
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
  'lenet5-train-step': (shape) => trainStep(lenet5(tfl, shape), shape),
  'resnet20-train-step': (shape) => trainStep(resnet20(tfl, shape), shape),
};

let report;
try {
  report = await core.initBackend(backend);
} catch (error) {
  console.log(JSON.stringify({ backend, unavailable: error.message }));
  process.exit(0);
}
const threads = backend === 'wasm' ? (core.wasmThreadsStatus()?.active ?? 1) : backend === 'cpu' ? 1 : null;
const results = [];
for (const work of WORKS) {
  if (work.skip?.[backend]) {
    results.push({ work: work.name, skipped: work.skip[backend] });
    continue;
  }
  const { step, dispose } = setups[work.name](work.shape);
  const { ms, samples } = await timeStep(step);
  dispose();
  results.push({ work: work.name, ms, samples });
  process.stderr.write(`  tfjs ${backend}: ${work.name} ${ms.toFixed(1)} ms\n`);
}
console.log(JSON.stringify({ backend, threads, device: report.device, results }));
