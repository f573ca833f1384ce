import { initBackend } from '@convkit/core';
import { GRADIENT_TOLERANCE, gradientErrors, maxAbsDiff, testBackends } from '@convkit/core/testing';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { reducedWidth, squeezeExcite } from '../src/index.js';
import { blockModel, predictionsAfterReload, trainableParams } from './support/block-model.js';
import { loadCaseWeights, moduleCases, tensorOf } from './support/fixtures.js';
import './support/setup.js';

describe('squeeze-excitation (backend-independent)', () => {
  it.each([
    [64, 16],
    [256, 16],
    [48, 4],
    [2048, 16],
  ])('on %d channels with r = %d has the analytic 2C^2/r + C/r + C parameters (divisor 1)', (channels, reduction) => {
    const m = blockModel(squeezeExcite({ reduction, divisor: 1 }), [3, 3, channels], 'se');
    expect(trainableParams(m)).toBe((2 * channels * channels) / reduction + channels / reduction + channels);
  });

  it("rounds the bottleneck as timm's make_divisible(C / r, 8, round_limit=0): never below 8", () => {
    expect([16, 64, 176, 256].map((c) => reducedWidth(c, { reduction: 16, divisor: 8 }))).toEqual([8, 8, 8, 16]);
    const m = blockModel(squeezeExcite(), [3, 3, 16], 'se');
    expect(trainableParams(m)).toBe(2 * 16 * 8 + 8 + 16);
    expect(trainableParams(blockModel(squeezeExcite({ reducedChannels: 3 }), [3, 3, 16], 'se'))).toBe(2 * 16 * 3 + 3 + 16);
  });

  it("keeps the input's shape at several sizes and names its layers under the slot's name", () => {
    for (const shape of [
      [5, 6, 16],
      [1, 1, 8],
      [9, 3, 32],
    ]) {
      expect(blockModel(squeezeExcite(), shape, 'stage1.block1.attn').outputs[0]?.shape).toEqual([null, ...shape]);
    }
    const names = blockModel(squeezeExcite(), [4, 4, 16], 'layer1.0.se').layers.map((l) => l.name);
    expect(names).toEqual(['input', 'layer1.0.se.pool', 'layer1.0.se.fc1', 'layer1.0.se.fc2', 'layer1.0.se.scale']);
  });

  it('refuses unknown and bad options naming them', () => {
    expect(() => squeezeExcite({ reduction: 0 })).toThrow(/reduction/);
    expect(() => squeezeExcite({ ratio: 4 } as never)).toThrow(/ratio/);
  });

  it('survives a save/load round trip with identical outputs', async () => {
    const { before, after, loaded } = await predictionsAfterReload(blockModel(squeezeExcite({ reduction: 4 }), [5, 5, 16], 'se'));
    expect(after).toEqual(before);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('convkit.GlobalAvgPool2d');
  });
});

describe.each(await testBackends())('squeeze-excitation on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('equals the PyTorch reference within 1e-5 for the same weights (fixtures/make_fixtures.py)', () => {
    const reference = moduleCases.find((c) => c.module === 'se');
    if (!reference) throw new Error('no se case in fixtures/modules.json');
    const m = blockModel(squeezeExcite(reference.options), reference.input.shape.slice(1), 'se');
    loadCaseWeights(m, reference.weights);
    const output = m.predict(tensorOf(reference.input)) as tf.Tensor;
    expect(maxAbsDiff(output.dataSync(), reference.eval.values)).toBeLessThan(1e-5);
  });

  it('has gradients of the input and every weight equal to central differences', () => {
    const errors = gradientErrors(blockModel(squeezeExcite({ reduction: 2, divisor: 1 }), [3, 3, 4], 'se'), [2, 3, 3, 4]);
    expect(Object.entries(errors).filter(([, error]) => !(error < GRADIENT_TOLERANCE))).toEqual([]);
  });
});
