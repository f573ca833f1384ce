import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unloweredLayer } from './lower-model.js';
import { GRAPH_OPTIMIZERS } from './train-graph.js';

/** What decides whether a training step can be lowered besides the model's layers. */
export interface GraphRefusalOptions {
  /** The optimizer's name (`sgd`, `adam`, ...). */
  optimizer: string;
}

/**
 * Why the graph engine cannot compile `model`'s training step, as one line naming what blocks it
 * (`layer stage1.block1.se is a convkit.SqueezeExcite`), or undefined when it can. Checked before any
 * graph is built, so a trainer can fall back to the eager engine and say why. A lowering may still
 * refuse a layer's configuration (a grouped convolution) while the graph is built; that refusal is a
 * `graph-unsupported` {@link ConvkitError} of the same one-line form.
 */
export function graphRefusal(model: LayersModel, options: GraphRefusalOptions): string | undefined {
  if (model.inputs.length !== 1) return `${model.name} has ${model.inputs.length} inputs (the graph engine lowers one image input)`;
  if (model.outputs.length !== 1) return `${model.name} has ${model.outputs.length} outputs (the graph engine trains one logits output)`;
  if (!(GRAPH_OPTIMIZERS as readonly string[]).includes(options.optimizer))
    return `optimizer ${options.optimizer} is not lowered (the graph engine lowers ${GRAPH_OPTIMIZERS.join(', ')})`;
  return unloweredLayer(model);
}
