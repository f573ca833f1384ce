import * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import { replaceKernel } from '../replace-kernel.js';
import { batchNormTrainingGradWasm, batchNormTrainingWasm } from '../wasm/batch-norm-training.js';
import { activationGradientLoop, FUSED_ACTIVATION_GRADIENTS, fusedActivationGradient } from './activation-gradients.js';
import { batchNormGradientLoops, batchNormLoops } from './batch-norm-loops.js';
import {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingAttrs,
  batchNormTrainingGradient,
} from './batch-norm-training.js';
import { fusedConv2dGradient, recordingFusedConv2D, recordingIdentity } from './fused-conv-gradient.js';
import { runHostKernel } from './host-tensors.js';
import { activationGradTensorflow, batchNormTrainingGradTensorflow, batchNormTrainingTensorflow } from './tensorflow-fused-kernels.js';

type HostBackend = 'cpu' | 'wasm';

function batchNormHost(backendName: HostBackend): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const { x, scale, offset, movingMean, movingVariance } = inputs as Record<string, tf.TensorInfo>;
    const { epsilon, momentum } = attrs as unknown as BatchNormTrainingAttrs;
    const channels = (x as tf.TensorInfo).shape.at(-1) as number;
    const operands = [x, scale, offset, movingMean, movingVariance] as tf.TensorInfo[];
    const shapes = [(x as tf.TensorInfo).shape, [channels], [channels], [channels], [channels]];
    return runHostKernel(backendName, backend, operands, shapes, (ins, outs) => batchNormLoops(ins, outs, channels, epsilon, momentum));
  };
}

function batchNormGradHost(backendName: HostBackend): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const { dy, x, scale, savedMean, savedVariance } = inputs as Record<string, tf.TensorInfo>;
    const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
    const channels = (x as tf.TensorInfo).shape.at(-1) as number;
    const operands = [dy, x, scale, savedMean, savedVariance] as tf.TensorInfo[];
    const shapes = [(x as tf.TensorInfo).shape, [channels], [channels]];
    return runHostKernel(backendName, backend, operands, shapes, (ins, outs) => batchNormGradientLoops(ins, outs, channels, epsilon));
  };
}

function activationGradHost(backendName: HostBackend, kernel: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const { dy, v } = inputs as Record<'dy' | 'v', tf.TensorInfo>;
    const alpha = (attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    const [dx] = runHostKernel(backendName, backend, [dy, v], [dy.shape], ([g, value], [out]) =>
      activationGradientLoop(kernel, g as Float32Array, value as Float32Array, out as Float32Array, alpha),
    );
    return dx as tf.TensorInfo;
  };
}

/** convkit's fused training kernels for one backend: batch norm forward and gradient, activation gradients. */
export function fusedKernels(backendName: string): tf.KernelConfig[] {
  if (backendName === 'tensorflow') {
    return [
      { kernelName: BATCH_NORM_TRAINING, backendName, kernelFunc: batchNormTrainingTensorflow as tf.KernelFunc },
      { kernelName: BATCH_NORM_TRAINING_GRAD, backendName, kernelFunc: batchNormTrainingGradTensorflow as tf.KernelFunc },
      ...FUSED_ACTIVATION_GRADIENTS.map((entry) => ({
        kernelName: entry.kernel,
        backendName,
        kernelFunc: activationGradTensorflow(entry),
      })),
    ];
  }
  if (backendName !== 'cpu' && backendName !== 'wasm') return [];
  const wasm = backendName === 'wasm';
  return [
    {
      kernelName: BATCH_NORM_TRAINING,
      backendName,
      kernelFunc: wasm ? (batchNormTrainingWasm as tf.KernelFunc) : batchNormHost(backendName),
    },
    {
      kernelName: BATCH_NORM_TRAINING_GRAD,
      backendName,
      kernelFunc: wasm ? (batchNormTrainingGradWasm as tf.KernelFunc) : batchNormGradHost(backendName),
    },
    ...FUSED_ACTIVATION_GRADIENTS.map((entry) => ({
      kernelName: entry.kernel,
      backendName,
      kernelFunc: activationGradHost(backendName, entry.kernel),
    })),
  ];
}

// The recording wrappers convkit put around a backend's own kernels, by backend and kernel name.
const recorders = new Map<string, tf.KernelFunc>();

/**
 * Wraps `backendName`'s own FusedConv2D and Identity kernels so that the fused conv2d gradient knows
 * each forward call's attributes (see fused-conv-gradient.ts). Values are untouched. Idempotent.
 */
function installRecorders(backendName: string): void {
  for (const [kernelName, wrap] of [
    ['FusedConv2D', recordingFusedConv2D],
    ['Identity', recordingIdentity],
  ] as const) {
    const key = `${backendName}/${kernelName}`;
    const current = tf.getKernel(kernelName, backendName);
    if (!current || current.kernelFunc === recorders.get(key)) continue;
    const recorder = wrap(current.kernelFunc);
    recorders.set(key, recorder);
    replaceKernel({ ...current, kernelFunc: recorder });
  }
}

// The activation gradients convkit installed, to tell them from tfjs's own (which loading tfjs-node
// registers again) and to keep re-registration idempotent.
const installed = new Map<string, tf.GradConfig>();

/**
 * Registers convkit's fused training kernels for `backendName` (tensorflow, wasm or cpu; others get
 * none) and routes the activations' gradients through them, keeping tfjs's gradient for backends
 * without them. Also replaces tfjs's fused conv2d gradient by one that computes only the gradients
 * the tape asks for (see {@link fusedConv2dGradient}), recording the forward attributes it needs on
 * every backend registered so far. `initBackend` calls this after activating a backend: loading tfjs-node re-registers
 * tfjs's gradients, so the routing must come after it. Idempotent.
 */
export function registerFusedKernels(backendName: string): void {
  for (const config of fusedKernels(backendName)) replaceKernel(config);
  if (!tf.getGradient(BATCH_NORM_TRAINING)) tf.registerGradient(batchNormTrainingGradient);
  // Every backend registered by now, so a later tf.setBackend to one of them still finds its records.
  for (const name of Object.keys(tf.engine().registryFactory)) installRecorders(name);
  if (tf.getGradient(fusedConv2dGradient.kernelName) !== fusedConv2dGradient) tf.registerGradient(fusedConv2dGradient);
  for (const entry of FUSED_ACTIVATION_GRADIENTS) {
    const current = tf.getGradient(entry.forward);
    if (!current || current === installed.get(entry.forward)) continue;
    const fused = fusedActivationGradient(entry, current);
    installed.set(entry.forward, fused);
    tf.registerGradient(fused);
  }
}

/**
 * Takes convkit's fused training kernels off `backendName`: batch norm and the activation gradients
 * then run as tfjs's own ops again, as before `initBackend`. For comparing the two paths (the tests
 * do) and measuring what fusion gains; {@link registerFusedKernels} puts them back.
 */
export function unregisterFusedKernels(backendName: string): void {
  for (const { kernelName } of fusedKernels(backendName)) {
    if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  }
}
