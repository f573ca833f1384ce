import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle has no gradients; tfjs-layers' bundle registers them all, as in user code.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/init-backend.js';
import { createRng } from '../../src/rng.js';
import { testBackends } from '../../src/testing/backends.js';
import { maxRelativeError } from '../../src/testing/numeric-gradient.js';
import { type ConvCase, convGradientsFloat64, normals, outputShape, randomConvOperands } from './reference.js';

// The kernels convkit registers, per backend; others stay stock tfjs and are not claims of this file.
const CONVKIT_KERNELS: Record<string, string[]> = {
  wasm: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
  cpu: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
  // Only the strided 1x1 case is convkit's own there; the cases check the hand-over to the stock kernel too.
  tensorflow: ['Conv2DBackpropFilter'],
};

// tfjs-node's own filter gradient (which convkit's hands most cases to) takes neither dilations nor
// numeric or explicit padding: tfjs-layers never asks it for them.
function stockTensorflowCovers(c: ConvCase): boolean {
  return typeof c.pad === 'string' && c.dilations.every((d) => d === 1);
}

const PADS: ConvCase['pad'][] = [
  'same',
  'valid',
  1,
  [
    [0, 0],
    [2, 0],
    [1, 2],
    [0, 0],
  ],
];

/** Random small cases covering strides 1-2, dilations 1-2, every padding form and odd sizes. */
function cases(depthwise: boolean): ConvCase[] {
  const rng = createRng(depthwise ? 7 : 3);
  const out: ConvCase[] = [];
  for (const pad of PADS) {
    for (const stride of [1, 2]) {
      for (const dilation of [1, 2]) {
        const k = 1 + rng.int(3);
        const channels = 1 + rng.int(4);
        out.push({
          x: [1 + rng.int(2), 6 + rng.int(5), 6 + rng.int(5), channels],
          filter: [k, 1 + rng.int(3), channels, depthwise ? 1 + rng.int(2) : 1 + rng.int(4)],
          strides: [stride, 1 + rng.int(2)],
          dilations: [dilation, 1],
          pad,
          depthwise,
        });
      }
    }
  }
  return out;
}

function label(c: ConvCase): string {
  return `x ${c.x.join('x')} filter ${c.filter.join('x')} strides ${c.strides} dilations ${c.dilations} pad ${JSON.stringify(c.pad)}`;
}

const backends = (await testBackends()).filter((b) => b in CONVKIT_KERNELS);

describe.each(backends)('convkit gradient kernels on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  for (const depthwise of [false, true]) {
    const [filterKernel, inputKernel] = depthwise
      ? ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']
      : ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
    const covered = cases(depthwise).filter((c) => backend !== 'tensorflow' || stockTensorflowCovers(c));
    test.each(covered)(`${depthwise ? 'depthwise' : 'conv2d'} gradients match float64 loops: %s`, (c) => {
      const { x, w, dy, dyShape } = randomConvOperands(c, 11);
      const expected = convGradientsFloat64(c, x, w, dy);
      const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC' };
      const xT = tf.tensor4d(Float32Array.from(x), c.x);
      const wT = tf.tensor4d(Float32Array.from(w), c.filter);
      const dyT = tf.tensor4d(Float32Array.from(dy), dyShape);
      const claims = CONVKIT_KERNELS[backend] as string[];
      if (claims.includes(filterKernel)) {
        const dw = tf.engine().runKernel(filterKernel, { x: xT, dy: dyT }, { ...attrs, filterShape: c.filter }) as tf.Tensor;
        expect(dw.shape, label(c)).toEqual(c.filter);
        expect(maxRelativeError(dw.dataSync(), expected.dw), label(c)).toBeLessThan(1e-5);
        dw.dispose();
      }
      if (claims.includes(inputKernel)) {
        const dx = tf.engine().runKernel(inputKernel, { dy: dyT, filter: wT }, { ...attrs, inputShape: c.x }) as tf.Tensor;
        expect(dx.shape, label(c)).toEqual(c.x);
        expect(maxRelativeError(dx.dataSync(), expected.dx), label(c)).toBeLessThan(1e-5);
        dx.dispose();
      }
      tf.dispose([xT, wT, dyT]);
    });
  }

  // libtensorflow's oneDNN kernel corrupted the heap here (ResNet projection shortcuts at an odd batch).
  test.each([
    [2, 2],
    [2, 3],
  ])('the filter gradient of a 1x1 convolution of strides %i, %i at an odd batch matches float64 loops, call after call', (sh, sw) => {
    const c: ConvCase = { x: [3, 28, 28, 2], filter: [1, 1, 2, 4], strides: [sh, sw], dilations: [1, 1], pad: 'valid', depthwise: false };
    const rng = createRng(5);
    const next = () => rng.normal();
    const x = normals(next, 3 * 28 * 28 * 2);
    const w = normals(next, 8);
    // The gradient of a plain sum (dy all ones) is the form that crashed.
    const dy = new Float64Array(outputShape(c).reduce((a, b) => a * b)).fill(1);
    const expected = convGradientsFloat64(c, x, w, dy);
    const xT = tf.tensor4d(Float32Array.from(x), c.x);
    const wT = tf.tensor4d(Float32Array.from(w), c.filter);
    for (let call = 0; call < 5; call++) {
      const dw = tf.grad((filter: tf.Tensor) => tf.sum(tf.conv2d(xT, filter as tf.Tensor4D, [sh, sw], 'valid')))(wT);
      expect(maxRelativeError(dw.dataSync(), expected.dw)).toBeLessThan(1e-5);
      dw.dispose();
    }
    tf.dispose([xT, wT]);
  });

  test('an NCHW filter gradient is refused with a ConvkitError that names the fix', () => {
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 5, 5]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] }),
    ).toThrow(/expected "NHWC".*transpose/);
    tf.dispose([x, dy]);
  });

  test('gradient kernels free every intermediate tensor', () => {
    const x = tf.randomNormal([2, 9, 9, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const dw = tf.randomNormal([3, 3, 3, 2]) as tf.Tensor4D;
    const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
      tf.add(
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
        tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, d as tf.Tensor4D, 2, 'same')),
      );
    tf.dispose(tf.grads(loss)([x, w, dw]));
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    tf.dispose(tf.grads(loss)([x, w, dw]));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    tf.dispose([x, w, dw]);
  });
});
