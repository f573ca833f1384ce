import { ConvkitError } from '@convkit/core';
import { adaptiveBins } from '@convkit/layers';
import { type ExportContext, type LayerExporter, only, pair, spatial } from './export-context.js';
import { convkitPads, tensorflowPads } from './window-pads.js';

/** tfjs's MaxPooling2D / AveragePooling2D: TensorFlow padding, whose average excludes the padding. */
const tfPool =
  (op: 'MaxPool' | 'AveragePool'): LayerExporter =>
  (context) => {
    const { config, graph, layer } = context;
    const kernel = pair(config.poolSize);
    const strides = pair(config.strides ?? config.poolSize);
    const pads = tensorflowPads(String(config.padding), spatial(context), kernel, strides);
    return graph.node(op, [only(context)], layer.name, {
      kernel_shape: kernel,
      strides,
      pads,
      ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}),
    });
  };

/**
 * convkit's MaxPool2d / AvgPool2d with their planned pads, ceil-mode overhang included (max pooling
 * ignores pads in ONNX as in convkit; an average that counts the user's padding but not the overhang
 * has no ONNX attribute, and is refused).
 */
const convkitPool =
  (op: 'MaxPool' | 'AveragePool'): LayerExporter =>
  (context) => {
    const { config, graph, layer } = context;
    const { pads, overhang } = convkitPads(layer, context.inputShapes[0] as (number | null)[]);
    const attributes = { kernel_shape: pair(config.kernelSize), strides: pair(config.strides), pads };
    if (op === 'MaxPool') return graph.node(op, [only(context)], layer.name, attributes);
    const includePad = config.countIncludePad !== false;
    if (includePad && overhang && pads.some((p) => p > 0)) {
      throw new ConvkitError(
        'unexportable-layer',
        `layer ${layer.name} (convkit.AvgPool2d): a ceil-mode average that counts padding but not the overhang has no ONNX equivalent; use countIncludePad: false or an input size without overhang`,
      );
    }
    return graph.node(op, [only(context)], layer.name, { ...attributes, count_include_pad: includePad && !overhang ? 1 : 0 });
  };

/**
 * An adaptive pool to a fixed output size at the input's fixed size: one pooling op when the bins are
 * equal (the input a multiple of the output), else one reduction per bin (PyTorch's bins: floor start,
 * ceil end) concatenated back.
 */
const adaptivePool =
  (reduce: 'ReduceMean' | 'ReduceMax', pool: 'AveragePool' | 'MaxPool'): LayerExporter =>
  (context) => {
    const { graph, layer } = context;
    const [h, w] = spatial(context);
    const [oh, ow] = pair(context.config.outputSize);
    const x = only(context);
    if (h % oh === 0 && w % ow === 0) {
      const kernel = [h / oh, w / ow];
      return graph.node(pool, [x], layer.name, { kernel_shape: kernel, strides: kernel });
    }
    const rows = adaptiveBins(h, oh).map((bin, i) => {
      const cells = adaptiveBins(w, ow).map((col, j) => {
        const starts = graph.int64s(`${layer.name}/s${i}_${j}`, [bin.start, col.start]);
        const ends = graph.int64s(`${layer.name}/e${i}_${j}`, [bin.end, col.end]);
        const axes = graph.int64s(`${layer.name}/a${i}_${j}`, [2, 3]);
        const cell = graph.node('Slice', [x, starts, ends, axes], `${layer.name}/cell${i}_${j}`);
        return graph.node(reduce, [cell], `${layer.name}/bin${i}_${j}`, { axes: [2, 3], keepdims: 1 });
      });
      return cells.length === 1 ? (cells[0] as string) : graph.node('Concat', cells, `${layer.name}/row${i}`, { axis: 3 });
    });
    return rows.length === 1 ? (rows[0] as string) : graph.node('Concat', rows, layer.name, { axis: 2 });
  };

/** A global pool; tfjs's flattens to `[N, C]`, convkit's does unless `keepDims`. */
const globalPool =
  (op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerExporter =>
  (context: ExportContext) => {
    const { graph, layer } = context;
    const pooled = graph.node(op, [only(context)], context.config.keepDims ? layer.name : `${layer.name}/pooled`);
    return context.config.keepDims ? pooled : graph.node('Flatten', [pooled], layer.name, { axis: 1 });
  };

/** Pooling layers by class name. */
export const POOL_EXPORTERS: Record<string, LayerExporter> = {
  MaxPooling2D: tfPool('MaxPool'),
  AveragePooling2D: tfPool('AveragePool'),
  'convkit.MaxPool2d': convkitPool('MaxPool'),
  'convkit.AvgPool2d': convkitPool('AveragePool'),
  'convkit.AdaptiveAvgPool2d': adaptivePool('ReduceMean', 'AveragePool'),
  'convkit.AdaptiveMaxPool2d': adaptivePool('ReduceMax', 'MaxPool'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
  'convkit.GlobalAvgPool2d': globalPool('GlobalAveragePool'),
  'convkit.GlobalMaxPool2d': globalPool('GlobalMaxPool'),
};
