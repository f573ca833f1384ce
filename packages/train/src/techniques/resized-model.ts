import { ConvkitError } from '@convkit/core';
import { model as functionalModel, input, type LayersModel, type layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';

type Node = layers.Layer['inboundNodes'][number];

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n')[0];

/**
 * A model of the same layers as `model` (so the same weight variables: training either trains both)
 * taking `height` x `width` inputs: every layer of `model`'s graph is called again, in the graph's
 * order, on the resized symbolic input. It is how progressive resizing trains one set of weights at
 * several sizes. A layer that cannot take the new size (a Dense after a Flatten, whose kernel was
 * sized for the old one) is a one-line error naming it; so is a model whose output shape changes.
 * The view is disposed with, and as well as, `model` (each holds a reference to the shared layers).
 */
export function resizedModel(model: LayersModel, height: number, width: number, arch: string): LayersModel {
  const original = model.inputs[0] as SymbolicTensor;
  const channels = original.shape[3] as number;
  const resizedInput = input({ shape: [height, width, channels], name: `${original.name.replace(/\W/g, '_')}_${height}x${width}` });
  const made = new Map<number, SymbolicTensor>([[original.id, resizedInput]]);
  const visit = (tensor: SymbolicTensor): SymbolicTensor => {
    const known = made.get(tensor.id);
    if (known) return known;
    const layer = tensor.sourceLayer as layers.Layer;
    const node = layer.inboundNodes[tensor.nodeIndex] as Node;
    const inputs = node.inputTensors.map(visit);
    let outputs: SymbolicTensor | SymbolicTensor[];
    try {
      outputs = layer.apply(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs, node.callArgs) as
        | SymbolicTensor
        | SymbolicTensor[];
    } catch (error) {
      throw new ConvkitError(
        'not-size-agnostic',
        `${arch} cannot train at ${height}x${width}: layer ${layer.name} (${layer.getClassName()}) takes only the size it was built for (${firstLine(error)}); choose sizes the architecture accepts, or an architecture with global pooling such as resnet20`,
      );
    }
    const list = Array.isArray(outputs) ? outputs : [outputs];
    for (const [i, old] of node.outputTensors.entries()) made.set(old.id, list[i] as SymbolicTensor);
    return made.get(tensor.id) as SymbolicTensor;
  };
  const outputs = model.outputs.map(visit);
  const view = functionalModel({ inputs: resizedInput, outputs, name: `${model.name}_${height}x${width}` });
  const changed = model.outputs.findIndex((o, i) => JSON.stringify(o.shape) !== JSON.stringify(outputs[i]?.shape));
  if (changed >= 0) {
    view.dispose();
    const layer = model.outputs[changed]?.sourceLayer.name;
    throw new ConvkitError(
      'not-size-agnostic',
      `${arch} cannot train at ${height}x${width}: its output ${layer} changes shape with the input size (${JSON.stringify(outputs[changed]?.shape)} instead of ${JSON.stringify(model.outputs[changed]?.shape)}); choose an architecture with global pooling such as resnet20`,
    );
  }
  // The eager optimizer, the EMA and checkpoints index weights by position; the view must keep it.
  if (view.weights.some((w, i) => w !== model.weights[i])) {
    view.dispose();
    throw new ConvkitError('resize-bug', `the ${height}x${width} view of ${model.name} orders its weights differently from the model`);
  }
  return view;
}
