import { readFileSync } from 'node:fs';
import { initBackend } from '@convkit/core';
import { testBackends } from '@convkit/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForCounting } from './support/registry.js';
import { setWeightValues, torchPatternInput, torchPatternWeights } from './support/torch-pattern.js';

/** torchvision resnet50's eval-mode logits for the pattern weights, from fixtures/torchvision_resnet50_logits.py. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torchvision_resnet50_logits.json', import.meta.url), 'utf8')) as {
  input: [number, number, number, number];
  logits: number[][];
};

const inputShape = fixture.input.slice(1);
let weights: Map<string, Float32Array[]>;
beforeAll(async () => {
  await initBackend('cpu');
  const model = buildForCounting('resnet50', { inputShape });
  weights = torchPatternWeights(model);
  model.dispose();
}, 120_000);

describe.each(await testBackends())('on %s', (backend) => {
  let model: LayersModel;
  beforeAll(async () => {
    await initBackend(backend);
    model = buildForCounting('resnet50', { inputShape });
    setWeightValues(model, weights);
  }, 120_000);
  afterAll(() => model.dispose());

  it("resnet50's logits equal torchvision's within 1e-4 of the logit scale, same weights, eval mode, 71x71 inputs", () => {
    const [batch, size] = fixture.input;
    const x = torchPatternInput(batch, size);
    const logits = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    x.dispose();
    const expected = fixture.logits.flat();
    const scale = Math.max(...expected.map(Math.abs));
    const worst = Math.max(...logits.flat().map((v, i) => Math.abs(v - (expected[i] as number))));
    expect(scale).toBeGreaterThan(1);
    expect(worst / scale).toBeLessThan(1e-4);
  });
});
