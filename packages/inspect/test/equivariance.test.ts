import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { roll, translationEquivariance } from '../src/index.js';
import { randomValues } from './random.js';

/** Pads a map circularly by `p` on every side (the torus the shift theorem lives on). */
class CircularPad extends tfl.layers.Layer {
  static className = 'test.CircularPad';
  constructor(private readonly p: number) {
    super({});
  }
  override computeOutputShape(shape: tfl.Shape): tfl.Shape {
    return [shape[0]!, shape[1]! + 2 * this.p, shape[2]! + 2 * this.p, shape[3]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const p = this.p;
    const [, h, w] = x.shape;
    const rows = tf.concat([tf.slice(x, [0, h - p, 0, 0], [-1, p, -1, -1]), x, tf.slice(x, [0, 0, 0, 0], [-1, p, -1, -1])], 1);
    return tf.concat([tf.slice(rows, [0, 0, w - p, 0], [-1, -1, p, -1]), rows, tf.slice(rows, [0, 0, 0, 0], [-1, -1, p, -1])], 2);
  }
}

/** conv 3x3 (circular padding) + relu, three times; the middle one with `stride`, then global average pooling and a dense head. */
function convNet(stride: number): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 2] });
  let y: tfl.SymbolicTensor = input;
  [1, stride, 1].forEach((s, i) => {
    y = new CircularPad(1).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers
      .conv2d({ filters: 4, kernelSize: 3, strides: s, padding: 'valid', activation: 'relu', name: `conv${i + 1}` })
      .apply(y) as tfl.SymbolicTensor;
  });
  y = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.dense({ units: 3, name: 'fc' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: y });
}

const byName = (curve: ReturnType<typeof translationEquivariance>, name: string) => curve.layers.find((l) => l.layer === name)!;

describe('translation equivariance over depth', () => {
  let images: tf.Tensor4D;
  beforeAll(async () => {
    await initBackend('cpu');
    images = tf.tensor4d(randomValues(4 * 16 * 16 * 2, 1), [4, 16, 16, 2]);
  });

  it('roll moves content down and right, wrapping around', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    expect(Array.from(roll(x, 1, 1).dataSync())).toEqual([6, 4, 5, 3, 1, 2]);
  });

  it('a conv-only stride-1 network is exactly equivariant to circular shifts at every layer, and its pooled output invariant', () => {
    const curve = translationEquivariance(convNet(1), images, [3, 5]);
    for (const name of ['conv1', 'conv2', 'conv3']) {
      expect(byName(curve, name).aligned).toBe(true);
      expect(byName(curve, name).equivarianceError).toBeLessThan(1e-6);
      expect(byName(curve, name).invarianceError).toBeGreaterThan(0.1);
    }
    expect(byName(curve, 'fc').invarianceError).toBeLessThan(1e-5);
    expect(curve.consistency).toBe(1);
  });

  it('a strided one is not equivariant to a one-pixel shift from the strided layer on, but is to a shift of its stride', () => {
    const model = convNet(2);
    const one = translationEquivariance(model, images, [1, 1]);
    expect(byName(one, 'conv1').equivarianceError).toBeLessThan(1e-6);
    expect(byName(one, 'conv2').aligned).toBe(false);
    expect(byName(one, 'conv2').equivarianceError).toBeGreaterThan(0.1);
    expect(byName(one, 'conv3').equivarianceError).toBeGreaterThan(0.1);
    expect(byName(one, 'fc').invarianceError).toBeGreaterThan(1e-3);
    const two = translationEquivariance(model, images, [2, 2]);
    expect(byName(two, 'conv3').jump).toEqual([2, 2]);
    expect(byName(two, 'conv3').equivarianceError).toBeLessThan(1e-6);
  });
});
