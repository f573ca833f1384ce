import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { ActivationSpec } from '../activations/activation-functions.js';
import type { IntPair } from '../base/geometry.js';
import type { InitializerSpec } from '../base/initializers.js';
import type { BatchNormOptions } from '../normalization/batch-norm.js';
import { convBnAct } from './conv-bn-act.js';

/** Options of {@link depthwiseSeparable}. */
export interface DepthwiseSeparableOptions {
  /** Output channels of the pointwise step. */
  filters: number;
  /** Depthwise kernel; default 3. */
  kernelSize?: IntPair;
  strides?: IntPair;
  dilation?: IntPair;
  /**
   * Where BN and activation go:
   * - `'mobilenet'` (default): depthwise, BN, act, then pointwise, BN, act (Howard et al., 2017, Fig. 3);
   *   layers `${prefix}.dw.conv|bn|act` and `${prefix}.pw.conv|bn|act`;
   * - `'xception'`: depthwise and pointwise back to back, then BN and act (Chollet, 2017);
   *   layers `${prefix}.conv|bn|act`.
   */
  placement?: 'mobilenet' | 'xception';
  /** Default `'relu'` (MobileNet v1 uses ReLU6 in many ports: pass `'relu6'`). */
  activation?: ActivationSpec | null;
  norm?: Omit<BatchNormOptions, 'name'>;
  /** Kernel initializer of both convolutions; default `'heNormalFanOut'` (torchvision's). */
  kernelInitializer?: InitializerSpec;
}

/** A depthwise-separable convolution block with MobileNet's or Xception's BN/activation placement. */
export function depthwiseSeparable(prefix: string, options: DepthwiseSeparableOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { filters, kernelSize = 3, placement = 'mobilenet', norm = {} } = options;
  const activation = options.activation === undefined ? 'relu' : options.activation;
  const { kernelInitializer } = options;
  const spatial = { kernelSize, strides: options.strides ?? 1, dilation: options.dilation ?? 1, norm, activation, kernelInitializer };
  if (placement === 'xception') return convBnAct(prefix, { ...spatial, conv: 'separable', filters });
  const depthwise = convBnAct(`${prefix}.dw`, { ...spatial, conv: 'depthwise' });
  const pointwise = convBnAct(`${prefix}.pw`, { filters, kernelSize: 1, norm, activation, kernelInitializer });
  return (x) => pointwise(depthwise(x));
}
