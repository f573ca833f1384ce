import { replaceKernel } from '../replace-kernel.js';
import { avgPoolGradTensorflow, avgPoolTensorflow } from './halving-avg-pool.js';
import { conv2dBackpropFilterTensorflow } from './pointwise-strided-filter-gradient.js';

/**
 * Registers convkit's replacements for tfjs-node kernels: the strided 1x1 filter gradient, which
 * libtensorflow 2.9.1 gets wrong, and the 2x2 average pool and its gradient, which it runs slowly on
 * few channels. The tensorflow loaders call this on activation. Idempotent.
 */
export function registerTensorflowKernels(): void {
  replaceKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'tensorflow', kernelFunc: conv2dBackpropFilterTensorflow });
  replaceKernel({ kernelName: 'AvgPool', backendName: 'tensorflow', kernelFunc: avgPoolTensorflow });
  replaceKernel({ kernelName: 'AvgPoolGrad', backendName: 'tensorflow', kernelFunc: avgPoolGradTensorflow });
}
