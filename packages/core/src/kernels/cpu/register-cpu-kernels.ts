import type * as tf from '@tensorflow/tfjs-core';
import { replaceKernel } from '../replace-kernel.js';
import { conv2dBackpropFilterCpu } from './conv2d-backprop-filter.js';
import { depthwiseBackpropFilterCpu } from './depthwise-backprop-filter.js';

/**
 * The cpu-backend kernels convkit replaces: those that training hits and that stock
 * tfjs-backend-cpu runs more than 10x slower than their forward op.
 */
export const CPU_KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', kernelFunc: conv2dBackpropFilterCpu },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'cpu', kernelFunc: depthwiseBackpropFilterCpu },
];

/**
 * Registers convkit's faster cpu-backend gradient kernels. `initBackend('cpu')` calls this; call it
 * yourself only when activating the cpu backend directly. Idempotent.
 */
export function registerCpuKernels(): void {
  for (const config of CPU_KERNELS) replaceKernel(config);
}
