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
 * A dilated 'valid' convolution computed as an undilated one on the space-to-batch rearranged input
 * (TensorFlow's atrous algorithm): tfjs has no gradient for dilated conv2d/depthwise kernels, while
 * space-to-batch, batch-to-space and the plain convolution all have gradients on every backend.
 */
function atrous(
  padded: tf.Tensor4D,
  dilation: [number, number],
  op: (input: tf.Tensor4D, strides: [number, number], dilation: [number, number]) => tf.Tensor4D,
): tf.Tensor4D {
  const [dh, dw] = dilation;
  // space-to-batch needs lengths divisible by the rate; the extra zeros only add outputs cropped below.
  const extraH = (dh - (padded.shape[1] % dh)) % dh;
  const extraW = (dw - (padded.shape[2] % dw)) % dw;
  const blocks = tf.spaceToBatchND(
    padded,
    [dh, dw],
    [
      [0, extraH],
      [0, extraW],
    ],
  ) as tf.Tensor4D;
  const y = op(blocks, [1, 1], [1, 1]);
  return tf.batchToSpaceND(
    y,
    [dh, dw],
    [
      [0, extraH],
      [0, extraW],
    ],
  ) as tf.Tensor4D;
}

/**
 * Runs `op` (a 'valid' convolution) on the zero-padded input with PyTorch's freedom: any stride with
 * any dilation. Dilated calls go through {@link atrous} and keep every stride-th output, since tfjs
 * can neither differentiate dilated kernels nor combine a stride and a dilation above 1.
 */
export function slideWindow(
  x: tf.Tensor4D,
  call: ConvCall,
  op: (padded: tf.Tensor4D, strides: [number, number], dilation: [number, number]) => tf.Tensor4D,
): tf.Tensor4D {
  const padded = padSpatial(x, call.pads);
  if (call.dilation.every((d) => d === 1)) return op(padded, call.strides, call.dilation);
  const dense = atrous(padded, call.dilation, op);
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

/** A depthwise convolution (kernel `[kh, kw, cin, multiplier]`) with PyTorch's stride/dilation freedom. */
export function depthwiseConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, call: ConvCall): tf.Tensor4D {
  return slideWindow(
    x,
    call,
    (padded, strides, dilation) => tf.depthwiseConv2d(padded, kernel, strides, 'valid', 'NHWC', dilation) as tf.Tensor4D,
  );
}
