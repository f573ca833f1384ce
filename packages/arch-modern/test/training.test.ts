import { initBackend } from '@convkit/core';
import { lossBeforeAndAfterOneStep, testBackends } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from './support/registry.js';

/** Thin, small-input forms of the registered architectures (the CIFAR ResNets with both shortcut options). */
const TINY: [string, Record<string, unknown>][] = [
  ['resnet20', { widthMultiplier: 0.25, inputShape: [16, 16, 3] }],
  ['resnet20', { widthMultiplier: 0.25, inputShape: [16, 16, 3], shortcut: 'B' }],
  ['resnet110', { widthMultiplier: 0.25, inputShape: [8, 8, 3] }],
  // Every DenseNet and MobileNet topology, thin; dropout off, so the two losses are one function.
  ['densenet121', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
  ['densenet-bc-100', { widthMultiplier: 0.25, inputShape: [8, 8, 3] }],
  ['mobilenet-v1', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
  ['mobilenet-v2', { widthMultiplier: 0.25, inputShape: [32, 32, 3], numClasses: 10, dropout: 0 }],
  ['mobilenet-v2-cifar', { widthMultiplier: 0.25, inputShape: [16, 16, 3], dropout: 0 }],
];

describe.each(await testBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each(TINY)('one SGD step on a random batch lowers the loss of %s %j', async (name, options) => {
    const model = registry.create(name, options);
    const [before, after] = await lossBeforeAndAfterOneStep(model);
    model.dispose();
    expect(after).toBeLessThan(before);
  });
});
