import { definePlugin } from '@convkit/core';
import { LocalResponseNorm } from './normalization/local-response-norm.js';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './pooling/adaptive-pool2d.js';

/**
 * The layer classes of `@convkit/layers`, for `registry.use(plugin)`, which registers them with tfjs
 * serialization so saved models that use them load. Importing the package registers nothing.
 */
export const plugin = definePlugin({
  name: '@convkit/layers',
  layers: [AdaptiveAvgPool2d, AdaptiveMaxPool2d, LocalResponseNorm],
});
