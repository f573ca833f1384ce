/**
 * @convkit/layers: serializable tfjs-layers building blocks for convolutional networks.
 * Register the classes with `registry.use(plugin)` before loading a saved model that uses them.
 * @packageDocumentation
 */
export { ConvkitLayer, type ConvkitLayerArgs } from './base/convkit-layer.js';
export type { IntPair, Padding2d } from './base/geometry.js';
export type { Fans, InitializerConfig, InitializerSpec } from './base/initializers.js';
export { LocalResponseNorm, type LocalResponseNormArgs, type LrnConvention } from './normalization/local-response-norm.js';
export { plugin } from './plugin.js';
export { adaptiveBins, type Bin } from './pooling/adaptive-bins.js';
export { AdaptiveAvgPool2d, AdaptiveMaxPool2d, type AdaptivePool2dArgs } from './pooling/adaptive-pool2d.js';
