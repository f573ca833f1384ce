import { describeArchitectureContract } from '@convkit/core/testing';
import { registry } from './support/registry.js';

/**
 * Small but complete forms of every architecture for the contract (another input size, a save/load
 * round trip, one training step per backend): thin widths, the smallest inputs their strides allow.
 */
const TINY: Record<string, Record<string, unknown>> = {
  resnet20: { widthMultiplier: 0.25, inputShape: [16, 16, 3] },
  resnet32: { widthMultiplier: 0.25, inputShape: [8, 8, 3], shortcut: 'B' },
  resnet44: { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  resnet56: { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  resnet110: { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  resnet18: { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  resnet34: { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  resnet50: { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  resnet101: { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  resnet152: { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  'wide-resnet50-2': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  'wide-resnet101-2': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  'resnext50-32x4d': { widthMultiplier: 1 / 8, inputShape: [32, 32, 3] },
  'resnext101-32x8d': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  'resnext29-8x64d': { widthMultiplier: 1 / 16, inputShape: [8, 8, 3] },
  'preact-resnet18': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3] },
  'preact-resnet164': { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  'preact-resnet1001': { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  'wrn-28-10': { widthMultiplier: 0.05, inputShape: [8, 8, 3], dropout: 0 },
  densenet121: { widthMultiplier: 0.125, inputShape: [32, 32, 3] },
  densenet169: { widthMultiplier: 0.125, inputShape: [32, 32, 3] },
  densenet201: { widthMultiplier: 0.125, inputShape: [32, 32, 3] },
  densenet161: { widthMultiplier: 0.125, inputShape: [32, 32, 3] },
  'densenet-bc-100': { widthMultiplier: 0.25, inputShape: [8, 8, 3] },
  'mobilenet-v1': { widthMultiplier: 0.125, inputShape: [32, 32, 3] },
  'mobilenet-v1-cifar': { widthMultiplier: 0.125, inputShape: [16, 16, 3] },
  'mobilenet-v2': { widthMultiplier: 0.25, inputShape: [32, 32, 3], dropout: 0 },
  'mobilenet-v2-cifar': { widthMultiplier: 0.25, inputShape: [16, 16, 3], dropout: 0 },
};

// 333 bottlenecks, about 2,300 layers: a step takes tens of seconds on each backend.
const DEEP = ['preact-resnet1001'];

await describeArchitectureContract(registry, { tiny: TINY, plugin: '@convkit/arch-modern', firstBackendOnly: DEEP });
