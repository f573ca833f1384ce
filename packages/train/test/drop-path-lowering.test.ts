import { createRng, GraphEngine, withSeededMathRandom } from '@convkit/core';
import { describeGraphEngine, gradientBatch, graphForward } from '@convkit/core/testing';
import { DropPath } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';

const SHAPE = [2, 2, 3] as const;
const COUNT = 64;
const ones = new Float32Array(COUNT * 12).fill(1);

/** DropPath alone: its output on images of ones is each example's mask, broadcast over its 2x2x3 values. */
function maskModel(rate: number): tfl.LayersModel {
  const input = tfl.input({ shape: [...SHAPE] });
  const dropped = new DropPath({ name: 'drop', rate }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.flatten().apply(dropped) as tfl.SymbolicTensor, name: 'mask' });
}

/** A residual branch as drop-path sees one: a convolution, drop-path, then the classifier. */
function branchModel(rate: number) {
  const input = tfl.input({ shape: [...SHAPE] });
  const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 1 });
  const drop = new DropPath({ name: 'drop', rate });
  const flatten = tfl.layers.flatten();
  const dense = tfl.layers.dense({ units: 3 });
  const dropped = drop.apply(conv.apply(input)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: dense.apply(flatten.apply(dropped)) as tfl.SymbolicTensor, name: 'branch' });
  const upToDrop = tfl.model({ inputs: input, outputs: dropped });
  return { model, upToDrop, conv, drop, flatten, dense };
}

/** Each example's row of a `[COUNT, 12]` output. */
const rows = (values: Float32Array) => Array.from({ length: COUNT }, (_, i) => Array.from(values.slice(i * 12, (i + 1) * 12)));

await describeGraphEngine('DropPath lowering on %s', () => {
  it('in training each example is kept whole or dropped whole, kept ones scaled by 1 / (1 - rate), from the seed; identity in inference', async () => {
    const model = maskModel(0.5);
    try {
      const first = await graphForward(model, ones, COUNT, { training: true, seed: [1, 2] });
      const masks = rows(first).map((row) => {
        expect(new Set(row).size, 'one draw per example').toBe(1);
        return row[0];
      });
      expect(new Set(masks)).toEqual(new Set([0, 2]));
      const kept = masks.filter((m) => m === 2).length;
      expect(kept).toBeGreaterThan(16);
      expect(kept).toBeLessThan(48);
      expect(await graphForward(model, ones, COUNT, { training: true, seed: [1, 2] })).toEqual(first);
      expect(await graphForward(model, ones, COUNT, { training: true, seed: [3, 4] })).not.toEqual(first);
      expect(await graphForward(model, ones, COUNT, { training: false })).toEqual(ones);
    } finally {
      model.dispose();
    }
  });

  it("its gradient is tfjs's through the same per-example mask", async () => {
    const { model, upToDrop, conv, flatten, dense } = withSeededMathRandom(createRng(5), () => branchModel(0.5));
    const { images, labels, count } = gradientBatch([...SHAPE], 8, 3);
    const seed: [number, number] = [7, 8];
    try {
      // The branch up to drop-path, lowered with the step's seed: the same first random op draws the same mask.
      const dropped = await graphForward(upToDrop, images, count, { training: true, seed });
      const x = tf.tensor4d(images, [count, ...SHAPE]);
      const features = tf.tidy(() => (conv.apply(x) as tf.Tensor).dataSync());
      const mask = Array.from({ length: count }, (_, i) => {
        const at = features.slice(i * 8, (i + 1) * 8).findIndex((v) => v !== 0) + i * 8;
        return (dropped[at] as number) / (features[at] as number);
      });
      expect(new Set(mask.map((m) => Math.round(m * 1e4) / 1e4))).toEqual(new Set([0, 2]));
      const expected = tf.tidy(() => {
        const y = tf.tensor2d(labels, [count, 3]);
        const m = tf.tensor4d(mask, [count, 1, 1, 1]);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => {
          const logits = dense.apply(flatten.apply(tf.mul(conv.apply(x) as tf.Tensor, m))) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, variables);
        return variables.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
      });
      x.dispose();
      const before = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
      const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 } });
      try {
        await engine.step(images, labels, count, 1, seed);
        const state = await engine.readState();
        engine.variables.forEach((v, i) => {
          const j = model.trainableWeights.indexOf(model.weights[v.weight] as tfl.LayerVariable);
          if (v.kind !== 'weight' || j < 0) return;
          const reference = expected[j] as Float32Array;
          const scale = reference.reduce((s, value) => Math.max(s, Math.abs(value)), 1e-3);
          const error = (before[j] as Float32Array).reduce(
            (e, value, k) => Math.max(e, Math.abs(value - (state[i]?.[k] as number) - (reference[k] as number))),
            0,
          );
          expect(error / scale, `gradient of ${model.trainableWeights[j]?.name}`).toBeLessThan(1e-5);
        });
      } finally {
        engine.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it("the rate is read from the layer at every step, so the drop-path schedule's changes reach a compiled step", async () => {
    const { model, drop } = withSeededMathRandom(createRng(5), () => branchModel(0.5));
    const { images, labels, count } = gradientBatch([...SHAPE], 8, 3);
    const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 } });
    try {
      (drop as unknown as { rate: number }).rate = 0;
      const eager = tf.tidy(() => {
        const logits = model.predict(tf.tensor4d(images, [count, ...SHAPE])) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(tf.tensor2d(labels, [count, 3]), logits).dataSync()[0] as number;
      });
      const { loss } = await engine.step(images, labels, count, 0.1, [7, 8]);
      expect(Math.abs(loss - eager) / eager).toBeLessThan(1e-6);
    } finally {
      engine.dispose();
      model.dispose();
    }
  });
});
