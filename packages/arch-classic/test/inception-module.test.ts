import { readFileSync } from 'node:fs';
import { initBackend } from '@convkit/core';
import { maxRelativeError } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { input, model } from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { GOOGLENET_CONVENTIONS } from '../src/googlenet.js';
import { type InceptionWidths, inceptionModule } from '../src/inception-module.js';

interface Stored {
  shape: number[];
  values: number[];
}

/** torchvision's Inception module with small widths, its weights under convkit's names, an input and its output. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torchvision_inception.json', import.meta.url), 'utf8')) as {
  widths: number[];
  weights: Record<string, Stored>;
  input: Stored;
  output: Stored;
};

beforeAll(async () => {
  await initBackend('cpu');
});

it("an Inception module in torchvision's form, given torchvision's weights, computes torchvision's output", () => {
  const { torchvision } = GOOGLENET_CONVENTIONS;
  const [, height, width, channels] = fixture.input.shape as [number, number, number, number];
  const x = input({ shape: [height, width, channels] });
  const y = inceptionModule(x, 'inception', fixture.widths as unknown as InceptionWidths, {
    normalization: torchvision.normalization,
    wideKernel: torchvision.wideKernel,
    widthMultiplier: 1,
  });
  const module = model({ inputs: x, outputs: y });
  const tensor = ({ shape, values }: Stored) => tf.tensor(values, shape);
  let loaded = 0;
  for (const layer of module.layers) {
    if (layer.weights.length === 0) continue;
    layer.setWeights(layer.weights.map((w) => tensor(fixture.weights[w.originalName]!)));
    loaded += layer.weights.length;
  }
  expect(loaded).toBe(Object.keys(fixture.weights).length);
  const output = module.predict(tensor(fixture.input)) as tf.Tensor;
  expect(output.shape).toEqual(fixture.output.shape);
  expect(maxRelativeError(output.dataSync(), fixture.output.values)).toBeLessThan(1e-5);
  module.dispose();
});
