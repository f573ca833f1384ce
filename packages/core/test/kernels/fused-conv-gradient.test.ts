import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { type ConvCase, convGradientsFloat64, normals, outputShape } from './reference.js';

/** Random small cases: strides 1-2, same and valid padding, odd sizes, with and without bias. */
function cases(): (ConvCase & { bias: boolean })[] {
  const rng = createRng(11);
  const out: (ConvCase & { bias: boolean })[] = [];
  for (const pad of ['same', 'valid'] as const) {
    for (const stride of [1, 2]) {
      for (const bias of [true, false]) {
        const channels = 1 + rng.int(3);
        out.push({
          x: [1 + rng.int(2), 6 + rng.int(4), 6 + rng.int(4), channels],
          filter: [1 + rng.int(3), 1 + rng.int(3), channels, 1 + rng.int(4)],
          strides: [stride, 1 + rng.int(2)],
          dilations: [1, 1],
          pad,
          depthwise: false,
          bias,
        });
      }
    }
  }
  // Windows that cover the whole input (LeNet-5's C5), whose gradients run as matrix products.
  for (const stride of [1, 2]) {
    for (const bias of [true, false]) {
      const channels = 1 + rng.int(3);
      const [h, w] = [3 + rng.int(3), 3 + rng.int(3)];
      out.push({
        x: [1 + rng.int(3), h, w, channels],
        filter: [h, w, channels, 1 + rng.int(4)],
        strides: [stride, stride],
        dilations: [1, 1],
        pad: 'valid',
        depthwise: false,
        bias,
      });
    }
  }
  // As wide as the input but shorter (or the reverse): a column or row of outputs, a real convolution.
  out.push({ x: [2, 5, 4, 2], filter: [3, 4, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'valid', depthwise: false, bias: true });
  out.push({ x: [2, 4, 5, 2], filter: [4, 3, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'valid', depthwise: false, bias: false });
  // As large as the input but padded: a 3x3 output.
  out.push({ x: [2, 3, 3, 2], filter: [3, 3, 2, 4], strides: [1, 1], dilations: [1, 1], pad: 'same', depthwise: false, bias: true });
  return out;
}

const label = (c: ConvCase & { bias: boolean }) =>
  `x ${c.x.join('x')} filter ${c.filter.join('x')} strides ${c.strides} ${c.pad}${c.bias ? ' + bias' : ''}`;

describe.each(await testBackends())('fused conv2d gradient on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(cases().map((c) => [label(c), c] as const))(
    '%s: input, filter and bias gradients equal tfjs unfused ops and a float64 reference',
    (_, c) => {
      const rng = createRng(c.x[1] * 31 + c.filter[0]);
      const next = () => rng.normal();
      const dyShape = outputShape(c);
      const xs = normals(
        next,
        c.x.reduce((a, b) => a * b, 1),
      );
      const ws = normals(
        next,
        c.filter.reduce((a, b) => a * b, 1),
      );
      const dys = normals(
        next,
        dyShape.reduce((a, b) => a * b, 1),
      );
      const bs = normals(next, c.filter[3]);
      const [fused, unfused] = tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(xs), c.x);
        const w = tf.tensor4d(Float32Array.from(ws), c.filter);
        const b = tf.tensor1d(Float32Array.from(bs));
        const dy = tf.tensor4d(Float32Array.from(dys), dyShape);
        const strides = c.strides;
        const pad = c.pad as 'same' | 'valid';
        // Under a tape tfjs runs tf.fused.conv2d (linear) as its custom-gradient op: convkit's gradient.
        const viaFused = (a: tf.Tensor, f: tf.Tensor, bb?: tf.Tensor) =>
          tf.fused.conv2d({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides, pad, bias: bb });
        const viaOps = (a: tf.Tensor, f: tf.Tensor, bb?: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, strides, pad);
          return bb ? tf.add(y, bb) : y;
        };
        const inputs = c.bias ? [x, w, b] : [x, w];
        return [tf.grads(viaFused)(inputs, dy), tf.grads(viaOps)(inputs, dy)].map((gs) =>
          gs.map((g) => g.dataSync() as Float32Array),
        ) as Float32Array[][];
      }) as unknown as [Float32Array[], Float32Array[]];
      const reference = convGradientsFloat64(c, xs, ws, dys);
      const biasReference = new Float64Array(c.filter[3]);
      dys.forEach((v, i) => {
        biasReference[i % c.filter[3]] = (biasReference[i % c.filter[3]] as number) + v;
      });
      const [dx, dw, db] = fused as [Float32Array, Float32Array, Float32Array];
      expect(maxRelativeError(dx, unfused[0] as Float32Array)).toBeLessThan(1e-5);
      expect(maxRelativeError(dw, unfused[1] as Float32Array)).toBeLessThan(1e-5);
      expect(maxRelativeError(dx, reference.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(dw, reference.dw)).toBeLessThan(1e-4);
      if (c.bias) {
        expect(maxRelativeError(db, unfused[2] as Float32Array)).toBeLessThan(1e-5);
        expect(maxRelativeError(db, biasReference)).toBeLessThan(1e-4);
      }
    },
  );

  test('a rank-3 input (one image) gets gradients of its own shape', () => {
    const [dx, dw] = tf.tidy(() => {
      const x = tf.randomNormal([5, 6, 2], 0, 1, 'float32', 1) as tf.Tensor3D;
      const w = tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      const b = tf.randomNormal([4], 0, 1, 'float32', 3);
      const loss = (a: tf.Tensor, f: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.conv2d({ x: a as tf.Tensor3D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b })));
      const stock = (a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(tf.add(tf.conv2d(a as tf.Tensor3D, f as tf.Tensor4D, 1, 'same'), b)));
      const got = tf.grads(loss)([x, w]);
      const want = tf.grads(stock)([x, w]);
      expect(got[0]?.shape).toEqual([5, 6, 2]);
      return [
        maxRelativeError(got[0]?.dataSync() ?? [], want[0]?.dataSync() ?? []),
        maxRelativeError(got[1]?.dataSync() ?? [], want[1]?.dataSync() ?? []),
      ];
    });
    expect(dx).toBeLessThan(1e-5);
    expect(dw).toBeLessThan(1e-5);
  });

  test('only the gradients the tape asks for run: no input gradient for a first layer, no filter gradient for a saliency map', async () => {
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D);
    const b = tf.variable(tf.zeros([4]));
    const f = () => tf.sum(tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b })) as tf.Scalar;
    const kernelsOf = async (run: () => unknown) => (await tf.profile(() => tf.tidy(() => run() as tf.Tensor))).kernels.map((k) => k.name);
    const weightsOnly = await kernelsOf(() => Object.values(tf.variableGrads(f, [w, b]).grads));
    expect(weightsOnly).toContain('Conv2DBackpropFilter');
    expect(weightsOnly).not.toContain('Conv2DBackpropInput');
    const inputOnly = await kernelsOf(() =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w, strides: 1, pad: 'same', bias: b })))(x),
    );
    expect(inputOnly).toContain('Conv2DBackpropInput');
    expect(inputOnly).not.toContain('Conv2DBackpropFilter');
    tf.dispose([x, w, b]);
  });

  test('a window that covers the whole input takes its gradients as matrix products (on cpu: the convolution gradient kernels)', async () => {
    const x = tf.variable(tf.randomNormal([4, 5, 5, 3]) as tf.Tensor4D);
    const w = tf.variable(tf.randomNormal([5, 5, 3, 7]) as tf.Tensor4D);
    const f = () => tf.sum(tf.square(tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid' }))) as tf.Scalar;
    const { kernels } = await tf.profile(() => tf.tidy(() => Object.values(tf.variableGrads(f, [x, w]).grads)));
    const names = kernels.map((k) => k.name);
    const products = names.filter((n) => n === 'BatchMatMul');
    if (backend === 'cpu') {
      expect(names).toEqual(expect.arrayContaining(['Conv2DBackpropInput', 'Conv2DBackpropFilter']));
      expect(products).toHaveLength(0);
    } else {
      expect(names).not.toContain('Conv2DBackpropInput');
      expect(names).not.toContain('Conv2DBackpropFilter');
      expect(products).toHaveLength(2);
    }
    tf.dispose([x, w]);
  });
});
