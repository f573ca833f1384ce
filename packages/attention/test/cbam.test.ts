import { initBackend } from '@convkit/core';
import { GRADIENT_TOLERANCE, gradientErrors, maxAbsDiff, testBackends } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChannelPool, cbam } from '../src/index.js';
import { blockModel, COMPOSITION_CHECK, COMPOSITION_TOLERANCE, predictionsAfterReload, trainableParams } from './support/block-model.js';
import { loadCaseWeights, moduleCases, tensorOf } from './support/fixtures.js';
import './support/setup.js';

describe('CBAM (backend-independent)', () => {
  it.each([
    [64, 16],
    [256, 16],
    [48, 4],
  ])('on %d channels with r = %d has 2C^2/r + C/r + C (MLP) + 2 * 7^2 + 2 (spatial conv, BN) parameters', (channels, reduction) => {
    const m = blockModel(cbam({ reduction }), [8, 8, channels], 'cbam');
    expect(trainableParams(m)).toBe((2 * channels * channels) / reduction + channels / reduction + channels + 2 * 49 + 2);
  });

  it("floors C / r as the official code's integer division, and drops the spatial gate on request", () => {
    expect(trainableParams(blockModel(cbam({ reduction: 16 }), [8, 8, 40], 'cbam'))).toBe(2 * 40 * 2 + 2 + 40 + 100);
    expect(trainableParams(blockModel(cbam({ reduction: 4, spatial: false }), [8, 8, 16], 'cbam'))).toBe(2 * 16 * 4 + 4 + 16);
    expect(() => cbam({ spatialKernel: 4 })).toThrow(/spatialKernel must be odd/);
  });

  it('shares one MLP between the average- and max-pooled descriptors, then gates channels before positions', () => {
    const m = blockModel(cbam({ reduction: 4 }), [6, 6, 16], 'cbam');
    const fc1 = m.getLayer('cbam.channel.fc1');
    expect(fc1.inboundNodes.length).toBe(2);
    const order = m.layers.map((l) => l.name);
    expect(order.indexOf('cbam.channel.scale')).toBeLessThan(order.indexOf('cbam.spatial.pool'));
    expect(m.outputs[0]?.shape).toEqual([null, 6, 6, 16]);
  });

  it('survives a save/load round trip with identical outputs', async () => {
    const { before, after, loaded } = await predictionsAfterReload(blockModel(cbam({ reduction: 4 }), [5, 7, 16], 'cbam'));
    expect(after).toEqual(before);
    expect(loaded.getLayer('cbam.spatial.pool').getClassName()).toBe('convkit.ChannelPool');
  });

  it('ChannelPool gives the channel maximum then the channel mean at every position, and declares its shape', () => {
    const x = tf.tensor4d([1, 5, 3, -2, 0, 8], [1, 1, 2, 3]);
    expect(Array.from((new ChannelPool().apply(x) as tf.Tensor).dataSync())).toEqual([5, 3, 8, 2]);
    expect(new ChannelPool().computeOutputShape([null, 4, 5, 7])).toEqual([null, 4, 5, 2]);
    expect(() => new ChannelPool({ name: 'cp' }).computeOutputShape([null, 7])).toThrow(/ChannelPool "cp".*rank-4/);
  });
});

describe.each(await testBackends())('CBAM on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  const reference = moduleCases.find((c) => c.module === 'cbam');
  it.each(['eval', 'train'] as const)('equals the PyTorch reference within 1e-5 for the same weights in %s mode', (mode) => {
    if (!reference?.[mode]) throw new Error(`no cbam ${mode} case in fixtures/modules.json`);
    const m = blockModel(cbam(reference.options), reference.input.shape.slice(1), 'cbam');
    loadCaseWeights(m, reference.weights);
    const output = m.apply(tensorOf(reference.input), { training: mode === 'train' }) as tf.Tensor;
    expect(maxAbsDiff(output.dataSync(), reference[mode].values)).toBeLessThan(1e-5);
  });

  it('has gradients of the input and every weight equal to central differences', () => {
    const errors = gradientErrors(blockModel(cbam({ reduction: 2, spatialKernel: 3 }), [4, 4, 4], 'cbam'), [1, 4, 4, 4], COMPOSITION_CHECK);
    expect(Object.entries(errors).filter(([, error]) => !(error < COMPOSITION_TOLERANCE))).toEqual([]);
  });

  it('ChannelPool has input gradients equal to central differences', () => {
    const errors = gradientErrors(new ChannelPool(), [2, 3, 3, 5]);
    expect(errors.input).toBeLessThan(GRADIENT_TOLERANCE);
  });
});
