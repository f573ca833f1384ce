import * as tf from '@tensorflow/tfjs-core';
import { replaceKernel } from '../replace-kernel.js';
import { avgPoolGradWasm } from './avg-pool-grad.js';
import { batchMatMulWasm } from './batch-mat-mul.js';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterWasm } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputWasm } from './depthwise-backprop-input.js';
import { identityWasm } from './identity.js';
import { maxPoolGradWasm } from './max-pool-grad.js';
import { sliceWasm } from './slice.js';
import { splitVWasm } from './split-v.js';
import { squareWasm } from './square.js';
import { tanhWasm } from './tanh.js';
import { tileWasm } from './tile.js';

/** The kernels convkit adds to (or replaces in) tfjs-backend-wasm for training. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInputWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: depthwiseBackpropFilterWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: depthwiseBackpropInputWasm },
  { kernelName: 'Tile', backendName: 'wasm', kernelFunc: tileWasm },
  { kernelName: 'Tanh', backendName: 'wasm', kernelFunc: tanhWasm },
  { kernelName: 'Square', backendName: 'wasm', kernelFunc: squareWasm },
  { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMulWasm },
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradWasm },
  { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: splitVWasm },
  { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identityWasm },
  { kernelName: 'Slice', backendName: 'wasm', kernelFunc: sliceWasm },
  { kernelName: 'AvgPoolGrad', backendName: 'wasm', kernelFunc: avgPoolGradWasm },
];

/**
 * Registers convkit's training kernels for the `wasm` backend, so that it can train CNNs: stock
 * tfjs-backend-wasm lacks the filter and depthwise gradients, runs the input gradient as a scalar
 * loop, and its Tile (hit by every batch-norm gradient), Tanh, Square and transposed matrix products
 * are scalar loops too; its MaxPoolGrad drops the gradient of all-negative windows, its SplitV and Slice allocate a view per
 * innermost row (a channel split, as grouped convolutions make, one per pixel), its AvgPoolGrad is
 * slow (the slowest kernel of a LeNet-5 step), and its Identity
 * (one per tensor the gradient tape saves) copies. `initBackend('wasm')` calls this; call it yourself only when activating wasm
 * directly. Idempotent.
 */
export function registerWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    // A replaced stock kernel's setup (binding its wasm function) must still run: ours may call it.
    const setupFunc = tf.getKernel(config.kernelName, 'wasm')?.setupFunc;
    replaceKernel(setupFunc ? { ...config, setupFunc } : config);
  }
}
