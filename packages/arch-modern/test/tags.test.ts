import { describe, expect, it } from 'vitest';
import { plugin } from '../src/plugin.js';

const CIFAR_RESIDUAL = ['cifar', 'residual'];
const TORCHVISION_RESIDUAL = ['imagenet', 'torchvision', 'residual'];

/**
 * Each modern architecture's tags: its input form, `torchvision` for torchvision's own models,
 * `residual` for networks with identity shortcuts (MobileNet v2's inverted residuals included, not
 * DenseNet's concatenations) and `mobile` for the depthwise-separable MobileNets.
 */
const TAGS: Record<string, string[]> = {
  ...Object.fromEntries(['resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110'].map((name) => [name, CIFAR_RESIDUAL])),
  ...Object.fromEntries(['densenet121', 'densenet169', 'densenet201', 'densenet161'].map((name) => [name, ['imagenet', 'torchvision']])),
  'densenet-bc-100': ['cifar'],
  'mobilenet-v1': ['imagenet', 'mobile'],
  'mobilenet-v1-cifar': ['cifar', 'mobile'],
  'mobilenet-v2': ['imagenet', 'torchvision', 'mobile', 'residual'],
  'mobilenet-v2-cifar': ['cifar', 'mobile', 'residual'],
  ...Object.fromEntries(
    [
      'resnet18',
      'resnet34',
      'resnet50',
      'resnet101',
      'resnet152',
      'wide-resnet50-2',
      'wide-resnet101-2',
      'resnext50-32x4d',
      'resnext101-32x8d',
    ].map((name) => [name, TORCHVISION_RESIDUAL]),
  ),
  'resnext29-8x64d': CIFAR_RESIDUAL,
  'preact-resnet18': ['imagenet', 'residual'],
  'preact-resnet164': CIFAR_RESIDUAL,
  'preact-resnet1001': CIFAR_RESIDUAL,
  'wrn-28-10': CIFAR_RESIDUAL,
};

describe('tags', () => {
  it("tags every modern architecture with its input form, torchvision's models with torchvision, and residual and mobile by structure", () => {
    expect(Object.fromEntries((plugin.architectures ?? []).map((spec) => [spec.name, spec.tags]))).toEqual(TAGS);
  });
});
