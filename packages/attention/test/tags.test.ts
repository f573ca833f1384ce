import { resnet20, resnet50 } from '@convkit/arch-modern';
import { describe, expect, it } from 'vitest';
import { plugin } from '../src/plugin.js';
import { se } from '../src/squeeze-excite.js';
import { withAttention } from '../src/with-attention.js';

/** Each attention variant's tags: its base's (less torchvision), `attention` and the module's name. */
const TAGS: Record<string, string[]> = {
  'se-resnet20': ['cifar', 'residual', 'attention', 'se'],
  'cbam-resnet20': ['cifar', 'residual', 'attention', 'cbam'],
  'se-resnet50': ['imagenet', 'residual', 'attention', 'se'],
  'cbam-resnet50': ['imagenet', 'residual', 'attention', 'cbam'],
  'se-resnext50-32x4d': ['imagenet', 'residual', 'attention', 'se'],
  'se-mobilenet-v2': ['imagenet', 'mobile', 'residual', 'attention', 'se'],
  'nonlocal-resnet50': ['imagenet', 'residual', 'attention', 'non-local'],
  'nonlocal-resnet50-5block': ['imagenet', 'residual', 'attention', 'non-local'],
};

describe('tags', () => {
  it('tags every attention variant attention and with its module, keeping its base tags but torchvision', () => {
    expect(Object.fromEntries((plugin.architectures ?? []).map((spec) => [spec.name, spec.tags]))).toEqual(TAGS);
  });

  it('withAttention derives the tags from any base (a torchvision base loses torchvision: its state_dict no longer maps)', () => {
    expect(resnet50.tags).toContain('torchvision');
    expect(withAttention(resnet50, se, { name: 'se-test50' }).tags).toEqual(['imagenet', 'residual', 'attention', 'se']);
    expect(withAttention(resnet20, se, { name: 'se-test20', tags: ['mine'] }).tags).toEqual(['mine']);
  });
});
