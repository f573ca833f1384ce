import { describe, expect, it } from 'vitest';
import { plugin } from '../src/plugin.js';

/** Each classic architecture's tags: its input form, and `torchvision` for torchvision's own models. */
const TAGS: Record<string, string[]> = {
  lenet5: ['mnist'],
  alexnet: ['imagenet'],
  'alexnet-tv': ['imagenet', 'torchvision'],
  ...Object.fromEntries(
    ['vgg11', 'vgg13', 'vgg16', 'vgg19'].flatMap((depth) => [
      [depth, ['imagenet', 'torchvision']],
      [`${depth}-bn`, ['imagenet', 'torchvision']],
    ]),
  ),
  ...Object.fromEntries(['vgg11', 'vgg13', 'vgg16', 'vgg19'].map((depth) => [`${depth}-cifar`, ['cifar']])),
  googlenet: ['imagenet'],
  'googlenet-tv': ['imagenet', 'torchvision'],
  'googlenet-cifar': ['cifar'],
};

describe('tags', () => {
  it("tags every classic architecture with its input form, and torchvision's models with torchvision", () => {
    expect(Object.fromEntries((plugin.architectures ?? []).map((spec) => [spec.name, spec.tags]))).toEqual(TAGS);
  });
});
