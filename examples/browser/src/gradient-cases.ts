import { SeededRng } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/** Gradients of one case: of the input and, for convolutions, of the filter. */
export interface CaseGradients {
  dx: number[];
  df?: number[];
}

function seeded(shape: number[], rng: SeededRng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.uniform(-1, 1)),
    shape,
  );
}

/**
 * The gradient checks run in the page and in Node on the same seeded inputs: each case's loss is
 * `sum(op(x, f) * r)` with a seeded `r`, so its gradients are exactly the backprop kernels convkit
 * registers on wasm (Conv2DBackpropInput/Filter, both depthwise backprops, MaxPoolGrad) applied to
 * `r`. Run on the active backend; the test compares the page's numbers with Node's.
 */
export function gradientCases(): Record<string, CaseGradients> {
  const rng = new SeededRng(20261202);
  const conv = (name: string, xShape: number[], fShape: number[], strides: number, pad: 'same' | 'valid') => {
    const x = seeded(xShape, rng);
    const f = seeded(fShape, rng);
    const forward = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
    const r = seeded(forward(x, f).shape, rng);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, b), r)))([x, f]);
    return [name, { dx: Array.from((dx as tf.Tensor).dataSync()), df: Array.from((df as tf.Tensor).dataSync()) }] as const;
  };
  const depthwise = (name: string, xShape: number[], fShape: number[], strides: number, pad: 'same' | 'valid') => {
    const x = seeded(xShape, rng);
    const f = seeded(fShape, rng);
    const forward = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
    const r = seeded(forward(x, f).shape, rng);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, b), r)))([x, f]);
    return [name, { dx: Array.from((dx as tf.Tensor).dataSync()), df: Array.from((df as tf.Tensor).dataSync()) }] as const;
  };
  const maxPool = (name: string, xShape: number[], size: number, strides: number) => {
    const x = seeded(xShape, rng);
    const forward = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, strides, 'valid');
    const r = seeded(forward(x).shape, rng);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(forward(a), r)))(x);
    return [name, { dx: Array.from(dx.dataSync()) }] as const;
  };
  return tf.tidy(() =>
    Object.fromEntries([
      conv('conv2d 3x3 stride 2 same', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'),
      conv('conv2d 5x5 stride 1 valid (LeNet-5 C1)', [2, 12, 12, 1], [5, 5, 1, 6], 1, 'valid'),
      // tfjs has no gradient of a dilated conv2d on any backend, so no dilated case.
      conv('conv2d 1x1 stride 2 (a projection shortcut)', [3, 7, 7, 4], [1, 1, 4, 5], 2, 'same'),
      depthwise('depthwise 3x3 stride 1 same', [2, 8, 8, 3], [3, 3, 3, 2], 1, 'same'),
      depthwise('depthwise 3x3 stride 2 valid', [1, 9, 9, 4], [3, 3, 4, 1], 2, 'valid'),
      maxPool('max pool 2x2 stride 2', [2, 8, 8, 3], 2, 2),
    ]),
  );
}
