import { ConvkitError, summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { requireLayer, runLayers } from './layer-outputs.js';
import { seededNormal } from './seeded-normal.js';

/** The effective receptive field of one layer's centre unit, against its theoretical one. */
export interface EffectiveReceptiveField {
  layer: string;
  /** Input height and width. */
  input: [number, number];
  /** The output position whose gradient was taken (row, column of the layer's map). */
  unit: [number, number];
  /** Mean |∂y_centre/∂x| over images and input channels, `h x w` row-major, scaled so its maximum is 1. */
  map: Float32Array;
  /** Rows and columns of the smallest box holding every nonzero gradient: `[top, left, bottom, right]` inclusive. */
  support: [number, number, number, number];
  /** Side (height, width) of the support box. */
  supportSize: [number, number];
  /** Pixels that together hold `massFraction` of the gradient mass (largest first), and the side of a square of that area. */
  effectiveArea: number;
  effectiveSide: number;
  massFraction: number;
  /** Theoretical receptive field from `summarizeModel` (height, width), and the same clipped to the input. */
  theoretical: [number, number];
  theoreticalInImage: [number, number];
  /** True once the layer's theoretical field covers the whole input by a global operation. */
  global: boolean;
  images: number;
}

/**
 * Effective receptive field (Luo, Li, Urtasun and Zemel 2016, "Understanding the Effective
 * Receptive Field in Deep Convolutional Neural Networks"): the gradient of the centre unit of a
 * layer's output, summed over its channels, with respect to the input, `g = ∂(Σ_c y[i0, j0, c])/∂x`,
 * averaged in absolute value over `images` (random inputs by default) and input channels. Luo et al.
 * observe it is roughly Gaussian and occupies a fraction of the theoretical receptive field; here its
 * support, and the area holding 95% of its mass, are set against the theoretical field of
 * `summarizeModel` (`r_l = r_{l-1} + d(k-1)·j_{l-1}`).
 */
export function effectiveReceptiveField(
  model: LayersModel,
  options: { layer: string; images?: tf.Tensor4D; count?: number; seed?: number; massFraction?: number },
): EffectiveReceptiveField {
  requireLayer(model, options.layer);
  const row = summarizeModel(model).layers.find((l) => l.name === options.layer)!;
  if (row.outputShape.length !== 3) {
    throw new ConvkitError(
      'bad-layer',
      `layer ${options.layer} outputs shape ${row.outputShape.join('x')}, not a feature map; pick a convolution or pooling layer`,
    );
  }
  const [h, w, c] = (model.inputs[0]!.shape as number[]).slice(1) as [number, number, number];
  const [oh, ow] = row.outputShape as [number, number, number];
  const unit: [number, number] = [Math.floor((oh - 1) / 2), Math.floor((ow - 1) / 2)];
  const massFraction = options.massFraction ?? 0.95;
  const images = options.images ?? (seededNormal([options.count ?? 8, h, w, c], options.seed ?? 0) as tf.Tensor4D);
  const count = images.shape[0];
  const map = tf.tidy(() => {
    const mask = tf.buffer([1, oh, ow, 1]);
    mask.set(1, 0, unit[0], unit[1], 0);
    const selector = mask.toTensor();
    const centre = (x: tf.Tensor) => tf.sum(tf.mul(runLayers(model, x).get(options.layer)!, selector));
    // Summing over the batch gives every image's own gradient in one pass: in inference mode no layer mixes images.
    const grads = tf.grad(centre)(images);
    return tf.mean(tf.abs(grads), [0, 3]);
  });
  if (!options.images) images.dispose();
  const values = map.dataSync() as Float32Array;
  map.dispose();
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  const scaled = Float32Array.from(values, (v) => (max > 0 ? v / max : 0));
  let [top, left, bottom, right] = [h, w, -1, -1];
  scaled.forEach((v, i) => {
    if (v <= 0) return;
    const y = Math.floor(i / w);
    const x = i % w;
    top = Math.min(top, y);
    left = Math.min(left, x);
    bottom = Math.max(bottom, y);
    right = Math.max(right, x);
  });
  const sorted = Array.from(scaled).sort((a, b) => b - a);
  const total = sorted.reduce((s, v) => s + v, 0);
  let area = 0;
  for (let acc = 0; area < sorted.length && acc < massFraction * total; area++) acc += sorted[area]!;
  const theoretical: [number, number] = [row.receptiveField.height.size, row.receptiveField.width.size];
  return {
    layer: options.layer,
    input: [h, w],
    unit,
    map: scaled,
    support: [top, left, bottom, right],
    supportSize: bottom < 0 ? [0, 0] : [bottom - top + 1, right - left + 1],
    effectiveArea: area,
    effectiveSide: Math.sqrt(area),
    massFraction,
    theoretical,
    theoreticalInImage: [Math.min(theoretical[0], h), Math.min(theoretical[1], w)],
    global: row.receptiveField.global,
    images: count,
  };
}
