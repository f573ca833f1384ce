import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { activation } from '../activations/activation.js';
import { type ActivationSpec, resolveActivation } from '../activations/activation-functions.js';
import { effectiveKernelPadding, type IntPair, type Padding2d, toPair } from '../base/geometry.js';
import { type InitializerSpec, resolveInitializer } from '../base/initializers.js';
import { Conv2d } from '../conv/conv2d.js';
import { DepthwiseConv2d } from '../conv/depthwise-conv2d.js';
import { SeparableConv2d } from '../conv/separable-conv2d.js';
import { type BatchNormOptions, batchNorm } from '../normalization/batch-norm.js';

/**
 * Where the norm and activation sit around the convolution:
 * - `'post'`: conv, norm, activation (ResNet, VGG-BN, MobileNet);
 * - `'pre'`: norm, activation, conv (pre-activation ResNet, DenseNet);
 * - `'relu-conv-bn'`: activation, conv, norm (the DARTS search space's ReLU-Conv-BN ops).
 */
export type UnitOrder = 'post' | 'pre' | 'relu-conv-bn';

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
  /** Channel groups of a standard convolution (ResNeXt's cardinality). */
  groups?: number;
  /** `'standard'` (default), `'depthwise'` or `'separable'` (depthwise + pointwise, Xception). */
  conv?: 'standard' | 'depthwise' | 'separable';
  /** Filters per channel of depthwise/separable convolutions; default 1. */
  depthMultiplier?: number;
  /** Activation; default `'relu'`, `null` for none (e.g. before a residual add: a linear bottleneck). */
  activation?: ActivationSpec | null;
  /**
   * Batch-norm options (`zeroInit: true` for the last BN of a residual branch, `affine: false` for a
   * norm without learned scale and shift); `false` for no norm.
   */
  norm?: Omit<BatchNormOptions, 'name'> | false;
  /** Order of conv, norm and activation; default `'post'`. See {@link UnitOrder}. */
  order?: UnitOrder;
  /** Whether the convolution has a bias; default only without a norm, whose shift replaces it (VGG-BN keeps both). */
  useBias?: boolean;
  /**
   * Kernel initializer; default `'heNormalFanOut'` (torchvision's). Each architecture family states
   * its own (see `WeightInit`).
   */
  kernelInitializer?: InitializerSpec;
  /**
   * Layer names, each defaulting to `${prefix}.conv`, `${prefix}.bn` and `${prefix}.act`: give
   * torchvision's module paths (`layer1.0.conv1`, `layer1.0.bn1`) so a PyTorch state_dict maps by name.
   */
  names?: { conv?: string; norm?: string; act?: string };
}

/** Activations that tfjs's own convolution layers apply in the same kernel, with convkit's meaning. */
const FUSABLE_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'tanh', 'sigmoid', 'selu']);

/**
 * TensorFlow's padding word for a PyTorch geometry when the two compute the same thing, so tfjs's own
 * layer (one fused kernel, no padding op) can run it: no padding is `'valid'` at any stride, and
 * `(k - 1) / 2` on both sides of an odd kernel at stride 1 is `'same'`. Stride-2 padding and
 * dilations have no TensorFlow equivalent (TF pads bottom/right more), so those return undefined.
 */
function tensorflowPadding(kernel: [number, number], strides: [number, number], dilation: [number, number], padding: Padding2d) {
  if (dilation.some((d) => d !== 1)) return undefined;
  if (padding === 'same' || padding === 'valid') return padding;
  const pads = typeof padding === 'number' ? [padding, padding, padding, padding] : padding.flatMap((p) => toPair(p as IntPair));
  if (pads.every((p) => p === 0)) return 'valid';
  const centred =
    kernel.every((k, axis) => k % 2 === 1 && strides[axis] === 1) &&
    pads.every((p, i) => p === ((kernel[i < 2 ? 0 : 1] as number) - 1) / 2);
  return centred ? 'same' : undefined;
}

/** The convolution layer of a unit with `channels` input channels, applying `fused` itself when given. */
function convolution(options: ConvBnActOptions, name: string, channels: number, useBias: boolean, fused: string | undefined): layers.Layer {
  const { conv = 'standard', kernelSize } = options;
  const kernel = toPair(kernelSize);
  const strides = toPair(options.strides ?? 1);
  const dilation = toPair(options.dilation ?? 1);
  const padding = options.padding === undefined || options.padding === 'auto' ? effectiveKernelPadding(kernel, dilation) : options.padding;
  const initializer = options.kernelInitializer ?? 'heNormalFanOut';
  const depthMultiplier = options.depthMultiplier ?? 1;
  const filters = options.filters as number;
  const groups = options.groups ?? 1;
  const tfPadding = tensorflowPadding(kernel, strides, dilation, padding);
  const area = kernel[0] * kernel[1];
  if (tfPadding && conv === 'standard' && groups === 1) {
    const kernelInitializer = resolveInitializer(initializer, { fanIn: channels * area, fanOut: filters * area });
    return layers.conv2d({
      name,
      filters,
      kernelSize: kernel,
      strides,
      padding: tfPadding,
      useBias,
      kernelInitializer,
      activation: fused as 'relu',
    });
  }
  if (tfPadding && conv === 'depthwise') {
    const fans = { fanIn: area, fanOut: channels * depthMultiplier * area };
    const depthwiseInitializer = resolveInitializer(initializer, fans);
    return layers.depthwiseConv2d({
      name,
      kernelSize: kernel,
      strides,
      padding: tfPadding,
      depthMultiplier,
      useBias,
      depthwiseInitializer,
      activation: fused as 'relu',
    });
  }
  const common = { name, kernelSize, strides, padding, dilation, useBias, kernelInitializer: initializer };
  if (conv === 'depthwise') return new DepthwiseConv2d({ ...common, depthMultiplier });
  if (conv === 'separable') return new SeparableConv2d({ ...common, filters, depthMultiplier });
  return new Conv2d({ ...common, filters, groups });
}

/**
 * The conv/norm/activation unit every convkit architecture is built from: a convolution with its
 * batch norm and activation in any {@link UnitOrder}, named `${prefix}.conv`, `${prefix}.bn`,
 * `${prefix}.act` unless `names` says otherwise (norm and activation omitted when disabled).
 *
 * The convolution is tfjs's own layer where TensorFlow's padding computes PyTorch's (stride 1 odd
 * kernels, unpadded convolutions), which runs as one fused kernel; otherwise convkit's `Conv2d` /
 * `DepthwiseConv2d` pad exactly as PyTorch does (stride-2 padding, dilation, groups). Without a norm,
 * a post-order activation that tfjs applies identically is fused into the convolution, and the unit is
 * one layer named as the convolution. The layers are made when the unit is first applied (the input's
 * channels set the initializer's fans); applying it again reuses them, sharing their weights.
 */
export function convBnAct(prefix: string, options: ConvBnActOptions): (x: SymbolicTensor) => SymbolicTensor {
  const { order = 'post', norm = {} } = options;
  const names = { conv: `${prefix}.conv`, norm: `${prefix}.bn`, act: `${prefix}.act`, ...options.names };
  const useBias = options.useBias ?? norm === false;
  const activationSpec = options.activation === undefined ? 'relu' : options.activation;
  const canonical = activationSpec === null ? undefined : resolveActivation(activationSpec).name;
  const fused = norm === false && order === 'post' && canonical !== undefined && FUSABLE_ACTIVATIONS.has(canonical) ? canonical : undefined;
  let steps: layers.Layer[] | undefined;
  const makeSteps = (channels: number): layers.Layer[] => {
    const convLayer = convolution(options, names.conv, channels, useBias, fused);
    const normLayer = norm === false ? undefined : batchNorm({ ...norm, name: names.norm });
    const actLayer = activationSpec === null || fused ? undefined : activation(activationSpec, names.act);
    const ordered = {
      post: [convLayer, normLayer, actLayer],
      pre: [normLayer, actLayer, convLayer],
      'relu-conv-bn': [actLayer, convLayer, normLayer],
    }[order];
    return ordered.filter((layer): layer is layers.Layer => layer !== undefined);
  };
  return (x) => {
    steps ??= makeSteps(x.shape[x.shape.length - 1] as number);
    return steps.reduce((y, layer) => layer.apply(y) as SymbolicTensor, x);
  };
}
