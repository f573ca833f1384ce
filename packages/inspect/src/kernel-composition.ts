import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/** One linear convolution of a stack: an HWIO kernel (tfjs layout), its stride and dilation, an optional bias. */
export interface LinearConv {
  kernel: tf.Tensor4D;
  /** Same stride along both axes. Default 1. */
  stride?: number;
  /** Same dilation along both axes. Default 1. */
  dilation?: number;
  bias?: tf.Tensor1D;
}

/** The single convolution a stack of linear convolutions equals ('valid' padding). */
export interface ComposedConv {
  /** HWIO kernel of the whole stack, dilation 1. */
  kernel: tf.Tensor4D;
  stride: number;
  bias: tf.Tensor1D;
}

interface Dense {
  data: Float64Array;
  k: number;
  cin: number;
  cout: number;
}

function dense(kernel: tf.Tensor4D, what: string): Dense {
  const [kh, kw, cin, cout] = kernel.shape;
  if (kh !== kw) throw new ConvkitError('bad-kernel', `${what} is ${kh}x${kw}; kernel composition takes square kernels`);
  return { data: Float64Array.from(kernel.dataSync()), k: kh, cin, cout };
}

/**
 * Composes two linear convolutions applied one after the other ('valid' padding) into one. With
 * `y1[i] = Σ_a K1[a] x[s1·i + d1·a] + b1` and `y2[m] = Σ_b K2[b] y1[s2·m + d2·b] + b2`,
 * substituting gives `y2[m] = Σ_t K[t] x[s1·s2·m + t] + b` with
 * `K[t] = Σ_{d1·a + s1·d2·b = t} K2[b] · K1[a]` (channels contracted over the middle ones),
 * stride `s1·s2`, size `d1(k1-1) + s1·d2(k2-1) + 1`, and `b = b2 + Σ_b K2[b] · b1` (associativity
 * of convolution; two 3x3 stride-1 convolutions are one 5x5).
 */
function composePair(first: Dense & { stride: number; dilation: number; bias: Float64Array }, second: LinearConv, index: number) {
  const k2 = dense(second.kernel, `kernel ${index + 1}`);
  if (k2.cin !== first.cout) {
    throw new ConvkitError(
      'bad-kernel',
      `kernel ${index + 1} takes ${k2.cin} input channels but the stack before it gives ${first.cout}; chain kernels whose channels match`,
    );
  }
  const s1 = first.stride;
  const d1 = first.dilation;
  const d2 = second.dilation ?? 1;
  const size = d1 * (first.k - 1) + s1 * d2 * (k2.k - 1) + 1;
  const { cin } = first;
  const cmid = first.cout;
  const cout = k2.cout;
  const out = new Float64Array(size * size * cin * cout);
  for (let ay = 0; ay < first.k; ay++)
    for (let ax = 0; ax < first.k; ax++)
      for (let by = 0; by < k2.k; by++)
        for (let bx = 0; bx < k2.k; bx++) {
          const ty = d1 * ay + s1 * d2 * by;
          const tx = d1 * ax + s1 * d2 * bx;
          for (let ci = 0; ci < cin; ci++)
            for (let cm = 0; cm < cmid; cm++) {
              const w1 = first.data[((ay * first.k + ax) * cin + ci) * cmid + cm]!;
              if (w1 === 0) continue;
              for (let co = 0; co < cout; co++) {
                out[((ty * size + tx) * cin + ci) * cout + co]! += w1 * k2.data[((by * k2.k + bx) * cmid + cm) * cout + co]!;
              }
            }
        }
  const bias = second.bias ? Float64Array.from(second.bias.dataSync()) : new Float64Array(cout);
  for (let b = 0; b < k2.k * k2.k; b++)
    for (let cm = 0; cm < cmid; cm++)
      for (let co = 0; co < cout; co++) bias[co]! += k2.data[(b * cmid + cm) * cout + co]! * first.bias[cm]!;
  return { data: out, k: size, cin, cout, stride: s1 * (second.stride ?? 1), dilation: 1, bias };
}

/**
 * The single kernel, stride and bias of a stack of linear convolutions (no activation between
 * them), by repeated {@link composePair}: applying it with 'valid' padding equals applying the stack.
 * Zero 'same' padding breaks the equality at the borders (each layer pads its own input).
 */
export function composeConvolutions(stack: LinearConv[]): ComposedConv {
  const [head] = stack;
  if (!head) throw new ConvkitError('bad-kernel', 'the stack is empty; pass at least one convolution');
  // Start from the 1x1 identity, so every kernel (the first too) has its dilation written into its taps.
  const channels = head.kernel.shape[2];
  let acc = { ...identityKernel(channels), stride: 1, dilation: 1, bias: new Float64Array(channels) };
  stack.forEach((conv, i) => {
    acc = composePair(acc, conv, i);
  });
  return {
    kernel: tf.tensor4d(Float32Array.from(acc.data), [acc.k, acc.k, acc.cin, acc.cout]),
    stride: acc.stride,
    bias: tf.tensor1d(Float32Array.from(acc.bias)),
  };
}

function identityKernel(channels: number): Dense {
  const data = new Float64Array(channels * channels);
  for (let c = 0; c < channels; c++) data[c * channels + c] = 1;
  return { data, k: 1, cin: channels, cout: channels };
}

/** Applies one convolution of a stack to an NHWC batch with tfjs ('valid' padding, bias added). */
export function applyConvolution(x: tf.Tensor4D, conv: LinearConv): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.conv2d(x, conv.kernel, conv.stride ?? 1, 'valid', 'NHWC', conv.dilation ?? 1);
    return conv.bias ? tf.add(y, conv.bias) : y;
  });
}

/** Applies a whole stack of convolutions layer by layer, as a network would. */
export function applyConvolutions(x: tf.Tensor4D, stack: LinearConv[]): tf.Tensor4D {
  return tf.tidy(() => stack.reduce((y, conv) => applyConvolution(y, conv), x));
}
