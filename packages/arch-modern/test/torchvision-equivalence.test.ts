import { readFileSync } from 'node:fs';
import { initBackend } from '@convkit/core';
import { testBackends } from '@convkit/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashedInput, setHashedWeights } from './support/hashed-weights.js';
import { buildForCounting } from './support/registry.js';

/** torchvision's eval-mode logits for the hashed weights and input, from test/fixtures/torchvision_logits.py. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torchvision_logits.json', import.meta.url), 'utf8')) as {
  input_shape: [number, number, number, number];
} & Record<'densenet121' | 'mobilenet_v2' | 'resnet50', number[]>;

beforeAll(async () => {
  // The first backend of the matrix (tensorflow where provisioned): a 120-layer forward pass on the
  // pure-JavaScript cpu backend blocks the test worker for tens of seconds on a loaded machine.
  const [backend] = await testBackends();
  await initBackend(backend ?? 'cpu');
});

describe.each([
  ['densenet121', 'densenet121'],
  ['mobilenet-v2', 'mobilenet_v2'],
  ['resnet50', 'resnet50'],
] as const)('%s with the same weights as torchvision', (name, torchName) => {
  it(`gives torchvision's ${torchName} logits within 1e-4 of their scale in eval mode (40x40 input: odd maps, stride-2 padding, floor pools)`, async () => {
    const [batch, height, width, channels] = fixture.input_shape;
    // Built without drawing random weights, since every weight is set from the formula next.
    const model = buildForCounting(name, { inputShape: [height, width, channels] });
    setHashedWeights(model);
    const x = hashedInput(fixture.input_shape);
    const logits = Array.from(await (model.predict(x) as tf.Tensor).data());
    model.dispose();
    x.dispose();
    const expected = fixture[torchName];
    expect(logits).toHaveLength(batch * 1000);
    const scale = Math.max(...expected.map(Math.abs));
    const error = Math.max(...logits.map((v, i) => Math.abs(v - (expected[i] as number))));
    expect(scale).toBeGreaterThan(1);
    expect(error / scale).toBeLessThan(1e-4);
  });
});
