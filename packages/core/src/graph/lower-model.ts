import type { LayersModel, LayerVariable, layers, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ConvkitError } from '../errors.js';
import type { GraphOps } from './graph-ops.js';
import { GRAPH_LOWERINGS } from './lowering/layer-lowerings.js';
import type { LoweringContext } from './lowering/lowering-context.js';

/** What {@link lowerModel} needs besides the model: the graph tensors of its input and weights. */
export interface LowerModelOptions {
  ops: GraphOps;
  /** The image batch, NHWC float32. */
  input: string;
  /** The graph tensor of each weight's current value. */
  read(variable: LayerVariable): string;
  /** Sets a non-trainable weight at the end of the step (batch norm's moving statistics). */
  assign(variable: LayerVariable, value: string): void;
  /** A fresh seed pair for each random op (dropout); only asked for in training. */
  randomSeed(): string;
  /** A float32 scalar fed at every step from `read()` (see {@link LoweringContext.stepScalar}). */
  stepScalar(key: string, read: () => number): string;
  training: boolean;
}

const shortName = (variable: LayerVariable) => variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);

function shapesOf(shapes: unknown): (number | null)[][] {
  return Array.isArray(shapes) && Array.isArray(shapes[0]) ? (shapes as (number | null)[][]) : [shapes as (number | null)[]];
}

/**
 * The first layer of `model` (in its layer order) that the graph engine cannot lower, as a one-line
 * reason naming the layer and its class, or undefined when every layer lowers.
 */
export function unloweredLayer(model: LayersModel): string | undefined {
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className !== 'InputLayer' && !(className in GRAPH_LOWERINGS)) return `layer ${layer.name} is a ${className}`;
  }
  return undefined;
}

/**
 * Lowers the forward pass of a single-input tfjs LayersModel into the graph: each symbolic tensor of
 * the model becomes a graph tensor through the lowering of the layer that produced it
 * ({@link GRAPH_LOWERINGS}); returns the graph tensors of the model's outputs. A layer without a
 * lowering is a one-line error naming it.
 */
export function lowerModel(model: LayersModel, options: LowerModelOptions): string[] {
  const unlowered = unloweredLayer(model);
  if (unlowered) {
    throw new ConvkitError(
      'graph-unsupported',
      `${unlowered} in ${model.name}, which the graph engine does not lower; train it with --engine eager`,
    );
  }
  if (model.inputs.length !== 1) {
    throw new ConvkitError(
      'graph-unsupported',
      `${model.name} has ${model.inputs.length} inputs; the graph engine lowers models of one image input; train it with --engine eager`,
    );
  }
  const lowered = new Map<number, string>([[(model.inputs[0] as SymbolicTensor).id, options.input]]);
  const visit = (tensor: SymbolicTensor): string => {
    const known = lowered.get(tensor.id);
    if (known !== undefined) return known;
    const layer = tensor.sourceLayer as layers.Layer;
    const node = layer.inboundNodes[tensor.nodeIndex] as layers.Layer['inboundNodes'][number];
    const inputs = node.inputTensors.map(visit);
    const variables = new Map(layer.weights.map((v) => [shortName(v), v]));
    const variable = (name: string): LayerVariable => {
      const found = variables.get(name);
      if (!found)
        throw new ConvkitError('graph-bug', `layer ${layer.name} has no weight ${name} (it has ${[...variables.keys()].join(', ')})`);
      return found;
    };
    const value = (GRAPH_LOWERINGS[layer.getClassName()] as (typeof GRAPH_LOWERINGS)[string])({
      ops: options.ops,
      layer,
      config: layer.getConfig() as Record<string, unknown>,
      inputs,
      inputShapes: shapesOf(node.inputShapes),
      outputShape: shapesOf(node.outputShapes)[0] as (number | null)[],
      training: options.training,
      weight: (name) => options.read(variable(name)),
      hasWeight: (name) => variables.has(name),
      assign: (name, update) => options.assign(variable(name), update),
      randomSeed: options.randomSeed,
      stepScalar: options.stepScalar,
    });
    lowered.set(tensor.id, value);
    return value;
  };
  return model.outputs.map(visit);
}
