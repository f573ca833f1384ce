import { definePlugin } from '@convkit/core';
import { Activation } from './activations/activation.js';
import { PReLU } from './activations/prelu.js';
import { ChannelShuffle } from './composition/channel-shuffle.js';
import { ZeroPadShortcut } from './composition/zero-pad-shortcut.js';
import { ConvTranspose2d } from './conv/conv-transpose2d.js';
import { Conv2d } from './conv/conv2d.js';
import { DepthwiseConv2d } from './conv/depthwise-conv2d.js';
import { SeparableConv2d } from './conv/separable-conv2d.js';
import { SpatiallySeparableConv2d } from './conv/spatially-separable-conv2d.js';
import { LocalResponseNorm } from './normalization/local-response-norm.js';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './pooling/adaptive-pool2d.js';
import { GlobalAvgPool2d, GlobalMaxPool2d } from './pooling/global-pool2d.js';
import { AvgPool2d, MaxPool2d } from './pooling/pool2d.js';
import { Dropout, DropPath, SpatialDropout2d } from './regularization/dropout.js';

/**
 * The layer classes of `@convkit/layers`, for `registry.use(plugin)`, which registers them with tfjs
 * serialization so saved models that use them load. Importing the package registers nothing.
 */
export const plugin = definePlugin({
  name: '@convkit/layers',
  layers: [
    Conv2d,
    DepthwiseConv2d,
    SeparableConv2d,
    SpatiallySeparableConv2d,
    ConvTranspose2d,
    MaxPool2d,
    AvgPool2d,
    GlobalAvgPool2d,
    GlobalMaxPool2d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    LocalResponseNorm,
    Activation,
    PReLU,
    Dropout,
    SpatialDropout2d,
    DropPath,
    ChannelShuffle,
    ZeroPadShortcut,
  ],
});
