import { plugin as classic, vgg11Cifar } from '@convkit/arch-classic';
import { buildWithZeroWeights, isConvkitError, Registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import { describe, expect, it } from 'vitest';
import { cbamAttention, plugin, se, withAttention } from '../src/index.js';
import { trainableParams } from './support/block-model.js';
import './support/setup.js';

const registry = new Registry().use(layersPlugin).use(classic).use(plugin);
const count = (name: string, options?: Record<string, unknown>) =>
  trainableParams(buildWithZeroWeights(() => registry.create(name, options)));

/** SE's parameters on `channels` at r = 16 and divisor 8 (timm's rounding). */
const seParams = (channels: number) => {
  const reduced = Math.max(8, Math.round(channels / 16 / 8) * 8);
  return 2 * channels * reduced + reduced + channels;
};

describe('withAttention', () => {
  it('makes a new registered architecture named after the module, with the module in every stage', () => {
    const seVgg = withAttention(vgg11Cifar, se);
    expect(seVgg.name).toBe('se-vgg11-cifar');
    expect(seVgg.family).toBe(vgg11Cifar.family);
    const scoped = new Registry()
      .use(layersPlugin)
      .use(plugin)
      .use({ name: 'mine', architectures: [seVgg] });
    const model = buildWithZeroWeights(() => scoped.create('se-vgg11-cifar'));
    const stages = [64, 128, 256, 512, 512];
    expect(trainableParams(model)).toBe(count('vgg11-cifar') + stages.map(seParams).reduce((a, b) => a + b, 0));
    expect(model.layers.map((l) => l.name)).toEqual(expect.arrayContaining(stages.map((_, s) => `features.attn${s + 1}.fc1`)));
  });

  it("passes the module's options and fixes the module: the new spec has no attention option", () => {
    const cbamVgg = withAttention(vgg11Cifar, cbamAttention, { options: { reduction: 8 }, name: 'cbam8-vgg11-cifar' });
    const scoped = new Registry()
      .use(layersPlugin)
      .use(plugin)
      .use({ name: 'mine', architectures: [cbamVgg] });
    const model = buildWithZeroWeights(() => scoped.create('cbam8-vgg11-cifar', { widthMultiplier: 1 / 8 }));
    expect(model.getLayer('features.attn1.channel.fc1').outputShape).toEqual([null, 1, 1, 1]);
    expect(() => scoped.create('cbam8-vgg11-cifar', { attention: 'se' })).toThrowError(/unknown option "attention"/);
  });

  it('refuses a spec whose builder has no attention slot, in one line naming it', () => {
    const noSlot = { ...registry.get('lenet5').value, name: 'plain16' };
    let thrown: unknown;
    try {
      withAttention(noSlot, se);
    } catch (error) {
      thrown = error;
    }
    expect(isConvkitError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/^architecture plain16 has no attention slot \(no "attention" option\); .*attentionOption/);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('refuses bad module options naming them', () => {
    expect(() => withAttention(vgg11Cifar, se, { options: { reduction: -1 } })).toThrowError(
      /bad options for attention module se: reduction/,
    );
  });
});

describe('"attention" as an architecture option', () => {
  it('takes a registered module by name or with options, as JSON from --arch-options', () => {
    const base = count('vgg11-cifar', { widthMultiplier: 1 / 4 });
    const withSe = count('vgg11-cifar', { widthMultiplier: 1 / 4, attention: 'se' });
    const widths = [16, 32, 64, 128, 128];
    expect(withSe - base).toBe(widths.map(seParams).reduce((a, b) => a + b, 0));
    const withCbam = count('vgg11-cifar', { widthMultiplier: 1 / 4, attention: { name: 'cbam', options: { spatial: false } } });
    expect(withCbam - base).toBe(widths.map((c) => 2 * c * (c / 16) + c / 16 + c).reduce((a, b) => a + b, 0));
  });

  it('answers a misspelt module with the closest name', () => {
    expect(() => registry.create('vgg11-cifar', { attention: 'sse' })).toThrowError(/unknown attention module "sse"; did you mean "se"/);
  });
});
