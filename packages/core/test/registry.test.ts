import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { architectureOptions, ConvkitError, closestNames, defineArchitecture, definePlugin, Registry } from '../src/index.js';

const tinyNet = defineArchitecture({
  name: 'tinynet',
  family: 'tiny',
  defaultInput: [8, 8, 1],
  options: architectureOptions({ numClasses: 10, inputShape: [8, 8, 1] }, { width: z.number().int().positive().default(4) }),
  build: ({ numClasses, inputShape, width }) =>
    tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape, filters: width, kernelSize: 3, name: 'conv' }),
        tfl.layers.flatten({ name: 'flatten' }),
        tfl.layers.dense({ units: numClasses, name: 'head' }),
      ],
    }),
});
const tinyPlugin = definePlugin({ name: 'tiny-plugin', architectures: [tinyNet] });

describe('Registry', () => {
  it('creates a registered architecture with validated options and defaults', () => {
    const registry = new Registry().use(tinyPlugin);
    const model = registry.create('tinynet', { numClasses: 3 });
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    expect(registry.get('tinynet').plugin).toBe('tiny-plugin');
  });

  it('answers an unknown name with the closest registered names', () => {
    const registry = new Registry().use(tinyPlugin);
    expect(() => registry.get('tinnynet')).toThrowError(/unknown architecture "tinnynet"; did you mean "tinynet"\?/);
  });

  it('rejects a bad option value and an unknown option key, naming them', () => {
    const registry = new Registry().use(tinyPlugin);
    expect(() => registry.create('tinynet', { numClasses: -1 })).toThrowError(
      /bad options for tinynet: numClasses: Number must be greater than 0/,
    );
    expect(() => registry.create('tinynet', { widht: 3 })).toThrowError(/unknown option "widht"/);
  });

  it('reports a failed build with the architecture, the input and the default input', () => {
    const registry = new Registry().use(tinyPlugin);
    expect(() => registry.create('tinynet', { inputShape: [2, 2, 1] })).toThrowError(
      /input 2x2x1 is too small for tinynet: layer conv would output .*; use a larger input such as the default 8x8x1/,
    );
  });

  it('refuses an architecture name provided by two plugins, naming both', () => {
    const registry = new Registry().use(tinyPlugin);
    const rival = definePlugin({ name: 'acme-nets', architectures: [{ ...tinyNet }] });
    expect(() => registry.use(rival)).toThrowError(ConvkitError);
    expect(() => registry.use(rival)).toThrowError(/"tinynet" is provided by both "tiny-plugin" and "acme-nets"/);
  });

  it('adds nothing of a plugin it refuses, not even the contributions before the clash', () => {
    class Partial extends tfl.layers.Layer {
      static className = 'acme.PartialLayer';
    }
    const registry = new Registry().use(tinyPlugin);
    const fresh = defineArchitecture({ ...tinyNet, name: 'acme-fresh' });
    const rival = definePlugin({ name: 'acme-half', architectures: [fresh, { ...tinyNet }], layers: [Partial] });
    expect(() => registry.use(rival)).toThrowError(/"tinynet" is provided by both "tiny-plugin" and "acme-half"/);
    expect(registry.architectures.has('acme-fresh')).toBe(false);
    expect(registry.layers.has('acme.PartialLayer')).toBe(false);
    expect(registry.pluginNames()).toEqual(['tiny-plugin']);
    // The refused plugin's names stay free: a fixed version of it goes in whole.
    registry.use(definePlugin({ name: 'acme-half', architectures: [fresh], layers: [Partial] }));
    expect(registry.get('acme-fresh').plugin).toBe('acme-half');
  });

  it('holds training objectives and refuses a second one under a taken name, naming both plugins', async () => {
    const objective = { name: 'acme-loss', description: 'a test loss', create: async () => 'made' };
    const registry = new Registry().use(definePlugin({ name: 'acme-losses', objectives: [objective] }));
    expect(await registry.objectives.get('acme-loss').value.create({})).toBe('made');
    const rival = definePlugin({ name: 'rival-losses', objectives: [{ ...objective }] });
    expect(() => registry.use(rival)).toThrowError(/objective "acme-loss" is provided by both "acme-losses" and "rival-losses"/);
  });

  it('accepts the same plugin twice as a no-op', () => {
    const registry = new Registry().use(tinyPlugin).use(tinyPlugin);
    expect(registry.pluginNames()).toEqual(['tiny-plugin']);
  });

  it('refuses a layer class whose className another module already registered with tfjs', () => {
    class First extends tfl.layers.Layer {
      static className = 'acme.Clashing';
    }
    class Second extends tfl.layers.Layer {
      static className = 'acme.Clashing';
    }
    const registry = new Registry().use(definePlugin({ name: 'acme-a', layers: [First] }));
    expect(() => registry.use(definePlugin({ name: 'acme-b', layers: [Second] }))).toThrowError(
      /layer "acme.Clashing" is provided by both "acme-a" and "acme-b"/,
    );
    expect(() => new Registry().use(definePlugin({ name: 'acme-c', layers: [Second] }))).toThrowError(
      /already registered with tfjs by another module/,
    );
  });

  it('rejects architecture names that are not lowercase kebab-case', () => {
    expect(() => defineArchitecture({ ...tinyNet, name: 'Tiny_Net' })).toThrowError(/kebab-case/);
    expect(() => defineArchitecture({ ...tinyNet, name: 'Tiny_Net' })).toThrowError(ConvkitError);
  });
});

describe('closestNames', () => {
  it('suggests variants that contain the query and near misses first', () => {
    expect(closestNames('resnet', ['resnet18', 'resnet50', 'vgg16'])).toEqual(['resnet18', 'resnet50']);
    expect(closestNames('vgg61', ['vgg16', 'vgg19', 'lenet5'])).toEqual(['vgg16', 'vgg19']);
    expect(closestNames('zzzzzz', ['vgg16'])).toEqual([]);
  });
});
