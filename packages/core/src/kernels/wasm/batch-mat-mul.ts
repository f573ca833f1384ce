import type * as tf from '@tensorflow/tfjs-core';
import { type KernelParams, replacedKernel } from '../replace-kernel.js';
import { withKernelCalls } from './kernel-calls.js';

const outerSize = (t: tf.TensorInfo) => t.shape.slice(0, -2).reduce((a, b) => a * b, 1);

/**
 * BatchMatMul on wasm that transposes a flagged operand itself: the stock kernel sends only
 * untransposed single matrices to XNNPACK and runs `transposeA`/`transposeB` products (every dense
 * layer's weight and input gradients) in a scalar loop, measured 4x slower than an explicit
 * transpose followed by the XNNPACK product. Batched products go to the stock kernel unchanged.
 */
export function batchMatMulWasm(params: KernelParams): tf.TensorInfo {
  const { inputs, backend, attrs } = params;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  // The stock kernel does the untransposed products, batched or not.
  const stock = replacedKernel('BatchMatMul', 'wasm');
  if (!stock) throw new Error('convkit BatchMatMul needs the stock wasm BatchMatMul kernel, which was not registered');
  if ((!transposeA && !transposeB) || outerSize(a) !== 1 || outerSize(b) !== 1) return stock(params) as tf.TensorInfo;
  return withKernelCalls(backend, (calls) => {
    const matrix = (t: tf.TensorInfo, transpose: boolean) => {
      const [rows, cols] = t.shape.slice(-2) as [number, number];
      const flat = calls.reshape(t, [rows, cols]);
      return transpose ? calls.transpose(flat, [1, 0]) : flat;
    };
    const product = stock({
      inputs: { a: matrix(a, transposeA), b: matrix(b, transposeB) },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    calls.track(product);
    const rank = Math.max(a.shape.length, b.shape.length);
    return calls.reshape(product, [...new Array<number>(rank - 2).fill(1), ...product.shape]);
  });
}
