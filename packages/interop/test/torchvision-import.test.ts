import { initBackend } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTorchWeights } from '../src/index.js';
import { type FixtureOptions, hasTorchvision, registry, relativeError, torchvisionReference } from './support/torchvision.js';

/**
 * Registered torchvision forms, the torchvision model each imports from, and the sizes they are
 * checked at: VGG and AlexNet thinned (`widthMultiplier` and the fixture's `--width` alike, in
 * torchvision's own module structure), the rest as torchvision builds them, at small inputs.
 */
const CASES: [string, string, Record<string, unknown>, FixtureOptions][] = [
  [
    'alexnet-tv',
    'alexnet',
    { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [64, 64, 3] },
    { width: 1 / 16, classes: 100, input: 64 },
  ],
  ['vgg11', 'vgg11', { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [32, 32, 3] }, { width: 1 / 16, classes: 100, input: 32 }],
  [
    'vgg16-bn',
    'vgg16_bn',
    { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [40, 40, 3] },
    { width: 1 / 16, classes: 100, input: 40 },
  ],
  ['resnet18', 'resnet18', { inputShape: [40, 40, 3] }, { input: 40 }],
  ['resnet50', 'resnet50', { inputShape: [40, 40, 3] }, { input: 40 }],
  ['googlenet-tv', 'googlenet', { inputShape: [96, 96, 3] }, { input: 96 }],
  ['densenet121', 'densenet121', { inputShape: [40, 40, 3] }, { input: 40 }],
  ['mobilenet-v2', 'mobilenet_v2', { inputShape: [40, 40, 3] }, { input: 40 }],
];

beforeAll(async () => {
  await initBackend('auto');
});

describe.skipIf(!hasTorchvision).each(CASES)('%s with torchvision %s weights', (name, torchvisionName, archOptions, fixture) => {
  let reference: Awaited<ReturnType<typeof torchvisionReference>>;
  beforeAll(async () => {
    reference = await torchvisionReference(torchvisionName, fixture);
  }, 120_000);
  afterAll(() => {
    if (reference) tf.dispose([reference.input, reference.logits]);
  });

  it("computes torchvision's logits within 1e-4 relative", async () => {
    const model = registry.create(name, archOptions);
    const report = await importTorchWeights(model, reference.weights, { family: registry.architectures.get(name).value.family });
    expect(report.assigned.length).toBe(model.weights.length);
    const logits = model.predict(reference.input) as tf.Tensor;
    expect(relativeError(logits, reference.logits)).toBeLessThan(1e-4);
    logits.dispose();
  });
});
