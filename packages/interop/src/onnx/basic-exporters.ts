import { ConvkitError } from '@convkit/core';
import { activationOf, emitActivation } from './activations.js';
import { type LayerExporter, only, spatial } from './export-context.js';

/** tfjs's Dense as Gemm (`[N, in] x [in, out] + bias`), with its fused activation. */
const dense: LayerExporter = (context) => {
  const { graph, layer } = context;
  if ((context.inputShapes[0] as unknown[]).length !== 2) {
    throw new ConvkitError(
      'unexportable-layer',
      `layer ${layer.name} (Dense) applies to a ${(context.inputShapes[0] as unknown[]).length}-D input; only flat [batch, features] inputs export`,
    );
  }
  const kernel = context.weights.get('kernel')!;
  const bias = context.weights.get('bias');
  const inputs = [
    only(context),
    graph.floats(`${layer.name}/W`, kernel.shape, kernel.values),
    ...(bias ? [graph.floats(`${layer.name}/B`, bias.shape, bias.values)] : []),
  ];
  const y = graph.node('Gemm', inputs, layer.name);
  return emitActivation(graph, y, `${layer.name}/act`, activationOf(context.config), layer.name);
};

/** BatchNormalization over the channel axis (axis 1 in NCHW) with its running statistics. */
const batchNorm: LayerExporter = (context) => {
  const { graph, layer, weights, config } = context;
  const axis = Number(config.axis ?? -1);
  const rank = (context.inputShapes[0] as unknown[]).length;
  if (axis !== -1 && axis !== rank - 1) {
    throw new ConvkitError(
      'unexportable-layer',
      `layer ${layer.name} (BatchNormalization) normalizes axis ${axis}; only the channel axis (-1) exports`,
    );
  }
  const mean = weights.get('moving_mean')!;
  const channels = mean.shape[0] as number;
  const fill = (value: number) => new Float32Array(channels).fill(value);
  const scale = weights.get('gamma')?.values ?? fill(1);
  const shift = weights.get('beta')?.values ?? fill(0);
  const inputs = [
    only(context),
    graph.floats(`${layer.name}/scale`, [channels], scale),
    graph.floats(`${layer.name}/B`, [channels], shift),
    graph.floats(`${layer.name}/mean`, [channels], mean.values),
    graph.floats(`${layer.name}/var`, [channels], weights.get('moving_variance')!.values),
  ];
  return graph.node('BatchNormalization', inputs, layer.name, { epsilon: { float: Number(config.epsilon ?? 1e-3) } });
};

/** An activation layer (tfjs's `Activation`, convkit's). */
const activationLayer: LayerExporter = (context) =>
  emitActivation(context.graph, only(context), context.layer.name, activationOf(context.config), context.layer.name);

/** tfjs's Flatten: of an NCHW map, in tfjs's HWC order (a transpose back to NHWC first). */
const flatten: LayerExporter = (context) => {
  const { graph, layer } = context;
  const x = only(context);
  const nhwc =
    (context.inputShapes[0] as unknown[]).length === 4 ? graph.node('Transpose', [x], `${layer.name}/nhwc`, { perm: [0, 2, 3, 1] }) : x;
  return graph.node('Flatten', [nhwc], layer.name, { axis: 1 });
};

/** Layers that are the identity at inference (dropout, drop-path). */
const identity: LayerExporter = (context) => only(context);

/** tfjs's ZeroPadding2D as Pad over H and W. */
const zeroPadding: LayerExporter = (context) => {
  const { graph, layer } = context;
  const [[top, bottom], [left, right]] = context.config.padding as [[number, number], [number, number]];
  return graph.node('Pad', [only(context), graph.int64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right])], layer.name, {
    mode: { string: 'constant' },
  });
};

/** tfjs's Cropping2D as a Slice of H and W (DARTS's factorized reduce shifts its input by one pixel with it). */
const cropping: LayerExporter = (context) => {
  const { graph, layer } = context;
  const [[top, bottom], [left, right]] = context.config.cropping as [[number, number], [number, number]];
  const [h, w] = spatial(context);
  return graph.node(
    'Slice',
    [
      only(context),
      graph.int64s(`${layer.name}/starts`, [top, left]),
      graph.int64s(`${layer.name}/ends`, [h - bottom, w - right]),
      graph.int64s(`${layer.name}/axes`, [2, 3]),
    ],
    layer.name,
  );
};

/**
 * convkit's ZeroPadShortcut (ResNet option A): every `strides`-th row and column (a strided Slice),
 * then zero channels up to `filters`, half before and half after.
 */
const zeroPadShortcut: LayerExporter = (context) => {
  const { graph, layer, config } = context;
  const channels = (context.inputShapes[0] as number[])[3] as number;
  const extra = Number(config.filters) - channels;
  const before = Math.floor(extra / 2);
  const s = Number(config.strides ?? 2);
  const big = 2 ** 62;
  const sliced =
    s === 1
      ? only(context)
      : graph.node(
          'Slice',
          [
            only(context),
            graph.int64s(`${layer.name}/starts`, [0, 0]),
            graph.int64s(`${layer.name}/ends`, [big, big]),
            graph.int64s(`${layer.name}/axes`, [2, 3]),
            graph.int64s(`${layer.name}/steps`, [s, s]),
          ],
          `${layer.name}/subsampled`,
        );
  return graph.node('Pad', [sliced, graph.int64s(`${layer.name}/pads`, [0, before, 0, 0, 0, extra - before, 0, 0])], layer.name, {
    mode: { string: 'constant' },
  });
};

/** The NCHW axis of tfjs axis `axis` of a rank-`rank` NHWC tensor. */
function nchwAxis(axis: number, rank: number): number {
  const positive = axis < 0 ? rank + axis : axis;
  return rank === 4 ? ([0, 2, 3, 1][positive] as number) : positive;
}

const concatenate: LayerExporter = (context) => {
  const rank = (context.inputShapes[0] as unknown[]).length;
  return context.graph.node('Concat', context.inputs, context.layer.name, { axis: nchwAxis(Number(context.config.axis ?? -1), rank) });
};

/** Element-wise merges, folded pairwise (ONNX's Add and Mul are binary). */
const merge =
  (op: 'Add' | 'Mul'): LayerExporter =>
  (context) =>
    context.inputs
      .slice(1)
      .reduce(
        (sum, x, i) =>
          context.graph.node(op, [sum, x], i === context.inputs.length - 2 ? context.layer.name : `${context.layer.name}/${i}`),
        context.inputs[0] as string,
      );

/**
 * convkit's LocalResponseNorm as ONNX's LRN, whose alpha scales the mean of squares (`alpha / n`):
 * the `'alexnet'` convention's alpha (on the sum) is `n` times larger there.
 */
const lrn: LayerExporter = (context) => {
  const { config, layer } = context;
  const size = Number(config.size);
  if (size % 2 === 0) {
    throw new ConvkitError(
      'unexportable-layer',
      `layer ${layer.name} (convkit.LocalResponseNorm): ONNX's LRN centres even windows the other way; use an odd size`,
    );
  }
  const alpha = Number(config.alpha) * (config.convention === 'pytorch' ? 1 : size);
  return context.graph.node('LRN', [only(context)], layer.name, {
    size,
    alpha: { float: alpha },
    beta: { float: Number(config.beta) },
    bias: { float: Number(config.k) },
  });
};

const softmax: LayerExporter = (context) => {
  const rank = (context.inputShapes[0] as unknown[]).length;
  return context.graph.node('Softmax', [only(context)], context.layer.name, { axis: nchwAxis(Number(context.config.axis ?? -1), rank) });
};

/** Everything but convolutions and pools, by class name. */
export const BASIC_EXPORTERS: Record<string, LayerExporter> = {
  Dense: dense,
  BatchNormalization: batchNorm,
  Activation: activationLayer,
  'convkit.Activation': activationLayer,
  Flatten: flatten,
  Dropout: identity,
  SpatialDropout2D: identity,
  'convkit.Dropout': identity,
  'convkit.DropPath': identity,
  'convkit.SpatialDropout2d': identity,
  'convkit.RandomDrop': identity,
  ZeroPadding2D: zeroPadding,
  Cropping2D: cropping,
  'convkit.ZeroPadShortcut': zeroPadShortcut,
  Concatenate: concatenate,
  Add: merge('Add'),
  Multiply: merge('Mul'),
  'convkit.LocalResponseNorm': lrn,
  Softmax: softmax,
};
