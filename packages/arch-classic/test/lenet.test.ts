import { initBackend, summarizeModel } from '@convkit/core';
import { layerShape, outputShapes } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { lenet5 } from '../src/lenet.js';
import { buildForCounting, registry } from './support/registry.js';

describe('lenet5', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('has the 61,706 trainable parameters of the literature formula', () => {
    const weights = 6 * 5 ** 2 * 1 + 16 * 5 ** 2 * 6 + 120 * 5 ** 2 * 16 + 84 * 120 + 10 * 84;
    const biases = 6 + 16 + 120 + 84 + 10;
    expect(weights + biases).toBe(61_706);
    const model = buildForCounting('lenet5');
    expect(summarizeModel(model).totals.trainableParams).toBe(weights + biases);
    expect(model.countParams()).toBe(lenet5.reference?.params);
    model.dispose();
  });

  it('maps 32x32x1 through 28x28x6, 14x14x6, 10x10x16, 5x5x16 and 1x1x120 to 10 logits', () => {
    const model = buildForCounting('lenet5');
    expect(layerShape(model, 'c1')).toEqual([28, 28, 6]);
    expect(layerShape(model, 's2')).toEqual([14, 14, 6]);
    expect(layerShape(model, 'c3')).toEqual([10, 10, 16]);
    expect(layerShape(model, 's4')).toEqual([5, 5, 16]);
    expect(layerShape(model, 'c5')).toEqual([1, 1, 120]);
    expect(layerShape(model, 'f6')).toEqual([84]);
    expect(outputShapes(model)).toEqual([[10]]);
    expect(summarizeModel(model).totals.macs).toBe(416_520 + 14 * 14 * 6 * 4 + 5 * 5 * 16 * 4);
    model.dispose();
  });

  it('pads 28x28 MNIST digits by 2 pixels each side and keeps every parameter', () => {
    const model = buildForCounting('lenet5', { inputShape: [28, 28, 1] });
    expect(layerShape(model, 'pad')).toEqual([32, 32, 1]);
    expect(outputShapes(model)).toEqual([[10]]);
    expect(model.countParams()).toBe(61_706);
    model.dispose();
  });

  it('builds at 36x36x3, where C5 has 2x2 positions', () => {
    const model = buildForCounting('lenet5', { inputShape: [36, 36, 3], numClasses: 7 });
    expect(layerShape(model, 'c5')).toEqual([2, 2, 120]);
    expect(outputShapes(model)).toEqual([[7]]);
    model.dispose();
  });

  it('uses tanh and average subsampling as in the paper, relu and max pooling on request', () => {
    const paper = buildForCounting('lenet5');
    expect(paper.getLayer('c1').getConfig().activation).toBe('tanh');
    expect(paper.getLayer('s2').getClassName()).toBe('AveragePooling2D');
    const modern = buildForCounting('lenet5', { activation: 'relu', pooling: 'max' });
    expect(modern.getLayer('f6').getConfig().activation).toBe('relu');
    expect(modern.getLayer('s4').getClassName()).toBe('MaxPooling2D');
    paper.dispose();
    modern.dispose();
  });

  it('rejects a bad option with a ConvkitError naming it', () => {
    expect(() => registry.create('lenet5', { activation: 'sigmoid' })).toThrow(
      expect.objectContaining({ name: 'ConvkitError', code: 'bad-option' }),
    );
    expect(() => registry.create('lenet5', { widthMultiplier: 0 })).toThrow(/widthMultiplier/);
    expect(() => registry.create('lenet5', { dropout: 0.5 })).toThrow(/unknown option "dropout"/);
  });
});
