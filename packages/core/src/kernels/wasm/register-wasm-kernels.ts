import type * as tf from '@tensorflow/tfjs-core';
import { replaceKernel } from '../replace-kernel.js';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterWasm } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputWasm } from './depthwise-backprop-input.js';
import { keepStockTile, tileWasm } from './tile.js';

/** The kernels convkit adds to (or replaces in) tfjs-backend-wasm for training. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInputWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: depthwiseBackpropFilterWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: depthwiseBackpropInputWasm },
  { kernelName: 'Tile', backendName: 'wasm', kernelFunc: tileWasm },
];

/**
 * Registers convkit's training kernels for the `wasm` backend, so that it can train CNNs: stock
 * tfjs-backend-wasm lacks the filter and depthwise gradients, runs the input gradient as a scalar
 * loop, and its Tile (hit by every batch-norm gradient) is a scalar index loop too. `initBackend('wasm')` calls this; call it yourself only when activating wasm directly.
 * Idempotent.
 */
export function registerWasmKernels(): void {
  keepStockTile();
  for (const config of WASM_KERNELS) replaceKernel(config);
}
