import { initBackend } from '@convkit/core';
import { generateShapes, openTrainedModel, shapeCoverage } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCam, lastSpatialLayer, mapGrids } from '../src/index.js';
import { LENET5_SHAPES, testRegistry } from './trained-lenet.js';

/** Share of Grad-CAM mass on the drawn shape, on its bounding box, and the shares of the image they cover (chance level). */
async function massOnShapes(layer: string, count: number) {
  const { model, metadata } = await openTrainedModel(LENET5_SHAPES, testRegistry());
  const test = generateShapes({ seed: metadata.seed, trainSize: 0, testSize: count }).test;
  const coverage = shapeCoverage({ seed: metadata.seed, trainSize: 0, testSize: count }, 'test');
  const [h, w] = metadata.inputShape;
  const { mean, std } = metadata.normalization;
  const sums = { shape: 0, box: 0, shapeArea: 0, boxArea: 0 };
  for (let n = 0; n < count; n++) {
    const image = tf.tensor4d(
      Float32Array.from(test.pixels(n), (v) => (v / 255 - mean[0]!) / std[0]!),
      [1, h, w, 1],
    );
    const cam = gradCam(model, image, { layer, classIndex: test.labels[n]! });
    image.dispose();
    const drawn = coverage.subarray(n * h * w, (n + 1) * h * w);
    let [top, left, bottom, right] = [h, w, -1, -1];
    drawn.forEach((v, i) => {
      if (v <= 0) return;
      [top, bottom] = [Math.min(top, Math.floor(i / w)), Math.max(bottom, Math.floor(i / w))];
      [left, right] = [Math.min(left, i % w), Math.max(right, i % w)];
    });
    const inBox = (i: number) => Math.floor(i / w) >= top && Math.floor(i / w) <= bottom && i % w >= left && i % w <= right;
    const total = cam.map.reduce((s, v) => s + v, 0);
    sums.shape += cam.map.reduce((s, v, i) => s + (drawn[i]! > 0 ? v : 0), 0) / total;
    sums.box += cam.map.reduce((s, v, i) => s + (inBox(i) ? v : 0), 0) / total;
    sums.shapeArea += drawn.filter((v) => v > 0).length / (h * w);
    sums.boxArea += ((bottom - top + 1) * (right - left + 1)) / (h * w);
  }
  model.dispose();
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / count])) as typeof sums;
}

describe('Grad-CAM on LeNet-5 trained on shapes', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it("at S2 puts most of its mass on the drawn shape's box, well above chance, and on the shape itself at 1.5x chance", async () => {
    const mass = await massOnShapes('s2', 40);
    expect(mass.box).toBeGreaterThan(0.5);
    expect(mass.box).toBeGreaterThan(1.4 * mass.boxArea);
    expect(mass.shape).toBeGreaterThan(1.5 * mass.shapeArea);
  });

  it('the default layer is S4, the last map larger than 1x1, whose positions sit 4 pixels apart from pixel 5.5 of the input', async () => {
    const { model } = await openTrainedModel(LENET5_SHAPES, testRegistry());
    expect(lastSpatialLayer(model)).toBe('s4');
    // pad 2 -> -2; C1 5x5 -> -2 + 2 = 0; S2 2x2/2 -> 0.5, jump 2; C3 5x5 -> 0.5 + 2·2 = 4.5; S4 2x2/2 -> 4.5 + 2·0.5 = 5.5, jump 4
    expect(mapGrids(model).get('c1')).toEqual([
      { offset: 0, jump: 1 },
      { offset: 0, jump: 1 },
    ]);
    expect(mapGrids(model).get('s4')).toEqual([
      { offset: 5.5, jump: 4 },
      { offset: 5.5, jump: 4 },
    ]);
    model.dispose();
  });
});
