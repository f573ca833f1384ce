import { ConvkitError } from '@convkit/core';
import type { LayersModel, layers, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ATTENTION_EXPORTERS } from './attention-exporters.js';
import { BASIC_EXPORTERS } from './basic-exporters.js';
import { CONV_EXPORTERS } from './conv-exporters.js';
import { type LayerExporter, layerWeights } from './export-context.js';
import { foldBatchNorms } from './fold-batch-norm.js';
import { OnnxGraph } from './onnx-graph.js';
import { POOL_EXPORTERS } from './pool-exporters.js';

/** The ONNX operator set written: 17 (ONNX 1.12), which every current ONNX Runtime runs. */
export const ONNX_OPSET = 17;

/** Every layer class the ONNX export writes, by tfjs/convkit class name. */
export const ONNX_EXPORTERS: Readonly<Record<string, LayerExporter>> = {
  ...CONV_EXPORTERS,
  ...POOL_EXPORTERS,
  ...BASIC_EXPORTERS,
  ...ATTENTION_EXPORTERS,
};

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * Layout of the image input and of 4-D outputs: `'nchw'` (default), as ONNX users and PyTorch
   * expect, or `'nhwc'`, tfjs's own (a transpose is added at the boundary; inside, ONNX ops run NCHW).
   */
  layout?: 'nchw' | 'nhwc';
  /**
   * Fold every BatchNormalization that alone reads a linear convolution into that convolution's
   * kernel and bias (no BatchNormalization node left for it), as inference runtimes and PyTorch's
   * `fuse_conv_bn_eval` do. Default false: the norms export as BatchNormalization nodes.
   */
  foldBatchNorm?: boolean;
}

/** What {@link exportOnnx} returns: the serialized ModelProto and facts about it. */
export interface OnnxExport {
  bytes: Uint8Array;
  inputName: string;
  outputNames: string[];
  opTypes: string[];
  opset: number;
}

/** A node of the model's graph: a layer's `index`-th application. */
interface NodeRef {
  layer: layers.Layer;
  index: number;
}

type Node = layers.Layer['inboundNodes'][number];

function singleShape(shapes: unknown): (number | null)[][] {
  return Array.isArray(shapes) && Array.isArray(shapes[0]) ? (shapes as (number | null)[][]) : [shapes as (number | null)[]];
}

const toNchw = (shape: (number | null)[]) =>
  shape.length === 4 ? [shape[0] ?? null, shape[3] ?? null, shape[1] ?? null, shape[2] ?? null] : shape;

/**
 * Writes a tfjs LayersModel (a registered architecture, or any model of the layer classes in
 * {@link ONNX_EXPORTERS}) as an ONNX model: opset {@link ONNX_OPSET}, float32 weights as initializers,
 * NCHW at the boundary unless `layout: 'nhwc'`, the batch axis dynamic. Spatial sizes are the model's
 * input size (padding and adaptive bins are resolved for it). A layer class without an exporter is a
 * one-line error naming the layer.
 */
export function exportOnnx(model: LayersModel, options: ExportOnnxOptions = {}): OnnxExport {
  const layout = options.layout ?? 'nchw';
  if (model.inputs.length !== 1) {
    throw new ConvkitError(
      'unexportable-model',
      `${model.name} has ${model.inputs.length} inputs; the ONNX export takes models of one image input`,
    );
  }
  const graph = new OnnxGraph();
  const folding = options.foldBatchNorm ? foldBatchNorms(model) : undefined;
  const inputShape = model.inputs[0]!.shape as (number | null)[];
  const inputName = graph.input('input', layout === 'nchw' ? toNchw(inputShape) : inputShape);
  const inputValue =
    inputShape.length === 4 && layout === 'nhwc' ? graph.node('Transpose', [inputName], 'input/nchw', { perm: [0, 3, 1, 2] }) : inputName;
  const values = new Map<string, string>();
  const inputLayer = model.inputLayers[0]!;
  values.set(`${inputLayer.name}#0`, inputValue);

  const exportedValue = (ref: NodeRef): string => {
    const key = `${ref.layer.name}#${ref.index}`;
    const known = values.get(key);
    if (known !== undefined) return known;
    const node = ref.layer.inboundNodes[ref.index] as Node;
    const inputs = node.inboundLayers.map((layer, i) => exportedValue({ layer, index: node.nodeIndices[i] as number }));
    if (folding?.folded.has(ref.layer.name)) {
      // The norm is in its convolution's weights now.
      values.set(key, inputs[0] as string);
      return inputs[0] as string;
    }
    const exporter = ONNX_EXPORTERS[ref.layer.getClassName()];
    if (!exporter) {
      throw new ConvkitError(
        'unexportable-layer',
        `layer ${ref.layer.name} of ${model.name} is a ${ref.layer.getClassName()}, which has no ONNX export; export a model without it (the exportable classes are the keys of ONNX_EXPORTERS)`,
      );
    }
    const value = exporter({
      graph,
      layer: ref.layer,
      config: ref.layer.getConfig() as Record<string, unknown>,
      inputs,
      inputShapes: singleShape(node.inputShapes),
      outputShape: singleShape(node.outputShapes)[0] as (number | null)[],
      weights: folding?.weights.get(ref.layer.name) ?? layerWeights(ref.layer),
    });
    values.set(key, value);
    return value;
  };

  const outputNames = model.outputs.map((output: SymbolicTensor, i) => {
    const value = exportedValue({ layer: model.outputLayers[i]!, index: model.outputLayersNodeIndices[i]! });
    const shape = output.shape as (number | null)[];
    const name = graph.node(
      shape.length === 4 && layout === 'nhwc' ? 'Transpose' : 'Identity',
      [value],
      `output${i === 0 ? '' : i}`,
      shape.length === 4 && layout === 'nhwc' ? { perm: [0, 2, 3, 1] } : {},
    );
    graph.output(name, layout === 'nchw' ? toNchw(shape) : shape);
    return name;
  });
  const bytes = graph.encode({
    name: model.name,
    opset: ONNX_OPSET,
    docString: `${model.name} exported by convkit (${layout.toUpperCase()} input)`,
  });
  return { bytes, inputName, outputNames, opTypes: graph.opTypes(), opset: ONNX_OPSET };
}
