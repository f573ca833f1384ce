import { type BatchNormOptions, batchNorm as torchBatchNorm } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KERNEL_INITIALIZER } from './initializers.js';

/** One convolution of a {@link convUnit}. */
export interface ConvUnitSpec {
  filters: number;
  kernelSize: number;
  strides?: number;
  /** `same` keeps the size at stride 1 (odd kernels pad symmetrically, as PyTorch's `padding=k//2`). */
  padding: 'same' | 'valid';
  /** Whether the convolution has a bias; torchvision drops it before batch norm only in some models. */
  useBias: boolean;
  /**
   * Batch normalization after the convolution, in PyTorch's terms (`{}`: its defaults, eps 1e-5 and
   * momentum 0.1, so imported weights and training behave alike), or none.
   */
  batchNorm?: Omit<BatchNormOptions, 'name'>;
  activation: 'relu' | 'tanh';
}

/** How a network's convolutions are normalized: bias and batch norm, the part of a {@link ConvUnitSpec} a whole network shares. */
export type ConvNormalization = Pick<ConvUnitSpec, 'useBias' | 'batchNorm'>;

/**
 * Convolution, optional batch normalization and activation, applied to `x`. The convolution is named
 * `name`, so weights keep the paper's layer names; with batch norm the normalization and activation
 * follow as `name.bn` and `name.relu` (or `name.tanh`), without it the activation is fused into the
 * convolution, which tfjs runs as one kernel.
 */
export function convUnit(x: SymbolicTensor, name: string, spec: ConvUnitSpec): SymbolicTensor {
  const { batchNorm, activation } = spec;
  const conv = layers.conv2d({
    name,
    filters: spec.filters,
    kernelSize: spec.kernelSize,
    strides: spec.strides ?? 1,
    padding: spec.padding,
    useBias: spec.useBias,
    kernelInitializer: KERNEL_INITIALIZER,
    activation: batchNorm ? 'linear' : activation,
  });
  const convolved = conv.apply(x) as SymbolicTensor;
  if (!batchNorm) return convolved;
  const normalized = torchBatchNorm({ ...batchNorm, name: `${name}.bn` }).apply(convolved);
  return layers.activation({ name: `${name}.${activation}`, activation }).apply(normalized) as SymbolicTensor;
}
