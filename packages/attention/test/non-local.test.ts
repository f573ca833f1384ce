import { initBackend } from '@convkit/core';
import { gradientErrors, maxAbsDiff, testBackends } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonLocalAttention, nonLocalBlock, PAIRWISE_FUNCTIONS } from '../src/index.js';
import { blockModel, COMPOSITION_CHECK, COMPOSITION_TOLERANCE, predictionsAfterReload, trainableParams } from './support/block-model.js';
import './support/setup.js';

/** Trainable parameters by the formula of nonLocalBlock's TSDoc. */
function formulaParams(channels: number, pairwise: string, batchNorm: boolean): number {
  const inner = channels / 2;
  const embeddings = pairwise === 'gaussian' ? 1 : 3;
  return (
    embeddings * (channels * inner + inner) +
    inner * channels +
    channels +
    (batchNorm ? 2 * channels : 0) +
    (pairwise === 'concatenation' ? 2 * inner : 0)
  );
}

/** `x` for the block and the block's output on it, in training mode (batch statistics in the BN). */
function inputAndOutput(m: ReturnType<typeof blockModel>): [tf.Tensor, tf.Tensor] {
  const shape = (m.inputs[0] as { shape: number[] }).shape.slice(1);
  const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 3);
  return [x, m.apply(x, { training: true }) as tf.Tensor];
}

describe('non-local block (backend-independent)', () => {
  it.each(PAIRWISE_FUNCTIONS.flatMap((pairwise) => [true, false].map((batchNorm) => [pairwise, batchNorm] as const)))(
    '%s (batch norm %s) has the analytic parameter count',
    (pairwise, batchNorm) => {
      const m = blockModel(nonLocalBlock({ pairwise, batchNorm }), [8, 8, 32], 'nl');
      expect(trainableParams(m)).toBe(formulaParams(32, pairwise, batchNorm));
    },
  );

  it('keeps the shape, sub-samples phi and g by 2x2 max pools, and names its layers', () => {
    const m = blockModel(nonLocalBlock(), [8, 6, 16], 'layer3.5.nl');
    expect(m.outputs[0]?.shape).toEqual([null, 8, 6, 16]);
    expect((m.getLayer('layer3.5.nl.phi_pool').outputShape as number[]).slice(1)).toEqual([4, 3, 8]);
    expect(m.layers.map((l) => l.name)).toEqual(
      expect.arrayContaining([
        'layer3.5.nl.theta',
        'layer3.5.nl.phi',
        'layer3.5.nl.g',
        'layer3.5.nl.attention',
        'layer3.5.nl.W',
        'layer3.5.nl.bn',
        'layer3.5.nl.add',
      ]),
    );
    expect(blockModel(nonLocalBlock({ subsample: false }), [5, 5, 8], 'nl').layers.map((l) => l.name)).not.toContain('nl.phi_pool');
  });

  it('survives a save/load round trip with identical outputs (concatenation, with its own weights)', async () => {
    const m = blockModel(nonLocalBlock({ pairwise: 'concatenation', batchNorm: false }), [4, 4, 8], 'nl');
    m.getLayer('nl.W').setWeights(
      m
        .getLayer('nl.W')
        .getWeights()
        .map((w) => tf.randomNormal(w.shape, 0, 1, 'float32', 5)),
    );
    const { before, after, loaded } = await predictionsAfterReload(m);
    expect(after).toEqual(before);
    expect(maxAbsDiff(before, (m.predict(tf.randomUniform([2, 4, 4, 8], -1, 1, 'float32', 7)) as tf.Tensor).dataSync())).toBe(0);
    expect((loaded.getLayer('nl.attention') as NonLocalAttention).pairwise).toBe('concatenation');
  });

  it("normalises the embedded Gaussian's weights per query (softmax rows sum to 1) and the dot product's by N", () => {
    const theta = tf.randomNormal([1, 3, 3, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const phi = tf.randomNormal([1, 2, 2, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const rows = tf.sum(new NonLocalAttention({ pairwise: 'embedded' }).attention(theta, phi), -1).dataSync();
    expect(Array.from(rows).every((s) => Math.abs(s - 1) < 1e-6)).toBe(true);
    const dot = new NonLocalAttention({ pairwise: 'dot' }).attention(theta, phi).dataSync();
    const raw = tf.matMul(tf.reshape(theta, [1, 9, 4]), tf.reshape(phi, [1, 4, 4]), false, true).dataSync();
    expect(
      maxAbsDiff(
        dot,
        Array.from(raw, (v) => v / 4),
      ),
    ).toBeLessThan(1e-6);
  });

  it('refuses phi and g of different sizes and an unknown pairwise function, naming the layer', () => {
    const layer = new NonLocalAttention({ name: 'nla' });
    expect(() =>
      layer.computeOutputShape([
        [null, 4, 4, 2],
        [null, 2, 2, 2],
        [null, 4, 4, 2],
      ]),
    ).toThrow(/NonLocalAttention "nla".*sub-sample both or neither/);
    expect(() => new NonLocalAttention({ pairwise: 'cosine' as never })).toThrow(
      /pairwise must be one of gaussian, embedded, dot, concatenation/,
    );
  });
});

describe.each(await testBackends())('non-local block on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each(PAIRWISE_FUNCTIONS.flatMap((pairwise) => [true, false].map((batchNorm) => [pairwise, batchNorm] as const)))(
    '%s (batch norm %s) is exactly the identity when new, and not after one SGD step',
    (pairwise, batchNorm) => {
      const m = blockModel(nonLocalBlock({ pairwise, batchNorm }), [4, 4, 8], 'nl');
      const [x, y] = inputAndOutput(m);
      expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBe(0);
      const target = tf.randomNormal(x.shape, 0, 1, 'float32', 4);
      const optimizer = tf.train.sgd(0.1);
      optimizer.minimize(() => tf.losses.meanSquaredError(target, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      const [, moved] = inputAndOutput(m);
      expect(maxAbsDiff(moved.dataSync(), x.dataSync())).toBeGreaterThan(1e-4);
    },
  );

  it.each(PAIRWISE_FUNCTIONS)('%s has gradients of the input and every weight equal to central differences', (pairwise) => {
    const errors = gradientErrors(blockModel(nonLocalBlock({ pairwise }), [4, 4, 4], 'nl'), [1, 4, 4, 4], COMPOSITION_CHECK);
    // Under the embedded softmax phi's bias adds theta_i . b to every j of row i, which the softmax
    // cancels: its true gradient is zero, where a relative error means nothing (checked below).
    if (pairwise === 'embedded') delete errors['nl.phi/bias'];
    expect(Object.entries(errors).filter(([, error]) => !(error < COMPOSITION_TOLERANCE))).toEqual([]);
  });

  it("embedded: phi's bias, cancelled by the softmax over j, gets a zero gradient", () => {
    const m = blockModel(nonLocalBlock({ batchNorm: false }), [4, 4, 4], 'nl');
    // Every weight from a fixed seed (W's at full scale, as a trained block's would be), so the draw and
    // with it the float32 residue of the cancelled gradient are the same on every run.
    for (const [i, layer] of m.layers.entries()) {
      const std = layer.name === 'nl.W' ? 1 : 0.3;
      layer.setWeights(layer.getWeights().map((t, k) => tf.randomNormal(t.shape, 0, std, 'float32', 9 + 10 * i + k)));
    }
    const x = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 8);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(x) as tf.Tensor)) as tf.Scalar);
    const byName = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.max(tf.abs(g)).dataSync()[0] as number]));
    const largest = (weight: string) => Object.entries(byName).find(([name]) => name.includes(weight))?.[1] as number;
    expect(largest('nl.phi/bias')).toBeLessThan(1e-5 * largest('nl.phi/kernel'));
    // theta's bias is not cancelled (it scales phi_j, which varies over j): the same measure is of order 1.
    expect(largest('nl.theta/bias')).toBeGreaterThan(1e-2 * largest('nl.theta/kernel'));
  });
});
