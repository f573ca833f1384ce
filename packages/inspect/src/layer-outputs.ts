import { ConvkitError, closestNames } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';

/** How {@link runLayers} runs a model. */
export interface RunLayersOptions {
  /** Layers in training mode (batch statistics, dropout); default false (inference). */
  training?: boolean;
  /**
   * Tensors added to named layers' outputs as the model runs. Zeros change nothing, but the gradient
   * of any result with respect to them is the gradient with respect to those layers' activations.
   */
  perturb?: ReadonlyMap<string, tf.Tensor>;
}

/**
 * Runs a functional (or sequential) tfjs-layers model on concrete tensors layer by layer, in the
 * model's topological order, and returns every layer's (first) output by layer name, the model's
 * output included. Unlike `model.predict` it exposes intermediate activations and lets gradients be
 * taken with respect to them (see `perturb`); it runs inside the caller's tidy/grad scope.
 */
export function runLayers(model: LayersModel, x: tf.Tensor, options: RunLayersOptions = {}): Map<string, tf.Tensor> {
  if (model.inputs.length !== 1) {
    throw new ConvkitError('bad-model', `${model.name} has ${model.inputs.length} inputs; inspection takes single-input models`);
  }
  const values = new Map<number, tf.Tensor>([[(model.inputs[0] as SymbolicTensor).id, x]]);
  const outputs = new Map<string, tf.Tensor>();
  const kwargs = { training: options.training ?? false };
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0];
    if (!node) continue;
    if (node.inboundLayers.length === 0) {
      outputs.set(layer.name, x);
      continue;
    }
    const inputs = node.inputTensors.map((t) => {
      const value = values.get(t.id);
      if (!value)
        throw new ConvkitError(
          'bad-model',
          `layer ${layer.name} of ${model.name} reads a tensor computed outside the model; inspect the outer model`,
        );
      return value;
    });
    let result = layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, kwargs) as tf.Tensor | tf.Tensor[];
    const results = Array.isArray(result) ? result : [result];
    const delta = options.perturb?.get(layer.name);
    if (delta) {
      results[0] = tf.add(results[0] as tf.Tensor, delta);
      result = results[0];
    }
    node.outputTensors.forEach((t, i) => {
      values.set(t.id, results[i] as tf.Tensor);
    });
    outputs.set(layer.name, results[0] as tf.Tensor);
  }
  return outputs;
}

/** The model's first output as `runLayers` computed it. */
export function modelOutput(model: LayersModel, outputs: Map<string, tf.Tensor>): tf.Tensor {
  const symbolic = model.outputs[0] as SymbolicTensor;
  const value = outputs.get(symbolic.sourceLayer.name);
  if (!value) throw new ConvkitError('bad-model', `${model.name}'s output layer ${symbolic.sourceLayer.name} did not run`);
  return value;
}

/** Names of the layers whose output is a 4-D feature map (NHWC), in depth order: the ones worth picturing. */
export function spatialLayers(model: LayersModel): string[] {
  return model.layers
    .filter((l) => {
      const shape = l.outputShape;
      return !Array.isArray(shape[0]) && (shape as (number | null)[]).length === 4 && l.inboundNodes[0]?.inboundLayers.length !== 0;
    })
    .map((l) => l.name);
}

/** Checks that the model has a layer of that name; the error offers the closest names. */
export function requireLayer(model: LayersModel, name: string): void {
  if (model.layers.some((l) => l.name === name)) return;
  const close = closestNames(
    name,
    model.layers.map((l) => l.name),
  );
  const hint = close.length > 0 ? `did you mean ${close.join(', ')}?` : '`convkit models summary` lists its layers';
  throw new ConvkitError('unknown-layer', `${model.name} has no layer ${name}; ${hint}`);
}
