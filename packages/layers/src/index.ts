/**
 * @convkit/layers: serializable tfjs-layers building blocks for convolutional networks.
 * Register the classes with `registry.use(plugin)` before loading a saved model that uses them.
 * @packageDocumentation
 */
export { Activation, type ActivationArgs, activation } from './activations/activation.js';
export {
  ACTIVATION_NAMES,
  type ActivationOptions,
  type ActivationSpec,
  applyActivation,
  canonicalActivation,
  resolveActivation,
} from './activations/activation-functions.js';
export { PReLU, type PReLUArgs } from './activations/prelu.js';
export { type ConvArgs, type ConvCost, ConvLayer, type FiltersConvArgs, FiltersConvLayer } from './base/conv-layer.js';
export { ConvkitLayer, type ConvkitLayerArgs, type Nhwc } from './base/convkit-layer.js';
export { effectiveKernelPadding, type IntPair, type Padding2d, type Pads } from './base/geometry.js';
export type { Fans, InitializerConfig, InitializerSpec } from './base/initializers.js';
export { type SlidingWindowArgs, SlidingWindowLayer, type WindowPlan } from './base/sliding-window-layer.js';
export type { ConvCall } from './base/window-ops.js';
export { type AfterBlockSlot, afterBlock, afterBlockOption, type BlockSite } from './composition/after-block-slot.js';
export { type AttentionSlot, attentionOption } from './composition/attention-slot.js';
export { ChannelShuffle, type ChannelShuffleArgs, channelShuffle } from './composition/channel-shuffle.js';
export { type ClassifierHeadSpec, classifierHead, denseLayer } from './composition/classifier-head.js';
export { type ConvBnActOptions, convBnAct, type UnitOrder } from './composition/conv-bn-act.js';
export {
  type DenseBlockOptions,
  type DenseTransitionOptions,
  denseBlock,
  denseTransition,
} from './composition/dense-block.js';
export { type DepthwiseSeparableOptions, depthwiseSeparable } from './composition/depthwise-separable.js';
export { requireInputAtLeast } from './composition/input-size.js';
export { type InvertedResidualNaming, type InvertedResidualOptions, invertedResidual } from './composition/inverted-residual.js';
export { makeDivisible } from './composition/make-divisible.js';
export { channelConcat, type ResidualAddOptions, residualAdd } from './composition/merge.js';
export { type ResidualShortcutOptions, residualShortcut, type ShortcutKind } from './composition/residual-shortcut.js';
export { WEIGHT_INITS, type WeightInit } from './composition/weight-init.js';
export { dropoutOption, dropPathOption, dropPathRate, scaleWidth, widthMultiplierOption } from './composition/width-options.js';
export { ZeroPadShortcut, type ZeroPadShortcutArgs } from './composition/zero-pad-shortcut.js';
export { ConvTranspose2d, type ConvTranspose2dArgs } from './conv/conv-transpose2d.js';
export { Conv2d, type Conv2dArgs } from './conv/conv2d.js';
export { DepthwiseConv2d, type DepthwiseConv2dArgs } from './conv/depthwise-conv2d.js';
export { SeparableConv2d, type SeparableConv2dArgs } from './conv/separable-conv2d.js';
export { SpatiallySeparableConv2d, type SpatiallySeparableConv2dArgs } from './conv/spatially-separable-conv2d.js';
export { type BatchNormOptions, batchNorm } from './normalization/batch-norm.js';
export { type LayerNormOptions, layerNorm } from './normalization/layer-norm.js';
export { LocalResponseNorm, type LocalResponseNormArgs, type LrnConvention } from './normalization/local-response-norm.js';
export { plugin } from './plugin.js';
export { adaptiveBins, type Bin } from './pooling/adaptive-bins.js';
export { AdaptiveAvgPool2d, AdaptiveMaxPool2d, type AdaptivePool2dArgs } from './pooling/adaptive-pool2d.js';
export { GlobalAvgPool2d, GlobalMaxPool2d, type GlobalPool2dArgs } from './pooling/global-pool2d.js';
export { AvgPool2d, type AvgPool2dArgs, MaxPool2d, type Pool2dArgs } from './pooling/pool2d.js';
export { Dropout, DropPath, SpatialDropout2d } from './regularization/dropout.js';
export { RandomDrop, type RandomDropArgs } from './regularization/random-drop.js';
