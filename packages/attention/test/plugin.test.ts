import { Registry } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import register from '../src/oclif-hook.js';
import { plugin } from '../src/plugin.js';

describe('plugin', () => {
  it('contributes the se and cbam attention modules and its layer classes under namespaced names', () => {
    expect(plugin.attention?.map((a) => a.name)).toEqual(['se', 'cbam']);
    expect(plugin.layers?.map((l) => l.className)).toEqual(['convkit.ChannelPool', 'convkit.NonLocalAttention']);
    expect(plugin.attention?.every((a) => a.paper?.title)).toBe(true);
    expect(plugin.architectures?.map((a) => a.name)).toEqual([
      'se-resnet20',
      'cbam-resnet20',
      'se-resnet50',
      'cbam-resnet50',
      'se-resnext50-32x4d',
      'se-mobilenet-v2',
      'nonlocal-resnet50',
      'nonlocal-resnet50-5block',
    ]);
  });

  it('is what the convkit:register oclif hook returns', async () => {
    expect(await register()).toBe(plugin);
  });

  it('is refused beside another plugin contributing a module of the same name, naming both', () => {
    const registry = new Registry().use(plugin);
    const rival = { name: 'acme-attention', attention: [{ ...(plugin.attention?.[0] as never as object) }] } as never;
    expect(() => registry.use(rival)).toThrowError(/attention module "se" is provided by both "@convkit\/attention" and "acme-attention"/);
  });
});
