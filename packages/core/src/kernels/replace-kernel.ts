import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers `config`, replacing a kernel already registered under the same name and backend (tfjs
 * would otherwise warn and keep both in a confusing order). Returns whether it replaced one.
 */
export function replaceKernel(config: tf.KernelConfig): boolean {
  const existed = tf.getKernel(config.kernelName, config.backendName) !== undefined;
  if (existed) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  return existed;
}

/** What tfjs passes to a kernel function: inputs, the backend instance and attributes. */
export type KernelParams = Parameters<tf.KernelFunc>[0];
