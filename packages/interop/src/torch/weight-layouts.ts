import * as tf from '@tensorflow/tfjs-core';

/** What a PyTorch module holding weights is, as far as layout goes. */
export type WeightKind = 'conv' | 'depthwise' | 'dense' | 'norm' | 'prelu';

/** The kind of each convkit/tfjs layer class that holds weights PyTorch also has. */
export const LAYER_KINDS: Readonly<Record<string, WeightKind>> = {
  Conv2D: 'conv',
  'convkit.Conv2d': 'conv',
  DepthwiseConv2D: 'depthwise',
  'convkit.DepthwiseConv2d': 'depthwise',
  Dense: 'dense',
  BatchNormalization: 'norm',
  'convkit.PReLU': 'prelu',
};

/** Layout facts a conversion needs beyond the tensor: a dense layer's flattened `[H, W, C]` input. */
export interface LayoutContext {
  flattenedFrom?: [number, number, number];
}

/** PyTorch's `[out, C*H*W]` dense weight (CHW flatten order) as convkit's `[H*W*C, out]` (HWC order). */
function denseKernel(weight: tf.Tensor, _target: number[], context: LayoutContext): tf.Tensor {
  const [out] = weight.shape as [number, number];
  const hwc = context.flattenedFrom;
  if (!hwc || hwc[0] * hwc[1] === 1) return tf.transpose(weight);
  const [h, w, c] = hwc;
  return tf.reshape(tf.transpose(tf.reshape(weight, [out, c, h, w]), [2, 3, 1, 0]), [h * w * c, out]);
}

/** A conversion of one PyTorch parameter into one convkit weight. */
interface ParamConversion {
  torch: string;
  /** The convkit layout of the PyTorch `value`, given the convkit weight's `target` shape. */
  convert?: (value: tf.Tensor, target: number[], context: LayoutContext) => tf.Tensor;
}

/**
 * For each kind, convkit's weight names (the part after the layer name) and the PyTorch parameter each
 * comes from, with its transpose: OIHW -> HWIO kernels (grouped ones too: `[out, in/g, kh, kw]` ->
 * `[kh, kw, in/g, out]`), depthwise `[C*m, 1, kh, kw]` -> `[kh, kw, C, m]`, linear `[out, in]` ->
 * `[in, out]`, and BatchNorm's affine parameters and running statistics.
 */
export const PARAM_CONVERSIONS: Readonly<Record<WeightKind, Readonly<Record<string, ParamConversion>>>> = {
  conv: {
    kernel: { torch: 'weight', convert: (w) => tf.transpose(w, [2, 3, 1, 0]) },
    bias: { torch: 'bias' },
  },
  depthwise: {
    depthwise_kernel: {
      torch: 'weight',
      convert: (w, target) => {
        const [kh, kw, channels, multiplier] = target as [number, number, number, number];
        return tf.transpose(tf.reshape(w, [channels, multiplier, kh, kw]), [2, 3, 0, 1]);
      },
    },
    bias: { torch: 'bias' },
  },
  dense: { kernel: { torch: 'weight', convert: denseKernel }, bias: { torch: 'bias' } },
  norm: {
    gamma: { torch: 'weight' },
    beta: { torch: 'bias' },
    moving_mean: { torch: 'running_mean' },
    moving_variance: { torch: 'running_var' },
  },
  prelu: { alpha: { torch: 'weight' } },
};

/** Kinds as PyTorch's modules show them: a depthwise convolution is an `nn.Conv2d` too. */
export type TorchKind = 'conv' | 'dense' | 'norm' | 'other';

/** The PyTorch kind of a convkit kind. */
export function asTorchKind(kind: WeightKind): TorchKind {
  return kind === 'depthwise' ? 'conv' : kind === 'prelu' ? 'other' : kind;
}

/** The kind a PyTorch module's parameters say it is, to check that positional matches line up. */
export function torchKind(params: ReadonlyMap<string, { tensor: { shape: number[] } }>): TorchKind {
  if (params.has('running_mean')) return 'norm';
  const rank = params.get('weight')?.tensor.shape.length;
  return rank === 4 ? 'conv' : rank === 2 ? 'dense' : 'other';
}
