import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { analyzeLayer, type LayerAnalysis, type Shape } from './layer-analysis.js';
import { type AxisReceptiveField, INPUT_RECEPTIVE_FIELD, mergeReceptiveFields, receptiveFieldAfter } from './receptive-field.js';

type Layer = layers.Layer;

/** Receptive field of a layer's output along height and width; `global` once it spans the whole input. */
export interface ReceptiveField {
  height: AxisReceptiveField;
  width: AxisReceptiveField;
  global: boolean;
}

/** One row of a model summary. */
export interface LayerSummary {
  name: string;
  className: string;
  /** Output shape without the batch axis (first output for multi-output layers). */
  outputShape: number[];
  params: number;
  trainableParams: number;
  /** MACs of one image, summed over every call of the layer in the model (a shared layer computes once per call). */
  macs: number;
  receptiveField: ReceptiveField;
  /** Names of the layers feeding this one. */
  inbound: string[];
  /** True when the cost of an unknown layer class was assumed element-wise. */
  estimated: boolean;
}

/** Totals of a model summary; `flops = 2 * macs`. */
export interface SummaryTotals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
}

/** Per-layer table and totals of a model at its built input size. */
export interface ModelSummary {
  /** Input shape without the batch axis. */
  input: number[];
  layers: LayerSummary[];
  totals: SummaryTotals;
}

function countWeights(weights: { shape: Shape }[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((acc, d) => acc * (d ?? 1), 1), 0);
}

function firstShape(shape: Shape | Shape[]): Shape {
  return Array.isArray(shape[0]) ? (shape[0] as Shape) : (shape as Shape);
}

function shapesOf(shape: Shape | Shape[]): Shape[] {
  return Array.isArray(shape[0]) ? (shape as Shape[]) : [shape as Shape];
}

function withoutBatch(shape: Shape): number[] {
  return shape.slice(1).map((d) => d ?? -1);
}

function propagate(previous: ReceptiveField, analysis: LayerAnalysis): ReceptiveField {
  if (previous.global || analysis.global) return { ...previous, global: true };
  const window = analysis.window;
  if (!window) return previous;
  return {
    height: receptiveFieldAfter(previous.height, { kernel: window.kernel[0], stride: window.stride[0], dilation: window.dilation[0] }),
    width: receptiveFieldAfter(previous.width, { kernel: window.kernel[1], stride: window.stride[1], dilation: window.dilation[1] }),
    global: false,
  };
}

type Node = Layer['inboundNodes'][number];

/**
 * The calls of `layer` that belong to `model`, first call first: a layer applied twice (CBAM's
 * shared MLP) computes twice, while calls made in another model that shares the layer do not count.
 */
function callsIn(model: LayersModel, layer: Layer): Node[] {
  // tfjs-layers keeps its own calls as `${layer.name}_ib-${index}` (Container.nodeKey), unexported.
  const own = (model as unknown as { containerNodes?: Set<string> }).containerNodes;
  const calls = layer.inboundNodes.filter((_, index) => own?.has(`${layer.name}_ib-${index}`));
  return calls.length > 0 ? calls : layer.inboundNodes.slice(0, 1);
}

/**
 * Walks a functional or sequential model in topological order and returns, per layer, the output
 * shape, parameters, MACs and receptive field, plus totals. Works on any tfjs-layers model; custom
 * layers are costed through {@link AnalyzableLayer}.
 */
export function summarizeModel(model: LayersModel): ModelSummary {
  const fields = new Map<Layer, ReceptiveField>();
  const rows: LayerSummary[] = [];
  const inputField: ReceptiveField = { height: INPUT_RECEPTIVE_FIELD, width: INPUT_RECEPTIVE_FIELD, global: false };
  for (const layer of model.layers) {
    const calls = callsIn(model, layer);
    const node = calls[0];
    const inboundLayers = node ? node.inboundLayers.filter((l) => l !== layer) : [];
    const inputShapes = node ? shapesOf(node.inputShapes as Shape | Shape[]) : [];
    const outputShape = firstShape(layer.outputShape as Shape | Shape[]);
    const analysis = analyzeLayer(layer, inputShapes, outputShape);
    // the window and receptive field follow the first call; every call computes
    const macs = calls
      .slice(1)
      .reduce(
        (sum, call) =>
          sum + analyzeLayer(layer, shapesOf(call.inputShapes as Shape | Shape[]), firstShape(call.outputShapes as Shape | Shape[])).macs,
        analysis.macs,
      );
    const incoming = inboundLayers.map((l) => fields.get(l) ?? inputField);
    const merged: ReceptiveField =
      incoming.length === 0
        ? inputField
        : {
            height: mergeReceptiveFields(incoming.map((f) => f.height)),
            width: mergeReceptiveFields(incoming.map((f) => f.width)),
            global: incoming.some((f) => f.global),
          };
    const receptiveField = propagate(merged, analysis);
    fields.set(layer, receptiveField);
    rows.push({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: withoutBatch(outputShape),
      params: countWeights(layer.weights),
      trainableParams: countWeights(layer.trainableWeights),
      macs,
      receptiveField,
      inbound: inboundLayers.map((l) => l.name),
      estimated: analysis.estimated ?? false,
    });
  }
  const params = rows.reduce((s, r) => s + r.params, 0);
  const trainableParams = rows.reduce((s, r) => s + r.trainableParams, 0);
  const macs = rows.reduce((s, r) => s + r.macs, 0);
  return {
    input: withoutBatch(firstShape(model.inputs[0]?.shape ?? [])),
    layers: rows,
    totals: { params, trainableParams, nonTrainableParams: params - trainableParams, macs, flops: 2 * macs },
  };
}
