import type { layers, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { activation } from '../activations/activation.js';
import type { ActivationSpec } from '../activations/activation-functions.js';
import { effectiveKernelPadding, type IntPair, type Padding2d, toPair } from '../base/geometry.js';
import type { InitializerSpec } from '../base/initializers.js';
import { Conv2d } from '../conv/conv2d.js';
import { DepthwiseConv2d } from '../conv/depthwise-conv2d.js';
import { SeparableConv2d } from '../conv/separable-conv2d.js';
import { type BatchNormOptions, batchNorm } from '../normalization/batch-norm.js';

/** Options of {@link convBnAct}. */
export interface ConvBnActOptions {
  /** Output channels (ignored by `conv: 'depthwise'`, whose output is `channels * depthMultiplier`). */
  filters?: number;
  kernelSize: IntPair;
  strides?: IntPair;
  /**
   * Default `'auto'`: PyTorch's usual `padding = dilation * (k - 1) / 2` on both sides, which keeps the
   * size at stride 1 for odd kernels and halves it exactly (ceil) at stride 2 — what torchvision's
   * models do. Any {@link Padding2d} otherwise.
   */
  padding?: Padding2d | 'auto';
  dilation?: IntPair;
  /** Channel groups of a standard convolution. */
  groups?: number;
  /** `'standard'` (default), `'depthwise'` or `'separable'` (depthwise + pointwise, Xception). */
  conv?: 'standard' | 'depthwise' | 'separable';
  /** Filters per channel of depthwise/separable convolutions; default 1. */
  depthMultiplier?: number;
  /** Activation after the norm; default `'relu'`, `null` for none (e.g. before a residual add). */
  activation?: ActivationSpec | null;
  /** Batch-norm options (`zeroInit: true` for the last BN of a residual branch); `false` for no norm, which adds a conv bias. */
  norm?: Omit<BatchNormOptions, 'name'> | false;
  /** `'post'` (conv, BN, act; default) or `'pre'` (BN, act, conv: pre-activation ResNet, DenseNet). */
  order?: 'post' | 'pre';
  /** Kernel initializer; default He normal fan-out. */
  kernelInitializer?: InitializerSpec;
}

/**
 * A convolution with its batch norm and activation, named `${prefix}.conv`, `${prefix}.bn`,
 * `${prefix}.act` (norm and activation omitted when disabled). The convolution has no bias when a
 * norm follows, since the norm's shift replaces it.
 */
export function convBnAct(prefix: string, options: ConvBnActOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { conv = 'standard', order = 'post', norm = {}, kernelSize } = options;
  const dilation = options.dilation ?? 1;
  const padding =
    options.padding === undefined || options.padding === 'auto'
      ? effectiveKernelPadding(toPair(kernelSize), toPair(dilation))
      : options.padding;
  const common = {
    name: `${prefix}.conv`,
    kernelSize,
    strides: options.strides ?? 1,
    padding,
    dilation,
    useBias: norm === false,
    ...(options.kernelInitializer ? { kernelInitializer: options.kernelInitializer } : {}),
  };
  const depthMultiplier = options.depthMultiplier ?? 1;
  const convLayer =
    conv === 'depthwise'
      ? new DepthwiseConv2d({ ...common, depthMultiplier })
      : conv === 'separable'
        ? new SeparableConv2d({ ...common, filters: options.filters as number, depthMultiplier })
        : new Conv2d({ ...common, filters: options.filters as number, groups: options.groups ?? 1 });
  const normLayer = norm === false ? undefined : batchNorm({ ...norm, name: `${prefix}.bn` });
  const actLayer = options.activation === null ? undefined : activation(options.activation ?? 'relu', `${prefix}.act`);
  const steps = (order === 'pre' ? [normLayer, actLayer, convLayer] : [convLayer, normLayer, actLayer]).filter(
    (layer): layer is layers.Layer => layer !== undefined,
  );
  return (x) => steps.reduce((y, layer) => layer.apply(y) as SymbolicTensor, x);
}
