import { plugin as classic, vgg11Cifar } from '@convkit/arch-classic';
import { plugin as modern, preactResnet164, resnet20, resnet50 } from '@convkit/arch-modern';
import { buildWithZeroWeights, isConvkitError, Registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { withNonLocal } from '../src/index.js';
import { trainableParams } from './support/block-model.js';
import './support/setup.js';

/** Trainable parameters of one embedded-Gaussian non-local block on C channels (C' = C/2, with BN). */
const nonLocalParams = (c: number) => 3 * (c * (c / 2) + c / 2) + (c / 2) * c + c + 2 * c;

/** Builds `spec` with all-zero weights (structure and counts), or with its initializers' weights when `initialized`. */
function build(spec: ReturnType<typeof withNonLocal>, options?: Record<string, unknown>, initialized = false) {
  const scoped = new Registry()
    .use(layersPlugin)
    .use(modern)
    .use(classic)
    .use({ name: 'test', architectures: [spec] });
  return initialized ? scoped.create(spec.name, options) : buildWithZeroWeights(() => scoped.create(spec.name, options));
}

const nonLocalLayers = (m: ReturnType<typeof build>) =>
  m.layers.filter((l) => l.name.endsWith('.nonlocal.add')).map((l) => l.name.replace('.nonlocal.add', ''));

describe('withNonLocal', () => {
  it("every: 2 puts one after every second block of the chosen stages (the paper's 5-block res3+res4 form)", () => {
    const m = build(withNonLocal(resnet50, { stages: [2, 3], every: 2 }), { inputShape: [64, 64, 3] });
    expect(nonLocalLayers(m)).toEqual(['layer2.1', 'layer2.3', 'layer3.1', 'layer3.3', 'layer3.5']);
    const base = trainableParams(
      buildWithZeroWeights(() =>
        new Registry()
          .use(layersPlugin)
          .use(modern)
          .create('resnet50', { inputShape: [64, 64, 3] }),
      ),
    );
    expect(trainableParams(m)).toBe(base + 2 * nonLocalParams(512) + 3 * nonLocalParams(1024));
  });

  it('blocks: [5] puts one right before the last block of res4, fed by block 5 and feeding block 6', () => {
    const m = build(withNonLocal(resnet50, { stages: [3], blocks: [5] }), { inputShape: [64, 64, 3] });
    expect(nonLocalLayers(m)).toEqual(['layer3.4']);
    expect(m.getLayer('layer3.5.conv1').inboundNodes[0]?.inboundLayers.map((l) => l.name)).toEqual(['layer3.4.nonlocal.add']);
  });

  it('passes its options to every block, and works on the CIFAR and pre-activation families', () => {
    const cifar = build(withNonLocal(resnet20, { stages: [3], blocks: [1], options: { pairwise: 'gaussian' } }));
    expect(nonLocalLayers(cifar)).toEqual(['stage3.block1']);
    expect(cifar.layers.some((l) => l.name === 'stage3.block1.nonlocal.theta')).toBe(false);
    const preact = build(withNonLocal(preactResnet164, { stages: [3], blocks: [18] }), { widthMultiplier: 0.25 });
    expect(nonLocalLayers(preact)).toEqual(['stage3.block18']);
  });

  it('starts as the identity: the network with non-local blocks computes the base network', () => {
    const base = new Registry().use(layersPlugin).use(modern).create('resnet20', { widthMultiplier: 0.5 });
    const m = build(withNonLocal(resnet20, { stages: [2, 3], every: 1 }), { widthMultiplier: 0.5 }, true);
    const byName = new Map(m.weights.map((w) => [w.originalName, w]));
    for (const w of base.weights) byName.get(w.originalName)?.write(w.read());
    // The non-local blocks keep their own initial weights, only their BN scale is zero.
    expect(tf.max(tf.abs(m.getLayer('stage3.block1.nonlocal.W').getWeights()[0] as tf.Tensor)).dataSync()[0]).toBeGreaterThan(0);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5);
    const diff = tf.max(tf.abs(tf.sub(base.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor))).dataSync()[0];
    expect(diff).toBe(0);
  });

  it.each([
    [{ stages: [5], every: 2 }, 'resnet50 has stages 1-4, not 5'],
    [{ stages: [3], blocks: [7] }, 'stage 3 of nonlocal-resnet50 has 6 blocks'],
    [{ stages: [1], every: 4 }, 'puts no non-local block in it'],
  ])('refuses %j at build, naming the network', (placement, message) => {
    const spec = withNonLocal(resnet50, placement);
    expect(() => build(spec, { inputShape: [64, 64, 3] })).toThrow(message);
  });

  it('refuses a placement with both or neither of every and blocks, and a spec without the slot', () => {
    expect(() => withNonLocal(resnet50, { stages: [3], every: 2, blocks: [1] })).toThrow(/exactly one of "every"/);
    expect(() => withNonLocal(resnet50, { stages: [3] })).toThrow(/exactly one of "every"/);
    try {
      withNonLocal(vgg11Cifar, { stages: [1], every: 1 });
      expect.unreachable();
    } catch (error) {
      expect(isConvkitError(error) && error.message).toMatch(/^architecture vgg11-cifar has no after-block slot/);
    }
  });
});
