import { summarizeModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { runLayers } from './layer-outputs.js';

/** Translation behaviour of one layer. */
export interface LayerEquivariance {
  layer: string;
  className: string;
  /** Position in the model's layer order (the x axis of the depth curve). */
  depth: number;
  /** Total stride (jump) of the layer's output grid in input pixels, height and width. */
  jump: [number, number];
  /**
   * `‖f(S_d x) − S_{d/j} f(x)‖ / ‖f(x)‖`: output of the shifted input against the output shifted by
   * the shift in the layer's own grid (rounded when the jump does not divide the shift); spatial layers only.
   */
  equivarianceError?: number;
  /** True when the layer's jump divides the shift, so exact equivariance is possible at all. */
  aligned?: boolean;
  /** `‖f(S_d x) − f(x)‖ / ‖f(x)‖`: how much the output changes at all (0 = invariant). */
  invarianceError: number;
}

/** Equivariance and invariance over a network's depth for one input shift. */
export interface EquivarianceCurve {
  shift: [number, number];
  /** `circular` rolls the image (content leaving one side enters at the other). */
  mode: 'circular';
  layers: LayerEquivariance[];
  /** Share of images whose top class is unchanged by the shift (Zhang 2019's consistency). */
  consistency: number;
  images: number;
}

/** Rolls an NHWC tensor circularly by (dy, dx): `roll(x)[i][j] = x[(i - dy) mod H][(j - dx) mod W]`. */
export function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const sy = ((dy % h) + h) % h;
    const sx = ((dx % w) + w) % w;
    const rows =
      sy === 0 ? x : tf.concat([tf.slice(x, [0, h - sy, 0, 0], [-1, sy, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
    return sx === 0
      ? rows
      : tf.concat([tf.slice(rows, [0, 0, w - sx, 0], [-1, -1, sx, -1]), tf.slice(rows, [0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
  });
}

function relativeDistance(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const reference = tf.norm(b).dataSync()[0]!;
    const distance = tf.norm(tf.sub(a, b)).dataSync()[0]!;
    return reference > 0 ? distance / reference : distance;
  });
}

/**
 * Translation equivariance and invariance of every layer of a model, as a curve over depth.
 * A convolution commutes with translation, `f(S_d x) = S_d f(x)` (the shift theorem); a layer of
 * total stride `j` can at best commute with shifts that are multiples of `j`, `f(S_d x) = S_{d/j} f(x)`,
 * which is where strided convolution and pooling lose it (Zhang 2019, "Making Convolutional Networks
 * Shift-Invariant Again"). Inputs are shifted circularly, so a stride-1 network with circular
 * padding is exactly equivariant and zero padding shows up as a border effect.
 */
export function translationEquivariance(model: LayersModel, images: tf.Tensor4D, shift: [number, number] = [1, 1]): EquivarianceCurve {
  const [dy, dx] = shift;
  const summary = new Map(summarizeModel(model).layers.map((l) => [l.name, l]));
  const shifted = roll(images, dy, dx);
  const plain = runLayers(model, images);
  const moved = runLayers(model, shifted);
  const layers: LayerEquivariance[] = [];
  model.layers.forEach((layer, depth) => {
    const a = moved.get(layer.name);
    const b = plain.get(layer.name);
    if (!a || !b || layer.inboundNodes[0]?.inboundLayers.length === 0) return;
    const row = summary.get(layer.name)!;
    const jump: [number, number] = [row.receptiveField.height.jump, row.receptiveField.width.jump];
    const entry: LayerEquivariance = {
      layer: layer.name,
      className: layer.getClassName(),
      depth,
      jump,
      invarianceError: relativeDistance(a, b),
    };
    if (a.rank === 4) {
      const back = roll(b as tf.Tensor4D, Math.round(dy / jump[0]), Math.round(dx / jump[1]));
      entry.equivarianceError = relativeDistance(a, back);
      entry.aligned = dy % jump[0] === 0 && dx % jump[1] === 0;
      back.dispose();
    }
    layers.push(entry);
  });
  const output = model.outputs[0]!.sourceLayer.name;
  const top = (t: tf.Tensor) => {
    const classes = tf.tidy(() => tf.argMax(tf.reshape(t, [t.shape[0]!, -1]), 1));
    const values = Array.from(classes.dataSync());
    classes.dispose();
    return values;
  };
  const before = top(plain.get(output)!);
  const after = top(moved.get(output)!);
  const consistency = before.filter((c, i) => c === after[i]).length / before.length;
  tf.dispose([shifted, ...plain.values(), ...moved.values()].filter((t) => t !== images));
  return { shift, mode: 'circular', layers, consistency, images: images.shape[0] };
}
