import { initBackend, isConvkitError } from '@convkit/core';
import { outputShapes } from '@convkit/core/testing';
import { models } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import register from '../src/oclif-hook.js';
import { plugin } from '../src/plugin.js';
import { registry } from './support/registry.js';

const NAMES = [
  'lenet5',
  'alexnet',
  'alexnet-tv',
  'vgg11',
  'vgg11-bn',
  'vgg13',
  'vgg13-bn',
  'vgg16',
  'vgg16-bn',
  'vgg19',
  'vgg19-bn',
  'vgg11-cifar',
  'vgg13-cifar',
  'vgg16-cifar',
  'vgg19-cifar',
  'googlenet',
  'googlenet-tv',
  'googlenet-cifar',
];

beforeAll(async () => {
  await initBackend('cpu');
});

describe('plugin', () => {
  it('contributes every classic architecture under its own name, and no layer classes (@convkit/layers contributes those)', () => {
    expect(plugin.architectures?.map((spec) => spec.name)).toEqual(NAMES);
    expect(plugin.layers).toBeUndefined();
  });

  it('is what the convkit:register oclif hook returns', async () => {
    expect(await register()).toBe(plugin);
  });

  it.each(NAMES)('%s defaults to its declared default input and names its paper', (name) => {
    const spec = registry.get(name).value;
    expect(registry.resolveOptions(spec).inputShape).toEqual(spec.defaultInput);
    expect(spec.paper?.title).toBeTruthy();
  });
});

describe('registry.create with bad options', () => {
  const badOptions = [
    [{ numClasses: 0 }, /numClasses/],
    [{ inputShape: [32, 32] }, /inputShape/],
    [{ widthMultiplier: -1 }, /widthMultiplier/],
    [{ colour: 'red' }, /unknown option "colour"/],
  ] as const;

  it.each(NAMES)('%s answers each with a ConvkitError naming the option', (name) => {
    for (const [options, message] of badOptions) {
      let thrown: unknown;
      try {
        registry.create(name, options).dispose();
      } catch (error) {
        thrown = error;
      }
      expect(isConvkitError(thrown), `${name} ${JSON.stringify(options)}`).toBe(true);
      expect((thrown as Error).message).toMatch(message);
    }
  });

  it('rejects option values of the wrong kind for the family', () => {
    expect(() => registry.create('lenet5', { pooling: 'stochastic' })).toThrow(/pooling/);
    expect(() => registry.create('vgg16', { dropout: 1 })).toThrow(/dropout/);
    expect(() => registry.create('googlenet', { auxLogits: 'yes' })).toThrow(/auxLogits/);
    expect(() => registry.create('vgg16-cifar', { batchNorm: 1 })).toThrow(/batchNorm/);
  });
});

describe('saved model topology', () => {
  it.each([
    ['alexnet', { inputShape: [67, 67, 3], widthMultiplier: 1 / 16 }],
    ['alexnet-tv', { inputShape: [63, 63, 3], widthMultiplier: 1 / 16 }],
    ['googlenet', { inputShape: [79, 79, 3], widthMultiplier: 1 / 16, auxLogits: true }],
  ] as const)('%s reloads from its JSON once the @convkit/layers plugin has registered its layer classes', async (name, options) => {
    const model = registry.create(name, options);
    const restored = await models.modelFromJSON({ modelTopology: model.toJSON(null, false) });
    expect(restored.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(outputShapes(restored)).toEqual(outputShapes(model));
    model.dispose();
    restored.dispose();
  });
});
