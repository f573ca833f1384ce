import type * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import { withKernelCalls } from './kernel-calls.js';

/**
 * Tanh on wasm as `2·sigmoid(2x) − 1` through XNNPACK's vectorised sigmoid: 4x faster than the stock
 * kernel's scalar libm loop (a quarter of a LeNet-5 training step on wasm). The absolute error stays
 * within float32 rounding of values near ±1 (about 1e-7); as in tfjs's WebGL backend, which uses the
 * same kind of formula, the relative error grows for |x| far below 1e-3.
 */
export function tanhWasm({ inputs, backend }: KernelParams): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  return withKernelCalls(backend, (calls) => {
    const two = calls.run('Fill', {}, { shape: [], value: 2, dtype: 'float32' });
    const one = calls.run('Fill', {}, { shape: [], value: 1, dtype: 'float32' });
    const sigmoid = calls.run('Sigmoid', { x: calls.run('Multiply', { a: x, b: two }) });
    return calls.run('Sub', { a: calls.run('Multiply', { a: sigmoid, b: two }), b: one });
  });
}
