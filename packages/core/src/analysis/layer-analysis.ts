import type { layers } from '@tensorflow/tfjs-layers';
import { convMacs, denseMacs } from './cost-formulas.js';

type Layer = layers.Layer;

/** A tensor shape as tfjs-layers reports it (`null` for the batch axis). */
export type Shape = (number | null)[];

/** The sliding window of a convolution or pooling layer, per spatial axis (height, width). */
export interface SlidingWindow {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
}

/** What the analysis needs to know of one layer. */
export interface LayerAnalysis {
  /** Multiply–accumulates (or one op per element for element-wise layers) of one forward pass of one image. */
  macs: number;
  /** Set for layers that slide a window over the spatial axes. */
  window?: SlidingWindow;
  /** True when every output depends on the whole input (global pooling, flatten, dense on a vector). */
  global?: boolean;
  /** True when the layer class is unknown and its cost was assumed element-wise. */
  estimated?: boolean;
}

/**
 * Implemented by custom layers (convkit's own or a plugin's) so summaries, FLOP counts and
 * receptive fields cover them; layers of stock tfjs classes are analysed from their config.
 */
export interface AnalyzableLayer {
  convkitAnalysis(inputShapes: Shape[], outputShape: Shape): LayerAnalysis;
}

// Flatten is costed with the global-shape layers below.
const ZERO_COST = new Set([
  'InputLayer',
  'Reshape',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianDropout',
  'AlphaDropout',
  'GaussianNoise',
  'ZeroPadding2D',
  'Cropping2D',
  'Permute',
  'Concatenate',
  'RepeatVector',
]);
const GLOBAL_SHAPE = new Set(['Flatten', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D']);
const MERGES = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Subtract']);
/** Known layers that do about one op per output element. */
const ELEMENTWISE = new Set([
  'BatchNormalization',
  'LayerNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'UpSampling2D',
]);

function product(shape: Shape, from = 1): number {
  return shape.slice(from).reduce<number>((acc, d) => acc * (d ?? 1), 1);
}

function pair(value: unknown, fallback = 1): [number, number] {
  if (Array.isArray(value)) return [Number(value[0] ?? fallback), Number(value[1] ?? value[0] ?? fallback)];
  if (typeof value === 'number') return [value, value];
  return [fallback, fallback];
}

function windowOf(config: Record<string, unknown>, kernelKey: string): SlidingWindow {
  const kernel = pair(config[kernelKey]);
  // tfjs pooling layers default strides to the pool size.
  const stride = config.strides == null ? kernel : pair(config.strides);
  return { kernel, stride, dilation: pair(config.dilationRate) };
}

function isAnalyzable(layer: Layer): layer is Layer & AnalyzableLayer {
  return typeof (layer as Partial<AnalyzableLayer>).convkitAnalysis === 'function';
}

/**
 * Cost and geometry of one layer given its input shapes and output shape (batch axis included).
 * Conventions: convolutions and dense layers count multiply–accumulates, bias adds excluded (as the
 * published figures do); pooling counts one op per window element per output; batch norm, activations
 * and merges one op per output element (per extra input for merges); reshaping layers cost nothing.
 */
export function analyzeLayer(layer: Layer, inputShapes: Shape[], outputShape: Shape): LayerAnalysis {
  if (isAnalyzable(layer)) return layer.convkitAnalysis(inputShapes, outputShape);
  const className = layer.getClassName();
  const config = layer.getConfig() as Record<string, unknown>;
  const input = inputShapes[0] ?? [];
  const outHeight = outputShape[1] ?? 1;
  const outWidth = outputShape[2] ?? 1;
  const inChannels = input[input.length - 1] ?? 1;
  const outChannels = outputShape[outputShape.length - 1] ?? 1;
  switch (className) {
    case 'Conv2D': {
      const window = windowOf(config, 'kernelSize');
      const [kernelHeight, kernelWidth] = window.kernel;
      return { macs: convMacs({ outHeight, outWidth, kernelHeight, kernelWidth, inChannels, outChannels }), window };
    }
    case 'DepthwiseConv2D': {
      const window = windowOf(config, 'kernelSize');
      const [kernelHeight, kernelWidth] = window.kernel;
      const geometry = { outHeight, outWidth, kernelHeight, kernelWidth, inChannels, outChannels, groups: inChannels };
      return { macs: convMacs(geometry), window };
    }
    case 'SeparableConv2D': {
      const window = windowOf(config, 'kernelSize');
      const [kernelHeight, kernelWidth] = window.kernel;
      const middle = inChannels * Number(config.depthMultiplier ?? 1);
      const depthwise = convMacs({ outHeight, outWidth, kernelHeight, kernelWidth, inChannels, outChannels: middle, groups: inChannels });
      const pointwise = convMacs({ outHeight, outWidth, kernelHeight: 1, kernelWidth: 1, inChannels: middle, outChannels });
      return { macs: depthwise + pointwise, window };
    }
    case 'Conv2DTranspose': {
      const window = windowOf(config, 'kernelSize');
      const [kh, kw] = window.kernel;
      // Each input pixel scatters a kh x kw x cout patch, so cost follows the input, not the output.
      return { macs: (input[1] ?? 1) * (input[2] ?? 1) * inChannels * kh * kw * outChannels };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const window = windowOf(config, 'poolSize');
      return { macs: product(outputShape) * window.kernel[0] * window.kernel[1], window };
    }
    case 'Dense': {
      const positions = product(outputShape.slice(0, -1));
      const global = input.length <= 2;
      return { macs: denseMacs(inChannels, outChannels, positions), global };
    }
    default:
      if (GLOBAL_SHAPE.has(className)) return { macs: className === 'Flatten' ? 0 : product(input), global: true };
      if (ZERO_COST.has(className)) return { macs: 0 };
      if (MERGES.has(className)) return { macs: product(outputShape) * Math.max(inputShapes.length - 1, 1) };
      return ELEMENTWISE.has(className) ? { macs: product(outputShape) } : { macs: product(outputShape), estimated: true };
  }
}
