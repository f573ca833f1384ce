import { initBackend } from '@convkit/core';
import { lossBeforeAndAfterOneStep, testBackends } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from './support/registry.js';

/** Thin, small-input forms of the CIFAR ResNets, with both shortcut options. */
const TINY: [string, Record<string, unknown>][] = [
  ['resnet20', { widthMultiplier: 0.25, inputShape: [16, 16, 3] }],
  ['resnet20', { widthMultiplier: 0.25, inputShape: [16, 16, 3], shortcut: 'B' }],
  ['resnet110', { widthMultiplier: 0.25, inputShape: [8, 8, 3] }],
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
