import { describeArchitectureContract } from '@convkit/core/testing';
import { registry } from './support/registry.js';

/**
 * Small but complete forms of every architecture for the contract (another input size, a save/load
 * round trip, one training step per backend): the smallest inputs their
 * pools allow and thin widths, without dropout so the loss before and after the step is the same
 * function. GoogLeNets train with their auxiliary heads.
 */
const TINY: Record<string, Record<string, unknown>> = {
  lenet5: { inputShape: [28, 28, 1] },
  alexnet: { inputShape: [67, 67, 3], widthMultiplier: 1 / 32, dropout: 0 },
  'alexnet-tv': { inputShape: [63, 63, 3], widthMultiplier: 1 / 32, dropout: 0 },
  ...Object.fromEntries(
    ['vgg11', 'vgg13', 'vgg16', 'vgg19'].flatMap((depth) => [
      [depth, { inputShape: [32, 32, 3], widthMultiplier: 1 / 32, dropout: 0 }],
      [`${depth}-bn`, { inputShape: [32, 32, 3], widthMultiplier: 1 / 32, dropout: 0 }],
      [`${depth}-cifar`, { widthMultiplier: 1 / 32 }],
    ]),
  ),
  googlenet: { inputShape: [79, 79, 3], widthMultiplier: 1 / 16, dropout: 0, auxDropout: 0, auxLogits: true },
  'googlenet-tv': { inputShape: [32, 32, 3], widthMultiplier: 1 / 16, dropout: 0, auxDropout: 0, auxLogits: true },
  'googlenet-cifar': { inputShape: [16, 16, 3], widthMultiplier: 1 / 16, dropout: 0, auxDropout: 0, auxLogits: true },
};

await describeArchitectureContract(registry, { tiny: TINY, plugin: '@convkit/arch-classic' });
