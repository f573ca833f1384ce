import type * as tf from '@tensorflow/tfjs-core';
import { replaceKernel } from '../replace-kernel.js';
import { avgPoolGradTensorflow, avgPoolTensorflow } from './halving-avg-pool.js';
import { conv2dBackpropFilterTensorflow } from './pointwise-strided-filter-gradient.js';
import { SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropyTensorflow } from './softmax-cross-entropy.js';

/**
 * Registers convkit's kernels on tfjs-node: replacements for the strided 1x1 filter gradient, which
 * libtensorflow 2.9.1 gets wrong, and for the 2x2 average pool and its gradient, which it runs slowly
 * on few channels; and convkit's own softmax cross-entropy kernel, one libtensorflow op. The
 * tensorflow loaders call this on activation. Idempotent.
 */
export function registerTensorflowKernels(): void {
  replaceKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'tensorflow', kernelFunc: conv2dBackpropFilterTensorflow });
  replaceKernel({ kernelName: 'AvgPool', backendName: 'tensorflow', kernelFunc: avgPoolTensorflow });
  replaceKernel({ kernelName: 'AvgPoolGrad', backendName: 'tensorflow', kernelFunc: avgPoolGradTensorflow });
  replaceKernel({
    kernelName: SOFTMAX_CROSS_ENTROPY,
    backendName: 'tensorflow',
    kernelFunc: softmaxCrossEntropyTensorflow as tf.KernelFunc,
  });
}
