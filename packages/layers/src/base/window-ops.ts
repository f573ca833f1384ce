import * as tf from '@tensorflow/tfjs-core';
import type { Pads } from './geometry.js';

/** Pads the height and width axes of an NHWC tensor with `value`; a no-op for all-zero pads. */
export function padSpatial(x: tf.Tensor4D, pads: Pads, value = 0): tf.Tensor4D {
  const [[top, bottom], [left, right]] = pads;
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return tf.pad(
    x,
    [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    value,
  );
}

/**
 * Keeps every `step`-th row (axis 1) or column (axis 2), starting at 0. Built from pad, reshape and
 * slice because tfjs has no gradient for strided slices or for gather on wasm.
 */
function subsampleAxis(x: tf.Tensor4D, axis: 1 | 2, step: number): tf.Tensor4D {
  if (step === 1) return x;
  const [n, h, w, c] = x.shape;
  const length = axis === 1 ? h : w;
  const kept = Math.ceil(length / step);
  const padded = padSpatial(
    x,
    axis === 1
      ? [
          [0, kept * step - length],
          [0, 0],
        ]
      : [
          [0, 0],
          [0, kept * step - length],
        ],
  );
  const split = tf.reshape(padded, axis === 1 ? [n, kept, step, w * c] : [n * h, kept, step, c]);
  const first = tf.slice(split, [0, 0, 0, 0], [-1, -1, 1, -1]);
  return tf.reshape(first, axis === 1 ? [n, kept, w, c] : [n, h, kept, c]);
}

/** Geometry of one convolution call: strides and dilations per axis, already-resolved zero pads. */
export interface ConvCall {
  strides: [number, number];
  dilation: [number, number];
  pads: Pads;
}

/**
 * Runs `op` (a 'valid' convolution) on the zero-padded input. tfjs refuses a stride and a dilation both
 * above 1 on the same op (PyTorch allows it), so that case runs at stride 1 and keeps every stride-th
 * output, which is the same result.
 */
export function slideWindow(
  x: tf.Tensor4D,
  call: ConvCall,
  op: (padded: tf.Tensor4D, strides: [number, number], dilation: [number, number]) => tf.Tensor4D,
): tf.Tensor4D {
  const padded = padSpatial(x, call.pads);
  const conflict = call.dilation.some((d) => d > 1) && call.strides.some((s) => s > 1);
  if (!conflict) return op(padded, call.strides, call.dilation);
  const dense = op(padded, [1, 1], call.dilation);
  return subsampleAxis(subsampleAxis(dense, 1, call.strides[0]), 2, call.strides[1]);
}

/**
 * A grouped 2-D convolution (PyTorch `groups`): input channels and filters are split into `groups`
 * equal parts and part `g` of the output sees only part `g` of the input. The kernel is
 * `[kh, kw, cin / groups, cout]`, the transpose of PyTorch's `[cout, cin / groups, kh, kw]`.
 * `groups === cin` runs as one depthwise convolution (the same arithmetic, one op instead of `cin`).
 */
export function groupedConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, groups: number, call: ConvCall): tf.Tensor4D {
  return slideWindow(x, call, (padded, strides, dilation) => {
    if (groups === 1) return tf.conv2d(padded, kernel, strides, 'valid', 'NHWC', dilation);
    const [kh, kw, , cout] = kernel.shape;
    const cin = x.shape[3];
    if (groups === cin) {
      // output channel o of group o / (cout / cin) is exactly depthwise channel c * multiplier + m.
      const depthwise = tf.reshape(kernel, [kh, kw, cin, cout / cin]) as tf.Tensor4D;
      return tf.depthwiseConv2d(padded, depthwise, strides, 'valid', 'NHWC', dilation) as tf.Tensor4D;
    }
    const inputs = tf.split(padded, groups, 3);
    const kernels = tf.split(kernel, groups, 3);
    const outputs = inputs.map((part, g) => tf.conv2d(part as tf.Tensor4D, kernels[g] as tf.Tensor4D, strides, 'valid', 'NHWC', dilation));
    return tf.concat(outputs, 3);
  });
}
