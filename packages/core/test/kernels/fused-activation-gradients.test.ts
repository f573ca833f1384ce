import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { FUSED_ACTIVATION_GRADIENTS } from '../../src/kernels/fused/activation-gradients.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError, numericGradient } from '../../src/testing/numeric-gradient.js';
import { ACTIVATIONS_FLOAT64, dot } from './fused-reference.js';

const ALPHA = 0.2;

/** Each activation's tfjs op. */
const OPS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  Relu: tf.relu,
  Relu6: tf.relu6,
  LeakyRelu: (x) => tf.leakyRelu(x, ALPHA),
  Selu: tf.selu,
  Sigmoid: tf.sigmoid,
  Tanh: tf.tanh,
  Elu: tf.elu,
};

/** tfjs's own gradient formulas as separate ops (what its gradients registry runs without convkit). */
const UNFUSED: Record<string, (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor> = {
  Relu: (dy, x) => tf.mul(dy, tf.step(x)),
  Relu6: (dy, x) => tf.mul(dy, tf.mul(tf.cast(tf.lessEqual(x, 6), 'float32'), tf.step(x))),
  LeakyRelu: (dy, x) => tf.where(tf.greater(x, 0), dy, tf.mul(dy, ALPHA)),
  Selu: (dy, x) => tf.where(tf.greater(x, 0), tf.mul(dy, 1.0507009873554805), tf.mul(dy, tf.mul(1.7580993408473768, tf.exp(x)))),
  Sigmoid: (dy, x) => tf.mul(dy, tf.mul(tf.sigmoid(x), tf.sub(1, tf.sigmoid(x)))),
  Tanh: (dy, x) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x)))),
  Elu: (dy, x) => tf.where(tf.greater(x, 0), dy, tf.mul(dy, tf.exp(x))),
};

/** Random inputs kept 0.05 away from the kinks at 0 and 6, where central differences mean nothing. */
function inputs(seed: number, count: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => {
    let v = rng.uniform(-8, 8);
    while (Math.abs(v) < 0.05 || Math.abs(v - 6) < 0.05) v = rng.uniform(-8, 8);
    return v;
  });
}

describe.each(await testBackends())('one-kernel activation gradients on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(Object.keys(OPS))('%s: the gradient equals tfjs unfused ops and float64 central differences', (name) => {
    const shape = [3, 5, 7];
    const xs = inputs(name.length * 17, 105);
    const ws = inputs(name.length * 29, 105).map((v) => v / 8);
    const op = OPS[name] as (x: tf.Tensor) => tf.Tensor;
    const [got, stock] = tf.tidy(() => {
      const x = tf.tensor(xs, shape);
      const w = tf.tensor(ws, shape);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(op(v), w)))(x);
      return [g.dataSync(), (UNFUSED[name] as (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor)(w, x).dataSync()];
    });
    const f = ACTIVATIONS_FLOAT64[name] as (x: number, alpha: number) => number;
    const numeric = numericGradient(
      (x) =>
        dot(
          x.map((v) => f(v, ALPHA)),
          ws,
        ),
      Float64Array.from(xs),
      1e-4,
    );
    expect(maxRelativeError(got as Float32Array, stock as Float32Array)).toBeLessThan(1e-5);
    expect(maxRelativeError(got as Float32Array, numeric)).toBeLessThan(1e-5);
  });

  test.each([
    ['Relu', [Number.NaN, 1.5, Number.POSITIVE_INFINITY, Number.NaN, 0]],
    ['Relu6', [Number.NaN, 1.5, Number.NaN, Number.NaN, 0]],
  ] as const)('%s: a non-finite dy is carried as TensorFlow carries it, flat region included', (name, expected) => {
    // x: flat (-1), active (2), active for ReLU but flat for ReLU6 (7), flat (-3), and 0 where both are flat.
    const got = tf.tidy(() => {
      const x = tf.tensor([-1, 2, 7, -3, 0]);
      const dy = tf.tensor([Number.NaN, 1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 4]);
      return Array.from(
        tf
          .grad(OPS[name] as (x: tf.Tensor) => tf.Tensor)(x, dy)
          .dataSync(),
      );
    });
    expect(got).toEqual(expected);
  });

  test('Relu6: the gradient passes exactly inside (0, 6), to the last float32 on either side, and leaves nothing behind', () => {
    const below6 = Math.fround(6 - 2 ** -21);
    const above6 = Math.fround(6 + 2 ** -21);
    const x = tf.tensor([0, 6, below6, above6, 1e-30, -1e-30, 3, -7, 8]);
    const dy = tf.onesLike(x);
    const dx = tf.grad(tf.relu6)(x, dy);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 0]);
    dx.dispose();
    // The kernel alone: an intermediate it leaked would outlive the output it returns.
    const [buffers, tensors] = [tf.engine().backend.numDataIds(), tf.memory().numTensors];
    (tf.engine().runKernel('ConvkitRelu6Grad', { dy, v: x }, {}) as tf.Tensor).dispose();
    expect([tf.engine().backend.numDataIds(), tf.memory().numTensors]).toEqual([buffers, tensors]);
    tf.dispose([x, dy]);
  });

  test.each(FUSED_ACTIVATION_GRADIENTS.map((e) => [e.forward, e.kernel] as const))(
    '%s: the gradient runs as the one kernel %s',
    async (name, kernel) => {
      const x = tf.tensor(inputs(3, 64), [8, 8]);
      const op = OPS[name] as (x: tf.Tensor) => tf.Tensor;
      const dy = tf.onesLike(x);
      // Backpropagating a given dy into x: only the forward op, the tape's Identity copies of saved tensors and the gradient run.
      const profile = await tf.profile(() => tf.grad(op)(x, dy));
      const backward = profile.kernels.map((k) => k.name).filter((n) => n !== 'Identity' && n !== name);
      expect(backward).toEqual([kernel]);
      tf.dispose([x, dy]);
    },
  );
});
