import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvkitError, createRng, GraphEngine, initBackend, unloweredLayer, withSeededMathRandom } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';

/**
 * A small network of every tfjs layer class the graph engine lowers, with the geometries that take
 * separate paths: 'same' at stride 2 (TF pads bottom/right), max and average pooling, zero padding,
 * every lowered activation, batch norm, Add, Flatten, global pooling and Dense.
 */
function mixedModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 2] });
  const padded = tfl.layers
    .zeroPadding2d({
      padding: [
        [1, 0],
        [0, 1],
      ],
    })
    .apply(input) as tfl.SymbolicTensor;
  const a = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' })
    .apply(padded) as tfl.SymbolicTensor;
  const b = tfl.layers
    .conv2d({ filters: 4, kernelSize: 2, strides: 2, padding: 'valid', activation: 'elu' })
    .apply(padded) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
  const normed = tfl.layers.batchNormalization({ momentum: 0.8 }).apply(sum) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: 'sigmoid' }).apply(normed) as tfl.SymbolicTensor;
  const maxed = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(act) as tfl.SymbolicTensor;
  const averaged = tfl.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'valid' }).apply(maxed) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(averaged) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(maxed) as tfl.SymbolicTensor;
  const joined = tfl.layers.dense({ units: 6, activation: 'tanh' }).apply(flat) as tfl.SymbolicTensor;
  const fromPool = tfl.layers.dense({ units: 6, activation: 'relu' }).apply(pooled) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: 3 })
    .apply(tfl.layers.add().apply([joined, fromPool]) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: 'mixed' });
}

/** Softmax cross-entropy of the model on a batch in training mode, tfjs's own autodiff. */
function eagerGradients(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): Float32Array[] {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    variables,
  );
  return variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
}

const backends = (await testBackends()).filter((b) => b === 'tensorflow' || b === 'tensorflow-gpu');

describe.each(backends)('graph lowering on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it("every lowered layer's TensorFlow gradient ops give tfjs's gradients (one momentum-free step at lr 1 moves each weight by -grad)", async () => {
    const model = withSeededMathRandom(createRng(5), mixedModel);
    const rng = createRng(6);
    const images = Float32Array.from({ length: 6 * 9 * 9 * 2 }, () => rng.next() * 2 - 1);
    const labels = new Float32Array(6 * 3);
    for (let i = 0; i < 6; i++) labels[i * 3 + (i % 3)] = 1;
    const before = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
    const x = tf.tensor4d(images, [6, 9, 9, 2]);
    const y = tf.tensor2d(labels, [6, 3]);
    const expected = eagerGradients(model, x, y);
    const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 } });
    try {
      await engine.step(images, labels, 6, 1);
      const state = await engine.readState();
      const trainable = new Set(model.trainableWeights);
      const graphGradients = engine.variables.flatMap((v, i) => {
        const w = model.weights[v.weight]!;
        if (v.kind !== 'weight' || !trainable.has(w)) return [];
        const j = model.trainableWeights.indexOf(w);
        return [before[j]!.map((value, k) => value - state[i]![k]!)];
      });
      expect(graphGradients).toHaveLength(expected.length);
      graphGradients.forEach((g, j) => {
        const scale = Math.max(...expected[j]!.map(Math.abs), 1e-3);
        const error = Math.max(...g.map((value, k) => Math.abs(value - expected[j]![k]!))) / scale;
        expect(error, `gradient of ${model.trainableWeights[j]!.name}`).toBeLessThan(1e-4);
      });
    } finally {
      engine.dispose();
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('a layer without a lowering is refused in one line that names it and the way out', async () => {
    const input = tfl.input({ shape: [4] });
    const dropped = tfl.layers.layerNormalization({ name: 'norm' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.dense({ units: 2 }).apply(dropped) as tfl.SymbolicTensor,
      name: 'normnet',
    });
    expect(unloweredLayer(model)).toBe('layer norm is a LayerNormalization');
    const refusal = await GraphEngine.create(model, { optimizer: { name: 'sgd' } }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConvkitError);
    expect((refusal as Error).message).toMatch(
      /^layer norm is a LayerNormalization in normnet, which the graph engine does not lower; train it with --engine eager$/,
    );
    model.dispose();
  });
});
