import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { batchNormTraining } from '../../src/kernels/fused/batch-norm-training.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError, numericGradient } from '../../src/testing/numeric-gradient.js';
import { batchNormFloat64, batchNormGradientFloat64, dot } from './fused-reference.js';

const EPSILON = 1e-5;
const MOMENTUM = 0.1;

/** Random shapes, channels last: NHWC maps of odd sizes, and one rank-2 (dense) input. */
const SHAPES: number[][] = [
  [2, 3, 3, 4],
  [3, 5, 2, 3],
  [1, 4, 7, 5],
  [6, 3],
];

interface Case {
  shape: number[];
  channels: number;
  x: Float64Array;
  scale: Float64Array;
  offset: Float64Array;
  movingMean: Float64Array;
  movingVariance: Float64Array;
  w: Float64Array;
}

function makeCase(shape: number[], seed: number): Case {
  const rng = createRng(seed);
  const channels = shape.at(-1) as number;
  const size = shape.reduce((a, b) => a * b, 1);
  // Channels with different means and spreads, so a kernel that mixes channels up fails.
  const x = Float64Array.from({ length: size }, (_, i) => Math.fround(rng.normal(i % channels, 0.5 + (i % channels))));
  const vector = (low: number, high: number) => Float64Array.from({ length: channels }, () => Math.fround(rng.uniform(low, high)));
  return {
    shape,
    channels,
    x,
    scale: vector(0.5, 2),
    offset: vector(-1, 1),
    movingMean: vector(-1, 1),
    movingVariance: vector(0.5, 2),
    w: Float64Array.from({ length: size }, () => Math.fround(rng.normal())),
  };
}

/** A float32 tensor of float64 values that are already float32-exact. */
function f32(values: Float64Array, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), shape);
}

function fused(c: Case, x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D) {
  return batchNormTraining(x, {
    scale,
    offset,
    movingMean: tf.tensor1d(Float32Array.from(c.movingMean)),
    movingVariance: tf.tensor1d(Float32Array.from(c.movingVariance)),
    epsilon: EPSILON,
    momentum: MOMENTUM,
  });
}

/** tfjs's own training batch norm: moments, then the batchNorm op (what tfjs-layers runs). */
function unfused(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, offset, scale, EPSILON);
}

describe.each(await testBackends())('fused training batch norm on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(SHAPES.map((shape, i) => [shape.join('x'), shape, i] as const))(
    '%s: output and running statistics equal the float64 reference, the variance unbiased as in PyTorch',
    (_, shape, seed) => {
      const c = makeCase(shape, 11 + seed);
      const result = tf.tidy(() => {
        const r = fused(c, f32(c.x, shape), tf.tensor1d(Float32Array.from(c.scale)), tf.tensor1d(Float32Array.from(c.offset)));
        return { y: r.y.dataSync(), mean: r.movingMean.dataSync(), variance: r.movingVariance.dataSync() };
      });
      const reference = batchNormFloat64(c.x, c.scale, c.offset, c.channels, EPSILON);
      const rows = c.x.length / c.channels;
      const runningMean = c.movingMean.map((m, i) => (1 - MOMENTUM) * m + MOMENTUM * (reference.mean[i] as number));
      const runningVariance = c.movingVariance.map(
        (v, i) => (1 - MOMENTUM) * v + MOMENTUM * (reference.variance[i] as number) * (rows / (rows - 1)),
      );
      expect(maxRelativeError(result.y, reference.y)).toBeLessThan(1e-5);
      expect(maxRelativeError(result.mean, runningMean)).toBeLessThan(1e-5);
      expect(maxRelativeError(result.variance, runningVariance)).toBeLessThan(1e-5);
    },
  );

  test.each(SHAPES.map((shape, i) => [shape.join('x'), shape, i] as const))(
    '%s: gradients of x, scale and offset equal tfjs unfused ops and float64 central differences',
    (_, shape, seed) => {
      const c = makeCase(shape, 31 + seed);
      const w = f32(c.w, shape);
      const loss = (f: (x: tf.Tensor, s: tf.Tensor1D, o: tf.Tensor1D) => tf.Tensor) =>
        tf.grads((x: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(x, s as tf.Tensor1D, o as tf.Tensor1D), w)));
      const inputs = () => [f32(c.x, shape), tf.tensor1d(Float32Array.from(c.scale)), tf.tensor1d(Float32Array.from(c.offset))];
      const got = tf.tidy(() => loss((x, s, o) => fused(c, x, s, o).y)(inputs()).map((g) => g.dataSync()));
      const stock = tf.tidy(() => loss(unfused)(inputs()).map((g) => g.dataSync()));
      const f64 = (x: Float64Array, s: Float64Array, o: Float64Array) => dot(batchNormFloat64(x, s, o, c.channels, EPSILON).y, c.w);
      const numeric = [
        numericGradient((x) => f64(x, c.scale, c.offset), c.x),
        numericGradient((s) => f64(c.x, s, c.offset), c.scale),
        numericGradient((o) => f64(c.x, c.scale, o), c.offset),
      ];
      ['x', 'scale', 'offset'].forEach((name, i) => {
        expect(maxRelativeError(got[i] as Float32Array, stock[i] as Float32Array), `${name} vs tfjs`).toBeLessThan(1e-4);
        expect(maxRelativeError(got[i] as Float32Array, numeric[i] as Float64Array), `${name} vs float64`).toBeLessThan(1e-4);
      });
      w.dispose();
    },
  );

  // Row counts of several 32 KiB blocks with a partial last one, and channels both a multiple of 4 and not.
  test.each([
    [4, 30, 30, 8],
    [2, 40, 41, 6],
    [3, 9, 9, 1027],
  ])('%i x %i x %i x %i, in several row blocks: output and gradients equal the float64 closed forms', (...shape) => {
    const c = makeCase(shape, 7 + shape[3]);
    const scale = () => tf.tensor1d(Float32Array.from(c.scale));
    const offset = () => tf.tensor1d(Float32Array.from(c.offset));
    const [y, dx, dScale, dOffset] = tf.tidy(() => {
      const w = f32(c.w, shape);
      const out = fused(c, f32(c.x, shape), scale(), offset()).y.dataSync();
      const grads = tf.grads((x: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.sum(tf.mul(fused(c, x, s as tf.Tensor1D, o as tf.Tensor1D).y, w)),
      );
      return [out, ...grads([f32(c.x, shape), scale(), offset()]).map((g) => g.dataSync())];
    });
    const expected = batchNormGradientFloat64(c.x, c.scale, c.w, c.channels, EPSILON);
    expect(maxRelativeError(y as Float32Array, batchNormFloat64(c.x, c.scale, c.offset, c.channels, EPSILON).y)).toBeLessThan(1e-5);
    expect(maxRelativeError(dx as Float32Array, expected.dx), 'x').toBeLessThan(1e-4);
    expect(maxRelativeError(dScale as Float32Array, expected.dScale), 'scale').toBeLessThan(1e-4);
    expect(maxRelativeError(dOffset as Float32Array, expected.dOffset), 'offset').toBeLessThan(1e-4);
  });

  test('forward and gradient are one kernel each: no moments, no chain of small gradient ops', async () => {
    const c = makeCase([2, 4, 4, 3], 5);
    const x = f32(c.x, c.shape);
    const s = tf.tensor1d(Float32Array.from(c.scale));
    const o = tf.tensor1d(Float32Array.from(c.offset));
    const profile = await tf.profile(() => tf.grads((v: tf.Tensor) => tf.sum(fused(c, v, s, o).y))([x]));
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'ConvkitBatchNormTraining')).toHaveLength(1);
    expect(names.filter((n) => n === 'ConvkitBatchNormTrainingGrad')).toHaveLength(1);
    expect(names).not.toContain('Mean');
    expect(names).not.toContain('Tile');
    tf.dispose([x, s, o]);
  });
});
