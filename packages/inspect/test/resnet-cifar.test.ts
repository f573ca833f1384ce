import { plugin as archModern } from '@convkit/arch-modern';
import { initBackend, Registry } from '@convkit/core';
import { generateShapes } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUntrained, effectiveReceptiveField, gradientFlow } from '../src/index.js';

const registry = new Registry().use(archModern);

/** `count` colour `shapes` images at 32x32 with their labels, pixels in [0, 1]. */
function shapesBatch(count: number): { images: tf.Tensor4D; labels: number[] } {
  const test = generateShapes({ seed: 0, shape: [32, 32, 3], trainSize: 0, testSize: count }).test;
  return {
    images: tf.tensor4d(
      Float32Array.from(test.images, (v) => v / 255),
      [count, 32, 32, 3],
    ),
    labels: Array.from(test.labels),
  };
}

describe('untrained CIFAR ResNets', () => {
  beforeAll(async () => {
    // The fastest backend here: ResNet-56's backward pass is minutes on plain JavaScript.
    await initBackend();
  });

  it("ResNet-20's effective receptive field lies inside its theoretical one and is smaller (Luo et al. 2016)", () => {
    const model = buildUntrained(registry, 'resnet20', {}, 0);
    // After stage 1 (stem + 3 blocks of two 3x3): theoretical field 3 + 6·2 = 15, well inside the 32x32 input.
    const early = effectiveReceptiveField(model, { layer: 'stage1.block3.act', count: 4 });
    expect(early.theoretical).toEqual([15, 15]);
    expect(early.supportSize[0]).toBeLessThanOrEqual(15);
    expect(early.supportSize[1]).toBeLessThanOrEqual(15);
    expect(early.effectiveSide).toBeLessThan(15);
    // At the last block the theoretical field (81) outgrows the image; the ERF still does not fill the image.
    const last = effectiveReceptiveField(model, { layer: 'stage3.block3.act', count: 4 });
    expect(last.theoretical).toEqual([81, 81]);
    expect(last.effectiveSide).toBeLessThan(32);
    model.dispose();
  });

  it("at initialisation the gradient reaching plain-56's first layer is out of scale with its last (it explodes under batch norm), ResNet-56's is not", () => {
    const { images, labels } = shapesBatch(8);
    const residual = buildUntrained(registry, 'resnet56', {}, 0);
    const plain = buildUntrained(registry, 'resnet56', { shortcut: 'none' }, 0);
    const withShortcuts = gradientFlow(residual, images, labels);
    const without = gradientFlow(plain, images, labels);
    expect(withShortcuts.layers).toHaveLength(56);
    expect(withShortcuts.firstToLast).toBeGreaterThan(0.1);
    expect(withShortcuts.firstToLast).toBeLessThan(10);
    expect(without.firstToLast).toBeGreaterThan(100);
    expect(without.layers[0]!.weightGradientNorm).toBeGreaterThan(10 * withShortcuts.layers[0]!.weightGradientNorm);
    images.dispose();
    residual.dispose();
    plain.dispose();
  }, 300_000);
});
