import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mapGrids, mapToInput } from './grid-geometry.js';
import { modelOutput, requireLayer, runLayers, spatialLayers } from './layer-outputs.js';

/** A Grad-CAM map of one image. */
export interface GradCam {
  layer: string;
  /** The class explained, and the model's score (its output before any softmax) for it. */
  classIndex: number;
  score: number;
  /** The class the model ranks first. */
  predicted: number;
  /** Map at the layer's resolution, `lh x lw`, scaled to [0, 1] (all zero when no evidence is positive). */
  layerMap: Float32Array;
  layerSize: [number, number];
  /** The same map on the input's pixels, `h x w`, in [0, 1] (see {@link mapGrids}). */
  map: Float32Array;
  inputSize: [number, number];
  /** Channel weights α_k. */
  weights: Float32Array;
}

/**
 * The default Grad-CAM layer: the last layer whose output is a spatial map larger than 1x1 (the last
 * convolutional features that still say where; LeNet-5's C5 is 1x1 and cannot).
 */
export function lastSpatialLayer(model: LayersModel): string {
  const byName = new Map(model.layers.map((l) => [l.name, l.outputShape as number[]]));
  const name = spatialLayers(model)
    .filter((n) => (byName.get(n)![1] ?? 1) * (byName.get(n)![2] ?? 1) > 1)
    .at(-1);
  if (!name) throw new ConvkitError('bad-model', `${model.name} has no layer with a spatial (NHWC) output; Grad-CAM needs one`);
  return name;
}

/**
 * Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via
 * Gradient-based Localization"): for feature maps `A^k` of a layer and the class score `y^c`
 * (the logit, before softmax), the channel weights are the spatially averaged gradients
 * `α_k = (1/Z) Σ_ij ∂y^c/∂A^k_ij`, and the map is `L = ReLU(Σ_k α_k A^k)`, upsampled to the input
 * bilinearly with each map position placed on the centre of its receptive field ({@link mapGrids}),
 * not stretched over the image, which misplaces maps of 'valid'-padded networks by several pixels.
 * Works on any layer with a spatial output of any functional model; `classIndex` defaults to the
 * predicted class. `image` is one normalized NHWC image `[1, h, w, c]`.
 */
export function gradCam(model: LayersModel, image: tf.Tensor4D, options: { layer?: string; classIndex?: number } = {}): GradCam {
  const layer = options.layer ?? lastSpatialLayer(model);
  requireLayer(model, layer);
  if (image.shape[0] !== 1)
    throw new ConvkitError('bad-image', `Grad-CAM explains one image at a time, got a batch of ${image.shape[0]}; pass [1, h, w, c]`);
  const probe = runLayers(model, image);
  const features = probe.get(layer)!;
  if (features.rank !== 4) {
    throw new ConvkitError(
      'bad-layer',
      `layer ${layer} outputs shape ${features.shape.join('x')}, not a feature map; pick a convolution or pooling layer`,
    );
  }
  const logits = modelOutput(model, probe).dataSync();
  const predicted = logits.indexOf(Math.max(...logits));
  const classIndex = options.classIndex ?? predicted;
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < logits.length)) {
    throw new ConvkitError(
      'bad-option',
      `class ${classIndex} is not one of the model's ${logits.length} classes; pass 0 to ${logits.length - 1}`,
    );
  }
  const [, lh, lw] = features.shape as [number, number, number, number];
  const zeros = tf.zerosLike(features);
  const [weights, layerMap] = tf.tidy(() => {
    // The gradient with respect to a zero added to the layer's output is the gradient with respect to the activations A.
    const score = (delta: tf.Tensor) =>
      tf.sum(tf.gather(modelOutput(model, runLayers(model, image, { perturb: new Map([[layer, delta]]) })), [classIndex], 1));
    const grads = tf.grad(score)(zeros);
    const alpha = tf.mean(grads, [0, 1, 2]);
    const cam = tf.relu(tf.sum(tf.mul(features, alpha), 3));
    const peak = tf.max(cam);
    const scaled = tf.where(tf.greater(peak, 0), tf.div(cam, tf.maximum(peak, 1e-30)), tf.zerosLike(cam));
    return [alpha, scaled];
  });
  const grid = mapGrids(model).get(layer)!;
  const inputSize: [number, number] = [image.shape[1], image.shape[2]];
  const map = mapToInput(layerMap.dataSync(), [lh, lw], grid, inputSize);
  const result: GradCam = {
    layer,
    classIndex,
    score: logits[classIndex]!,
    predicted,
    layerMap: layerMap.dataSync() as Float32Array,
    layerSize: [lh, lw],
    map,
    inputSize,
    weights: weights.dataSync() as Float32Array,
  };
  tf.dispose([zeros, weights, layerMap, ...probe.values()].filter((t) => t !== image));
  return result;
}
