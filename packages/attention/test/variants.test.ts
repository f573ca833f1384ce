import { readFileSync } from 'node:fs';
import { plugin as modern } from '@convkit/arch-modern';
import { buildWithZeroWeights, initBackend, Registry } from '@convkit/core';
import { lossBeforeAndAfterOneStep, testBackends } from '@convkit/core/testing';
import { plugin as layersPlugin } from '@convkit/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { predictionsAfterReload, trainableParams } from './support/block-model.js';
import './support/setup.js';

const registry = new Registry().use(layersPlugin).use(modern).use(plugin);
const count = (name: string, options?: Record<string, unknown>) =>
  trainableParams(buildWithZeroWeights(() => registry.create(name, options)));

const torchCounts = JSON.parse(readFileSync(new URL('./fixtures/param_counts.json', import.meta.url), 'utf8')) as Record<string, number>;

describe('registered attention variants', () => {
  it.each(['se-resnet50', 'cbam-resnet50', 'se-resnext50-32x4d', 'se-mobilenet-v2', 'nonlocal-resnet50', 'nonlocal-resnet50-5block'])(
    '%s has the trainable parameters of test/fixtures/param_counts.py (timm seresnet50 28,088,024, seresnext50_32x4d 27,559,896)',
    (name) => {
      expect(count(name)).toBe(torchCounts[name]);
      expect(registry.get(name).value.reference?.params).toBe(torchCounts[name]);
    },
  );

  it("se-resnet20 is resnet20 plus nine SE modules, 2CC' + C' + C each with C' = 8: 275,506 parameters", () => {
    const modules = [16, 32, 64].map((c) => 3 * (2 * c * 8 + 8 + c)).reduce((a, b) => a + b, 0);
    expect(count('se-resnet20')).toBe(count('resnet20') + modules);
    expect(count('se-resnet20')).toBe(275_506);
    expect(registry.get('se-resnet20').value.reference?.params).toBe(275_506);
  });

  it("cbam-resnet20 is resnet20 plus nine CBAM modules (C' = floor(C / 16), 100 for the spatial gate): 272,995 parameters", () => {
    const modules = [16, 32, 64].map((c) => 3 * (2 * c * Math.floor(c / 16) + Math.floor(c / 16) + c + 100)).reduce((a, b) => a + b, 0);
    expect(count('cbam-resnet20')).toBe(count('resnet20') + modules);
    expect(count('cbam-resnet20')).toBe(272_995);
  });

  it('puts the module after the second batch norm of every block, before the add', () => {
    const model = buildWithZeroWeights(() => registry.create('se-resnet20'));
    const names = model.layers.map((l) => l.name);
    const scale = names.indexOf('stage2.block1.attn.scale');
    expect(scale).toBeGreaterThan(names.indexOf('stage2.block1.bn2'));
    const add = model.getLayer(names.find((n) => n.startsWith('stage2.block1') && n.endsWith('add')) as string);
    expect(add.inboundNodes[0]?.inboundLayers.map((l) => l.name)).toContain('stage2.block1.attn.scale');
  });
});

/** A small configuration of every registered variant, for the training and serialization contracts. */
const tiny: Record<string, Record<string, unknown>> = {
  'se-resnet20': { widthMultiplier: 1 / 4, inputShape: [16, 16, 3] },
  'cbam-resnet20': { widthMultiplier: 1 / 4, inputShape: [16, 16, 3] },
  'se-resnet50': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3], numClasses: 10 },
  'cbam-resnet50': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3], numClasses: 10 },
  'se-resnext50-32x4d': { widthMultiplier: 1 / 16, inputShape: [32, 32, 3], numClasses: 10 },
  // dropout off: a random mask in the second forward pass would make the step's loss change noise
  'se-mobilenet-v2': { widthMultiplier: 0.25, inputShape: [32, 32, 3], numClasses: 10, dropout: 0 },
  'nonlocal-resnet50': { widthMultiplier: 1 / 16, inputShape: [64, 64, 3], numClasses: 10 },
  'nonlocal-resnet50-5block': { widthMultiplier: 1 / 16, inputShape: [64, 64, 3], numClasses: 10 },
};

describe('every registered attention variant', () => {
  it.each(Object.keys(tiny))('%s saves and loads with the same predictions', async (name) => {
    const { before, after, loaded } = await predictionsAfterReload(registry.create(name, tiny[name]));
    loaded.dispose();
    expect(after).toEqual(before);
  });
});

describe.each(await testBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('has a tiny training configuration for every registered variant', () => {
    expect(Object.keys(tiny)).toEqual(plugin.architectures?.map((a) => a.name));
  });

  it.each(Object.keys(tiny))('one SGD step on a random batch lowers the loss of %s', async (name) => {
    const model = registry.create(name, tiny[name]);
    const [before, after] = await lossBeforeAndAfterOneStep(model);
    model.dispose();
    expect(after).toBeLessThan(before);
  });
});
