import { ConvkitError } from '../../errors.js';
import type { SpatialPads, WindowGeometry } from '../graph-ops.js';
import { attr } from '../tf-graph.js';
import { dropPath } from './drop-path.js';
import { localResponseNorm } from './local-response-norm.js';
import { graphActivation, inputSize, type LayerLowering, type LoweringContext, pairOf } from './lowering-context.js';
import { nonLocalAttention } from './non-local-attention.js';

const only = (context: LoweringContext) => context.inputs[0] as string;

function withBiasAndActivation(context: LoweringContext, y: string): string {
  const { ops, layer } = context;
  const biased = context.hasWeight('bias') ? ops.biasAdd(y, context.weight('bias'), `${layer.name}/bias`) : y;
  return ops.activation(biased, graphActivation(context), `${layer.name}/act`);
}

// TensorFlow's 'same' pads per axis, the odd zero after (tfjs's Conv2D and pooling follow TF).
function tfPads(
  padding: unknown,
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
) {
  return [0, 1].map((a) => {
    if (padding !== 'same') return [0, 0];
    const [n, k, s, d] = [size[a], kernel[a], strides[a], dilations[a]] as [number, number, number, number];
    const total = Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }) as [[number, number], [number, number]];
}

/** Window geometry of a tfjs convolution layer (TensorFlow 'same'/'valid' padding, `dilationRate`). */
function tfConvGeometry(context: LoweringContext) {
  const { config } = context;
  const kernel = pairOf(config.kernelSize);
  const strides = pairOf(config.strides ?? 1);
  const dilations = pairOf(config.dilationRate ?? 1);
  const size = inputSize(context);
  return { kernel, strides, dilations, size, pads: tfPads(config.padding, size, kernel, strides, dilations) };
}

/** tfjs's Conv2D: HWIO kernel, TensorFlow padding, optional bias and fused activation. */
const tfConv2d: LayerLowering = (context) => {
  const { config, layer } = context;
  const geometry = tfConvGeometry(context);
  const shape = [...geometry.kernel, context.inputShapes[0]?.[3] as number, Number(config.filters)];
  return withBiasAndActivation(context, context.ops.conv2d(only(context), context.weight('kernel'), shape, geometry, layer.name));
};

/** The plan convkit's sliding-window layers make for an input size (`SlidingWindowLayer.plan`). */
interface WindowPlan {
  pads: [[number, number], [number, number]];
  overhang: [[number, number], [number, number]];
}

function convkitPlan(context: LoweringContext): WindowPlan {
  // `plan` is protected API of @convkit/layers' SlidingWindowLayer: reading it keeps the graph's pads the layer's own.
  return (context.layer as unknown as { plan(shape: (number | null)[]): WindowPlan }).plan(context.inputShapes[0] as (number | null)[]);
}

/** Window geometry of a convkit convolution layer: the pads its own plan makes (PyTorch padding), `dilation`. */
function convkitConvGeometry(context: LoweringContext) {
  const { config } = context;
  return {
    kernel: pairOf(config.kernelSize),
    strides: pairOf(config.strides ?? 1),
    dilations: pairOf(config.dilation ?? 1),
    size: inputSize(context),
    pads: convkitPlan(context).pads,
  };
}

/**
 * convkit's Conv2d (PyTorch padding, dilation). A grouped convolution with one group per input
 * channel is a depthwise convolution of the same kernel reshaped (output channel `c * m + k` is
 * depthwise channel `c`, multiplier `k`), as the eager layer runs it; other groups are split along
 * the channels, convolved group by group and concatenated, also as the eager layer does.
 */
const convkitConv2d: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const groups = Number(config.groups ?? 1);
  const geometry = convkitConvGeometry(context);
  const channels = context.inputShapes[0]?.[3] as number;
  const filters = Number(config.filters);
  const [kh, kw] = geometry.kernel;
  const kernel = context.weight('kernel');
  if (groups === 1)
    return withBiasAndActivation(context, ops.conv2d(only(context), kernel, [kh, kw, channels, filters], geometry, layer.name));
  if (groups === channels) {
    const depthwiseShape = [kh, kw, channels, filters / channels];
    const depthwise = ops.reshape(kernel, depthwiseShape, `${layer.name}/depthwise_kernel`, 'float32');
    return withBiasAndActivation(context, depthwiseOf(context, depthwise, depthwiseShape, geometry));
  }
  const inputs = ops.split(only(context), groups, 3, `${layer.name}/split`);
  const kernels = ops.split(kernel, groups, 3, `${layer.name}/split_kernel`, 'float32');
  const groupShape = [kh, kw, channels / groups, filters / groups];
  const outputs = inputs.map((x, g) => ops.conv2d(x, kernels[g] as string, groupShape, geometry, `${layer.name}/group${g}`));
  return withBiasAndActivation(context, ops.concat(outputs, Array(groups).fill(filters / groups), 4, layer.name));
};

/** A depthwise convolution of the context's input; dilated ones take {@link GraphOps.dilatedDepthwiseConv2d}. */
function depthwiseOf(context: LoweringContext, w: string, wShape: readonly number[], geometry: WindowGeometry): string {
  const { ops, layer } = context;
  return (geometry.dilations ?? [1, 1]).some((d) => d !== 1)
    ? ops.dilatedDepthwiseConv2d(only(context), w, wShape, geometry, context.inputShapes[0] as (number | null)[], layer.name)
    : ops.depthwiseConv2d(only(context), w, wShape, geometry, layer.name);
}

/** A depthwise convolution's lowering (`[kh, kw, channels, multiplier]` kernel) with the layer's own padding convention. */
function depthwiseConv2d(geometryOf: typeof tfConvGeometry): LayerLowering {
  return (context) => {
    const geometry = geometryOf(context);
    const shape = [...geometry.kernel, context.inputShapes[0]?.[3] as number, Number(context.config.depthMultiplier ?? 1)];
    return withBiasAndActivation(context, depthwiseOf(context, context.weight('depthwise_kernel'), shape, geometry));
  };
}

/** tfjs's DepthwiseConv2D: TensorFlow padding, and no dilation whatever `dilationRate` says, as tfjs-layers 4.22 runs it. */
const tfDepthwiseConv2d = depthwiseConv2d((context) => tfConvGeometry({ ...context, config: { ...context.config, dilationRate: 1 } }));

/** convkit's DepthwiseConv2d (PyTorch padding, dilation). */
const convkitDepthwiseConv2d = depthwiseConv2d(convkitConvGeometry);

/** tfjs's Dense on a rank-2 input. */
const dense: LayerLowering = (context) => {
  if (context.inputShapes[0]?.length !== 2) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${context.layer.name} is a Dense layer on a rank-${context.inputShapes[0]?.length} input; the graph engine lowers Dense on [batch, features] only; train it with --engine eager`,
    );
  }
  return withBiasAndActivation(context, context.ops.matMul(only(context), context.weight('kernel'), context.layer.name));
};

/**
 * tfjs's BatchNormalization over the channel axis: batch statistics and a moving-average update
 * (`moving = moving * momentum + batch * (1 - momentum)`, tfjs's rule) when training, the moving
 * statistics otherwise.
 */
const batchNorm: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const rank = context.inputShapes[0]?.length ?? 0;
  const axis = Number(config.axis ?? -1);
  if (rank !== 4 || (axis !== -1 && axis !== 3)) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${layer.name} normalizes axis ${axis} of a rank-${rank} input; the graph engine lowers batch norm over the channels of NHWC maps only; train it with --engine eager`,
    );
  }
  const channels = context.inputShapes[0]?.[3] as number;
  const gamma = context.hasWeight('gamma') ? context.weight('gamma') : ops.graph.floats(new Float32Array(channels).fill(1), [channels]);
  const beta = context.hasWeight('beta') ? context.weight('beta') : ops.graph.floats(new Float32Array(channels), [channels]);
  const epsilon = Number(config.epsilon ?? 1e-3);
  if (!context.training) {
    return ops.batchNormInference(
      only(context),
      gamma,
      beta,
      context.weight('moving_mean'),
      context.weight('moving_variance'),
      epsilon,
      layer.name,
    );
  }
  const { y, mean, variance } = ops.batchNormTraining(only(context), gamma, beta, epsilon, layer.name);
  const momentum = Number(config.momentum ?? 0.99);
  const g = ops.graph;
  const F = { T: attr.type('float32') };
  const average = (moving: string, batch: string, label: string) =>
    g.op('AddV2', [g.op('Mul', [moving, g.scalar(momentum)], F), g.op('Mul', [batch, g.scalar(1 - momentum)], F)], F, {
      name: `${layer.name}/${label}`,
    });
  context.assign('moving_mean', average(context.weight('moving_mean'), mean, 'moving_mean'));
  context.assign('moving_variance', average(context.weight('moving_variance'), variance, 'moving_variance'));
  return y;
};

const activationLayer: LayerLowering = (context) => context.ops.activation(only(context), graphActivation(context), context.layer.name);

const add: LayerLowering = (context) => context.ops.add(context.inputs, context.layer.name);

const flatten: LayerLowering = (context) => {
  const size = (context.inputShapes[0] ?? []).slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  return context.ops.flatten(only(context), size, context.layer.name);
};

const zeroPadding2d: LayerLowering = (context) => {
  const raw = context.config.padding;
  const [[t, b], [l, r]] =
    Array.isArray(raw) && Array.isArray(raw[0]) ? (raw as [[number, number], [number, number]]) : [pairOf(raw), pairOf(raw)];
  const shape = context.inputShapes[0] as (number | null)[];
  return context.ops.pad(
    only(context),
    [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ],
    [null, ...shape.slice(1)],
    context.layer.name,
  );
};

/** convkit's option-A shortcut: every `strides`-th row and column, zero channels before and after. */
const zeroPadShortcut: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const stride = Number(config.strides ?? 2);
  const subsampled = ops.subsample(only(context), stride, `${layer.name}/subsample`);
  const inShape = context.inputShapes[0] as number[];
  const channels = inShape[3] as number;
  const extra = Number(config.filters) - channels;
  const before = Math.floor(extra / 2);
  const sub = (d: number) => Math.ceil(d / stride);
  const shape = [null, sub(inShape[1] as number), sub(inShape[2] as number), channels];
  return ops.pad(
    subsampled,
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [before, extra - before],
    ],
    shape,
    layer.name,
  );
};

/** Refuses a layer whose maps are channels first: the graph is NHWC throughout. */
function requireChannelsLast(context: LoweringContext, does: string): void {
  if (context.config.dataFormat === 'channelsFirst') {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${context.layer.name} ${does} channels-first maps; the graph engine lowers NHWC only; train it with --engine eager`,
    );
  }
}

/** tfjs's global pooling layers and convkit's GlobalAvgPool2d and GlobalMaxPool2d, with or without the 1x1 spatial axes. */
function globalPool(kind: 'max' | 'mean'): LayerLowering {
  return (context) => {
    requireChannelsLast(context, 'pools');
    const shape = context.inputShapes[0] as number[];
    return context.ops.reduce(kind, only(context), [1, 2], shape, context.config.keepDims === true, context.layer.name);
  };
}

/** CBAM's ChannelPool: the maximum and the mean over the channels of each position, concatenated in that order. */
const channelPool: LayerLowering = (context) => {
  const { layer, ops } = context;
  const shape = context.inputShapes[0] as number[];
  const pooled = (['max', 'mean'] as const).map((kind) => ops.reduce(kind, only(context), [3], shape, true, `${layer.name}/${kind}`));
  return ops.concat(pooled, [1, 1], 4, layer.name);
};

/**
 * convkit's AdaptiveAvgPool2d: the identity when the output is the input's size, a VALID average
 * pool of `input / output` windows when the output divides the input, and otherwise PyTorch's bins
 * (`floor(i * in / out)` to `ceil((i + 1) * in / out)`, overlapping or repeated) as two products
 * with constant bin-averaging matrices, rows then columns: a bin is a rectangle, so its mean is the
 * mean over its rows of the means over its columns.
 */
const adaptiveAveragePool: LayerLowering = (context) => {
  const { layer, ops } = context;
  const size = inputSize(context);
  const out = pairOf(context.config.outputSize);
  if (size[0] === out[0] && size[1] === out[1]) return only(context);
  if (size.every((n, a) => n % (out[a] as number) === 0)) {
    const window = [size[0] / out[0], size[1] / out[1]] as [number, number];
    const geometry = { kernel: window, strides: window, size, pads: tfPads('valid', size, window, window, [1, 1]) };
    return ops.pool(only(context), 'avg', geometry, layer.name);
  }
  const channels = context.inputShapes[0]?.[3] as number;
  const rows = ops.reshape(only(context), [-1, size[0], size[1] * channels], `${layer.name}/rows`);
  const pooledRows = ops.batchMatMul(binAverages(ops, size[0], out[0], `${layer.name}/row_bins`), rows, false, `${layer.name}/pool_rows`);
  const columns = ops.reshape(pooledRows, [-1, size[1], channels], `${layer.name}/columns`);
  const pooled = ops.batchMatMul(
    binAverages(ops, size[1], out[1], `${layer.name}/column_bins`),
    columns,
    false,
    `${layer.name}/pool_columns`,
  );
  return ops.reshape(pooled, [-1, out[0], out[1], channels], layer.name);
};

/** The `[out, size]` matrix whose row `i` averages PyTorch's adaptive bin `i` of an axis of `size`, in the compute dtype. */
function binAverages(ops: LoweringContext['ops'], size: number, out: number, name: string): string {
  const matrix = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const [start, end] = [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
    for (let j = start; j < end; j++) matrix[i * size + j] = 1 / (end - start);
  }
  return ops.toCompute(ops.graph.floats(matrix, [out, size], name), `${name}/compute`);
}

/** tfjs's Cropping2D on channels-last maps. */
const cropping2d: LayerLowering = (context) => {
  requireChannelsLast(context, 'crops');
  return context.ops.crop(only(context), context.config.cropping as SpatialPads, inputSize(context), context.layer.name);
};

/** Keras's Concatenate along the last (channel) axis. */
const concatenate: LayerLowering = (context) => {
  const rank = context.inputShapes[0]?.length ?? 0;
  const axis = Number(context.config.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${context.layer.name} concatenates axis ${axis}; the graph engine lowers concatenation along the last axis only; train it with --engine eager`,
    );
  }
  const sizes = context.inputShapes.map((shape) => shape[rank - 1] as number);
  return context.ops.concat(context.inputs, sizes, rank, context.layer.name);
};

/** tfjs's and convkit's element dropout: a stateless mask per step in training, identity otherwise. */
const dropout: LayerLowering = (context) => {
  const rate = Number(context.config.rate ?? 0);
  if (context.config.noiseShape !== undefined && context.config.noiseShape !== null) {
    throw new ConvkitError(
      'graph-unsupported',
      `layer ${context.layer.name} drops with a noise shape, which the graph engine does not lower; train it with --engine eager`,
    );
  }
  if (!context.training || rate === 0) return only(context);
  return context.ops.dropout(only(context), rate, context.randomSeed(), context.layer.name);
};

/**
 * The VALID pool of `x` after padding it by the context's plan (PyTorch's padding and ceil-mode
 * overhang) with `value`: how convkit's own pooling layers run.
 */
function paddedValidPool(context: LoweringContext, kind: 'max' | 'avg', value: number): string {
  const { config, layer, ops } = context;
  const { pads } = convkitPlan(context);
  const shape = context.inputShapes[0] as (number | null)[];
  const padded = pads.flat().every((p) => p === 0)
    ? only(context)
    : ops.pad(only(context), [[0, 0], ...pads, [0, 0]], [null, ...shape.slice(1)], `${layer.name}/pad`, value);
  const size = inputSize(context);
  const geometry = {
    kernel: pairOf(config.kernelSize),
    strides: pairOf(config.strides ?? config.kernelSize),
    size: [size[0] + pads[0][0] + pads[0][1], size[1] + pads[1][0] + pads[1][1]] as [number, number],
    pads: [
      [0, 0],
      [0, 0],
    ] as SpatialPads,
  };
  return ops.pool(padded, kind, geometry, layer.name);
}

/**
 * convkit's MaxPool2d: PyTorch's padding (and ceil-mode overhang) as -Infinity, so padded positions
 * never win, then a VALID max pool.
 */
const convkitMaxPool: LayerLowering = (context) => paddedValidPool(context, 'max', Number.NEGATIVE_INFINITY);

/**
 * How many positions of each window along one axis count in an average pool's divisor: window `i`
 * covers padded positions `i * stride` to `i * stride + kernel - 1`, of which those in the first
 * `excluded[0]` and the last `excluded[1]` (of `padded` in all) do not count.
 */
function countedPerWindow(padded: number, kernel: number, stride: number, excluded: [number, number], out: number): number[] {
  return Array.from({ length: out }, (_, i) => {
    const start = Math.max(i * stride, excluded[0]);
    const end = Math.min(i * stride + kernel, padded - excluded[1]);
    return Math.max(end - start, 0);
  });
}

/**
 * convkit's AvgPool2d (PyTorch's geometry and `count_include_pad`; DARTS's avg_pool_3x3 and its
 * auxiliary head's pool). With nothing excluded from the divisor it is the layer's own zero pads and
 * a VALID AvgPool. With its padding excluded and that padding TensorFlow's `SAME` pads (a 3x3 window
 * at stride 1, or at stride 2 on an odd size), it is one AvgPool with `SAME` padding, which divides by
 * the positions inside the input, as PyTorch's `count_include_pad=False` does. Otherwise (PyTorch pads
 * stride 2 on an even size on both sides, TensorFlow's `SAME` only after, so the windows differ; or
 * ceil-mode overhang) the VALID pool of the padded input is scaled by a constant `[1, oh, ow, 1]` map
 * of `window / counted positions`, and so is its gradient.
 */
const convkitAvgPool: LayerLowering = (context) => {
  const { config, layer, ops } = context;
  const { pads, overhang } = convkitPlan(context);
  const counted = config.countIncludePad === false ? pads : overhang;
  const kernel = pairOf(config.kernelSize);
  const strides = pairOf(config.strides ?? config.kernelSize);
  const size = inputSize(context);
  if (counted.flat().every((p) => p === 0)) return paddedValidPool(context, 'avg', 0);
  const same = tfPads('same', size, kernel, strides, [1, 1]);
  if (counted === pads && same.every((s, a) => s[0] === pads[a as 0 | 1][0] && s[1] === pads[a as 0 | 1][1]))
    return ops.pool(only(context), 'avg', { kernel, strides, size, pads }, layer.name);
  const mean = paddedValidPool(context, 'avg', 0);
  const [oh, ow] = (context.outputShape as number[]).slice(1, 3) as [number, number];
  const perAxis = (a: 0 | 1, out: number) => countedPerWindow(size[a] + pads[a][0] + pads[a][1], kernel[a], strides[a], counted[a], out);
  const [rows, columns] = [perAxis(0, oh), perAxis(1, ow)];
  const factors = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) factors[i * ow + j] = (kernel[0] * kernel[1]) / ((rows[i] as number) * (columns[j] as number));
  return ops.scaleBy(mean, ops.graph.floats(factors, [1, oh, ow, 1], `${layer.name}/divisors`), `${layer.name}/rescale`);
};

function tfPool(kind: 'max' | 'avg'): LayerLowering {
  return (context) => {
    const { config } = context;
    const kernel = pairOf(config.poolSize);
    const strides = pairOf(config.strides ?? config.poolSize);
    const size = inputSize(context);
    const geometry = { kernel, strides, size, pads: tfPads(config.padding, size, kernel, strides, [1, 1]) };
    return context.ops.pool(only(context), kind, geometry, context.layer.name);
  };
}

/** Keras's Multiply: the product of its inputs, broadcasting axes of size 1 (an attention gate's `[n, 1, 1, c]` scale). */
const multiply: LayerLowering = (context) => context.ops.multiply(context.inputs, context.inputShapes, context.layer.name);

/** Every layer class the graph engine lowers, by tfjs/convkit class name. */
export const GRAPH_LOWERINGS: Readonly<Record<string, LayerLowering>> = {
  Conv2D: tfConv2d,
  'convkit.Conv2d': convkitConv2d,
  Dense: dense,
  BatchNormalization: batchNorm,
  Activation: activationLayer,
  'convkit.Activation': activationLayer,
  Add: add,
  Flatten: flatten,
  ZeroPadding2D: zeroPadding2d,
  'convkit.ZeroPadShortcut': zeroPadShortcut,
  GlobalAveragePooling2D: globalPool('mean'),
  MaxPooling2D: tfPool('max'),
  'convkit.MaxPool2d': convkitMaxPool,
  'convkit.AvgPool2d': convkitAvgPool,
  'convkit.GlobalAvgPool2d': globalPool('mean'),
  DepthwiseConv2D: tfDepthwiseConv2d,
  'convkit.DepthwiseConv2d': convkitDepthwiseConv2d,
  Concatenate: concatenate,
  Dropout: dropout,
  'convkit.Dropout': dropout,
  AveragePooling2D: tfPool('avg'),
  Multiply: multiply,
  GlobalMaxPooling2D: globalPool('max'),
  'convkit.GlobalMaxPool2d': globalPool('max'),
  'convkit.ChannelPool': channelPool,
  Cropping2D: cropping2d,
  'convkit.AdaptiveAvgPool2d': adaptiveAveragePool,
  'convkit.LocalResponseNorm': localResponseNorm,
  'convkit.NonLocalAttention': nonLocalAttention,
  'convkit.DropPath': dropPath,
};
