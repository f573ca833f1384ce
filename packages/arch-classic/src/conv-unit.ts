import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';

/** Batch normalization settings of a {@link convUnit}, in PyTorch's terms so imported weights behave alike. */
export interface BatchNormSettings {
  /** Added to the variance; PyTorch's default is 1e-5, torchvision's GoogLeNet uses 1e-3. */
  epsilon: number;
}

/** PyTorch's BatchNorm2d default epsilon. */
export const TORCH_BATCH_NORM: BatchNormSettings = { epsilon: 1e-5 };

/** One convolution of a {@link convUnit}. */
export interface ConvUnitSpec {
  filters: number;
  kernelSize: number;
  strides?: number;
  /** `same` keeps the size at stride 1 (odd kernels pad symmetrically, as PyTorch's `padding=k//2`). */
  padding: 'same' | 'valid';
  /** Whether the convolution has a bias; torchvision drops it before batch norm only in some models. */
  useBias: boolean;
  /** Batch normalization after the convolution, or none. */
  batchNorm?: BatchNormSettings;
  activation: 'relu' | 'tanh';
}

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
    activation: batchNorm ? 'linear' : activation,
  });
  const convolved = conv.apply(x) as SymbolicTensor;
  if (!batchNorm) return convolved;
  // PyTorch's momentum 0.1 weighs the new batch; Keras's momentum weighs the old average, hence 0.9.
  const normalized = layers.batchNormalization({ name: `${name}.bn`, epsilon: batchNorm.epsilon, momentum: 0.9 }).apply(convolved);
  return layers.activation({ name: `${name}.${activation}`, activation }).apply(normalized) as SymbolicTensor;
}
