import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientFlow, inspect } from '../src/index.js';
import { randomValues } from './random.js';
import { LENET5_SHAPES, testRegistry } from './trained-lenet.js';

function smallCnn(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 2] });
  let y = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: tfl.initializers.heNormal({ seed: 1 }) })
    .apply(input) as tfl.SymbolicTensor;
  y = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      name: 'conv2',
      kernelInitializer: tfl.initializers.heNormal({ seed: 2 }),
    })
    .apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.flatten({ name: 'flatten' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers
    .dense({ units: 3, name: 'fc', kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }) })
    .apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: y });
}

describe('gradient flow', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it("each layer's kernel-gradient norm equals the norm of tfjs's own gradient of the model's loss", () => {
    const model = smallCnn();
    const images = tf.tensor4d(randomValues(6 * 8 * 8 * 2, 4), [6, 8, 8, 2]);
    const labels = [0, 1, 2, 0, 1, 2];
    const flow = gradientFlow(model, images, labels);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), model.apply(images) as tf.Tensor) as tf.Scalar,
    );
    expect(flow.loss).toBeCloseTo(value.dataSync()[0]!, 5);
    expect(flow.layers.map((l) => l.layer)).toEqual(['conv1', 'conv2', 'fc']);
    for (const layer of flow.layers) {
      const kernel = model.getLayer(layer.layer).trainableWeights[0]!;
      const expected = tf.norm(grads[kernel.originalName]!).dataSync()[0]!;
      expect(layer.weightGradientNorm).toBeCloseTo(expected, 5);
    }
  });

  it("the activation gradient at the logits is sqrt(N)·‖(softmax - onehot)/N‖, cross-entropy's own gradient", () => {
    const model = smallCnn();
    const images = tf.tensor4d(randomValues(4 * 8 * 8 * 2, 5), [4, 8, 8, 2]);
    const labels = [2, 1, 0, 2];
    const flow = gradientFlow(model, images, labels);
    const logits = model.predict(images) as tf.Tensor;
    const residual = tf.div(tf.sub(tf.softmax(logits), tf.oneHot(tf.tensor1d(labels, 'int32'), 3)), 4);
    expect(flow.layers.at(-1)!.activationGradientNorm).toBeCloseTo(2 * tf.norm(residual).dataSync()[0]!, 5);
  });
});

describe('gradient flow of a trained model', () => {
  it('compares the trained LeNet-5 with its own architecture at initialisation: the trained loss is far lower', async () => {
    const out = mkdtempSync(join(tmpdir(), 'convkit-gradient-flow-'));
    const result = await inspect('gradient-flow', { model: LENET5_SHAPES, registry: testRegistry(), backend: 'cpu', out, count: 32 });
    const { runs } = result.data as { runs: Record<string, { loss: number; layers: { layer: string }[] }> };
    expect(Object.keys(runs)).toEqual(['initialisation', 'trained']);
    // 92% test accuracy against chance: cross-entropy well below the untrained ln(10) ≈ 2.3.
    expect(runs.trained!.loss).toBeLessThan(0.5);
    expect(runs.initialisation!.loss).toBeGreaterThan(1.5);
    expect(runs.trained!.layers.map((l) => l.layer)).toEqual(runs.initialisation!.layers.map((l) => l.layer));
  });
});
