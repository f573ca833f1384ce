import * as tf from '@tensorflow/tfjs-core';
import type { KernelParams } from '../replace-kernel.js';
import type { FusedActivationGradient } from './activation-gradients.js';
import type { BatchNormTrainingAttrs } from './batch-norm-training.js';

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

/** The part of tfjs-node's NodeJSKernelBackend that runs any TensorFlow op by name. */
export interface TensorflowBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], outputs: number): tf.Tensor[];
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
}

function floatTypes(binding: TensorflowBackend['binding'], names: string[]): OpAttr[] {
  return names.map((name) => ({ name, type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT }));
}

function batchNormAttrs(b: TensorflowBackend['binding'], epsilon: number): OpAttr[] {
  return [
    ...floatTypes(b, ['T', 'U']),
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
  ];
}

/**
 * Training batch norm as TensorFlow's FusedBatchNormV3: its `exponential_avg_factor` moves the running
 * statistics (given as the mean and variance inputs) by the batch weight in the same kernel, with the
 * unbiased variance. The third reserve space (empty on CPU) is dropped; the gradient makes it again.
 */
export function batchNormTrainingTensorflow({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { x, scale, offset, movingMean, movingVariance } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon, momentum } = attrs as unknown as BatchNormTrainingAttrs;
  const node = backend as unknown as TensorflowBackend;
  const b = node.binding;
  const opAttrs = [...batchNormAttrs(b, epsilon), { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: momentum }];
  const outs = node.executeMultipleOutputs(
    'FusedBatchNormV3',
    opAttrs,
    [x, scale, offset, movingMean, movingVariance] as tf.TensorInfo[],
    6,
  );
  (outs[5] as tf.Tensor).dispose();
  return outs.slice(0, 5);
}

/** The gradient of {@link batchNormTrainingTensorflow} as TensorFlow's FusedBatchNormGradV3. */
export function batchNormTrainingGradTensorflow({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const { dy, x, scale, savedMean, savedVariance } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const node = backend as unknown as TensorflowBackend;
  const reserve = tf.tensor1d([]);
  const operands = [dy, x, scale, savedMean, savedVariance, reserve] as tf.TensorInfo[];
  const outs = node.executeMultipleOutputs('FusedBatchNormGradV3', batchNormAttrs(node.binding, epsilon), operands, 5);
  reserve.dispose();
  tf.dispose(outs.slice(3));
  return outs.slice(0, 3);
}

/** The kernel function running `entry`'s gradient as TensorFlow's own op (ReluGrad, TanhGrad...). */
export function activationGradTensorflow(entry: FusedActivationGradient): tf.KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const operands = inputs as Record<'dy' | 'v', tf.TensorInfo>;
    const node = backend as unknown as TensorflowBackend;
    const opAttrs = floatTypes(node.binding, ['T']);
    if (entry.forward === 'LeakyRelu') {
      opAttrs.push({ name: 'alpha', type: node.binding.TF_ATTR_FLOAT, value: (attrs as { alpha: number }).alpha });
    }
    if (entry.forward === 'Relu6') return relu6GradTensorflow(node, opAttrs, operands.dy, operands.v);
    return node.executeSingleOutput(
      entry.tensorflowOp,
      opAttrs,
      entry.tensorflowOrder.map((k) => operands[k]),
    );
  };
}

/**
 * ReLU6's gradient as TensorFlow's ReluGrad of `min(x, 6 − x)`, which is positive exactly where
 * 0 < x < 6 (6 − x is exact in float32 for x in [3, 6], by Sterbenz's lemma, and above 3 elsewhere):
 * libtensorflow 2.9.1's own Relu6Grad ran 4x slower than its ReluGrad (64x32x32x96, median of 21:
 * 38 against 8.6 ms), the slowest kernel of a MobileNet v2 step (35 calls, 91 of 395 ms).
 */
function relu6GradTensorflow(node: TensorflowBackend, opAttrs: OpAttr[], dy: tf.TensorInfo, x: tf.TensorInfo): tf.TensorInfo {
  const six = tf.scalar(6);
  const room = node.executeSingleOutput('Sub', opAttrs, [six, x]);
  const margin = node.executeSingleOutput('Minimum', opAttrs, [x, room]);
  const dx = node.executeSingleOutput('ReluGrad', opAttrs, [dy, margin]);
  // tfjs-node returns engine tensors, so these are freed through the engine.
  tf.dispose([six, room, margin]);
  return dx;
}
