import type * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';
import type { OnnxGraph } from './onnx-graph.js';

/** A weight of the layer being exported: its tfjs shape and values. */
export interface LayerWeight {
  shape: number[];
  values: Float32Array;
}

/**
 * What an exporter of one layer application sees: the graph, the layer and its config, its inputs as
 * ONNX values (4-D ones in NCHW, ONNX's layout), their tfjs (NHWC) shapes and the output's.
 */
export interface ExportContext {
  graph: OnnxGraph;
  layer: layers.Layer;
  config: Record<string, unknown>;
  inputs: string[];
  inputShapes: (number | null)[][];
  outputShape: (number | null)[];
  /** The layer's weights by name (`kernel`, `bias`, `gamma`, ...). */
  weights: Map<string, LayerWeight>;
}

/** Writes one layer application into the graph and returns the name of its (single) output value. */
export type LayerExporter = (context: ExportContext) => string;

/** The weights of `layer` by their short names, read once. */
export function layerWeights(layer: layers.Layer): Map<string, LayerWeight> {
  const values = layer.getWeights() as tf.Tensor[];
  return new Map(
    layer.weights.map((variable, i) => [
      variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1),
      { shape: variable.shape as number[], values: (values[i] as tf.Tensor).dataSync() as Float32Array },
    ]),
  );
}

/** The one input of a single-input layer. */
export function only(context: ExportContext): string {
  return context.inputs[0] as string;
}

/** Spatial size `[H, W]` of the (NHWC) input. */
export function spatial(context: ExportContext): [number, number] {
  const shape = context.inputShapes[0] as number[];
  return [shape[1] as number, shape[2] as number];
}

/** A config's `[h, w]` option given as one number or a pair. */
export function pair(value: unknown): [number, number] {
  return Array.isArray(value) ? [value[0] as number, (value[1] ?? value[0]) as number] : [value as number, value as number];
}
