import { initBackend } from '@convkit/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { effectiveReceptiveField } from '../src/index.js';

/** `depth` 3x3 'same' convolutions with ReLU, He-initialized from a fixed seed: theoretical receptive field 2·depth + 1. */
function convStack(depth: number, side: number): tfl.LayersModel {
  const input = tfl.input({ shape: [side, side, 1] });
  let y: tfl.SymbolicTensor = input;
  for (let i = 1; i <= depth; i++) {
    y = tfl.layers
      .conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: `conv${i}`,
        kernelInitializer: tfl.initializers.heNormal({ seed: i + 1 }),
      })
      .apply(y) as tfl.SymbolicTensor;
  }
  return tfl.model({ inputs: input, outputs: y });
}

describe('effective receptive field', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('of a stack of eight 3x3 convolutions lies inside the theoretical 17x17 field and holds 95% of its mass on fewer pixels', () => {
    const erf = effectiveReceptiveField(convStack(8, 33), { layer: 'conv8', count: 4 });
    expect(erf.theoretical).toEqual([17, 17]);
    expect(erf.unit).toEqual([16, 16]);
    // Inside: the gradient is zero outside the 17x17 window centred on the unit.
    expect(erf.support).toEqual([8, 8, 24, 24]);
    expect(erf.effectiveArea).toBeLessThan(17 * 17);
    expect(erf.effectiveSide).toBeLessThan(17 * 0.8);
  });

  it('grows more slowly than the theoretical field (Luo et al.: like sqrt(depth), not depth)', () => {
    const shallow = effectiveReceptiveField(convStack(4, 33), { layer: 'conv4', count: 4 });
    const deep = effectiveReceptiveField(convStack(16, 33), { layer: 'conv16', count: 4 });
    expect(deep.theoretical[0] / shallow.theoretical[0]).toBeCloseTo(33 / 9, 5);
    expect(deep.effectiveSide / shallow.effectiveSide).toBeLessThan(33 / 9);
  });
});

describe('effective receptive field, reproducibly', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is the same map on every call with the default seed 0, and another map with another seed', () => {
    const model = convStack(3, 15);
    const first = effectiveReceptiveField(model, { layer: 'conv3', count: 2 });
    const again = effectiveReceptiveField(model, { layer: 'conv3', count: 2 });
    const other = effectiveReceptiveField(model, { layer: 'conv3', count: 2, seed: 1 });
    expect(Array.from(again.map)).toEqual(Array.from(first.map));
    expect(Array.from(other.map)).not.toEqual(Array.from(first.map));
  });
});
