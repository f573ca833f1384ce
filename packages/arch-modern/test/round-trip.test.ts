import { initBackend } from '@convkit/core';
import { beforeAll, expect, it } from 'vitest';
import { registry } from './support/registry.js';
import { outputsBeforeAndAfterSaving } from './support/round-trip.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/**
 * One thin form of each DenseNet and MobileNet builder: between them they hold every layer class the
 * families use (PyTorch-padded strided convolutions, depthwise convolutions, the padded max pool).
 */
it.each([
  ['densenet121', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
  ['densenet-bc-100', { widthMultiplier: 0.25, inputShape: [8, 8, 3] }],
  ['mobilenet-v1', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
  ['mobilenet-v2', { widthMultiplier: 0.25, inputShape: [32, 32, 3], numClasses: 10 }],
  ['mobilenet-v2-cifar', { widthMultiplier: 0.25, inputShape: [16, 16, 3] }],
] as const)('%s saves and loads with identical outputs', async (name, options) => {
  const model = registry.create(name, options);
  const [saved, loaded] = await outputsBeforeAndAfterSaving(model);
  model.dispose();
  expect(loaded).toEqual(saved);
});
