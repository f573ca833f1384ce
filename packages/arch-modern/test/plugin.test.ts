import { initBackend, isConvkitError } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import register from '../src/oclif-hook.js';
import { plugin } from '../src/plugin.js';
import { registry } from './support/registry.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const NAMES = plugin.architectures?.map((spec) => spec.name) ?? [];

describe('plugin', () => {
  it('contributes the CIFAR ResNets, and no layer classes (@convkit/layers contributes those)', () => {
    expect(NAMES.slice(0, 5)).toEqual(['resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110']);
    expect(plugin.layers).toBeUndefined();
  });

  it('is what the convkit:register oclif hook returns', async () => {
    expect(await register()).toBe(plugin);
  });

  it.each(NAMES)('%s defaults to its declared default input, names its paper and is in a family', (name) => {
    const spec = registry.get(name).value;
    expect(registry.resolveOptions(spec).inputShape).toEqual(spec.defaultInput);
    expect(spec.paper?.title).toBeTruthy();
    expect(spec.family).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(NAMES)('%s answers bad options with a ConvkitError naming the option', (name) => {
    for (const [options, message] of [
      [{ numClasses: 0 }, /numClasses/],
      [{ widthMultiplier: -1 }, /widthMultiplier/],
      [{ colour: 'red' }, /unknown option "colour"/],
    ] as const) {
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
});
