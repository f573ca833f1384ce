import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { modelOutput, runLayers } from './layer-outputs.js';

/** The loss gradient at one layer. */
export interface LayerGradient {
  layer: string;
  className: string;
  /** Position among the layers with a kernel (convolutions, dense), from the input (1) to the output. */
  depth: number;
  /** `‖∂L/∂W‖₂` over the layer's kernel (its first trainable weight). */
  weightGradientNorm: number;
  /** `‖∂L/∂W‖ / ‖W‖`, the relative size of an SGD step at this layer. */
  relativeGradient: number;
  /**
   * `‖∂L/∂a‖₂` with respect to the layer's output activations, as the root mean square over images of
   * each image's own loss gradient (the batch loss is a mean, so its gradient is scaled back by N).
   */
  activationGradientNorm: number;
}

/** Gradient norms through a network's depth for one batch. */
export interface GradientFlow {
  layers: LayerGradient[];
  loss: number;
  images: number;
  /** First kernel layer's weight-gradient norm over the last one's: below 1 the gradient shrinks towards the input, above 1 it grows. */
  firstToLast: number;
}

/**
 * Gradient flow: the norm of the cross-entropy loss gradient at every layer with a kernel, both with
 * respect to its kernel `‖∂L/∂W_l‖` and to its output `‖∂L/∂a_l‖`, for a batch of `images` with
 * integer `labels`, in training mode (batch statistics, as when training). In a plain deep network
 * the gradient reaching early layers is a product of many Jacobians, `∂L/∂a_l = ∂L/∂a_L Π_k ∂a_{k+1}/∂a_k`,
 * and can vanish; a residual block `a_{k+1} = a_k + F(a_k)` makes each factor `I + ∂F/∂a_k` (the
 * "+1 term"), so the gradient keeps an identity path (He et al. 2016). The model's output must be
 * logits.
 */
export function gradientFlow(model: LayersModel, images: tf.Tensor4D, labels: number[]): GradientFlow {
  if (labels.length !== images.shape[0]) {
    throw new ConvkitError('bad-option', `${labels.length} labels for ${images.shape[0]} images; pass one label per image`);
  }
  // Layers with a kernel (convolutions, dense): the depth He et al. count; batch norms' gamma and beta are not layers of depth.
  const weighted = model.layers.filter((l) => l.trainableWeights.length > 0 && l.trainableWeights[0]!.shape.length >= 2);
  if (weighted.length === 0) throw new ConvkitError('bad-model', `${model.name} has no trainable kernels; gradient flow needs some`);
  const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
  const probes = new Map(weighted.map((l) => [l.name, tf.zeros([images.shape[0], ...(l.outputShape as number[]).slice(1)])]));
  const kernels = weighted.map((l) => l.trainableWeights[0]!.read());
  // Differentiated with respect to the probes and kernels it closes over: tfjs's tape follows the tensors, not the arguments.
  const lossOf = (..._inputs: tf.Tensor[]) => {
    const logits = modelOutput(model, runLayers(model, images, { training: true, perturb: probes }));
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  };
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(lossOf)([...probes.values(), ...kernels]));
  const norms = tf.tidy(() => grads.map((g) => tf.norm(g).dataSync()[0]!));
  const weightNorms = kernels.map((k) => tf.tidy(() => tf.norm(k).dataSync()[0]!));
  const n = weighted.length;
  const layers = weighted.map((l, i) => ({
    layer: l.name,
    className: l.getClassName(),
    depth: i + 1,
    activationGradientNorm: norms[i]! * Math.sqrt(images.shape[0]),
    weightGradientNorm: norms[n + i]!,
    relativeGradient: weightNorms[i]! > 0 ? norms[n + i]! / weightNorms[i]! : 0,
  }));
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...grads, oneHot, ...probes.values()]);
  return { layers, loss, images: images.shape[0], firstToLast: layers[0]!.weightGradientNorm / layers.at(-1)!.weightGradientNorm };
}
