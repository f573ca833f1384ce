import * as tf from '@tensorflow/tfjs-core';

// The kernel functions replaceKernel took out, by backend and kernel name.
const replaced = new Map<string, tf.KernelFunc>();

/**
 * Registers `config`, replacing a kernel already registered under the same name and backend (tfjs
 * would otherwise warn and keep both in a confusing order), and remembers the replaced kernel for
 * {@link replacedKernel}. Returns whether it replaced one.
 */
export function replaceKernel(config: tf.KernelConfig): boolean {
  const existing = tf.getKernel(config.kernelName, config.backendName);
  if (existing) {
    // Registering again (registration is idempotent) finds convkit's own kernel, not the stock one.
    if (existing.kernelFunc !== config.kernelFunc) replaced.set(`${config.backendName}/${config.kernelName}`, existing.kernelFunc);
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
  return existing !== undefined;
}

/** The kernel that {@link replaceKernel} replaced, for a replacement that hands some cases back to it. */
export function replacedKernel(kernelName: string, backendName: string): tf.KernelFunc | undefined {
  return replaced.get(`${backendName}/${kernelName}`);
}

/** What tfjs passes to a kernel function: inputs, the backend instance and attributes. */
export type KernelParams = Parameters<tf.KernelFunc>[0];
