import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { architectureOptions, defineArchitecture, describeArchitectureOptions, Registry } from '../src/index.js';

const spec = defineArchitecture({
  name: 'documented-net',
  family: 'test',
  defaultInput: [8, 8, 1],
  options: architectureOptions(
    { numClasses: 4, inputShape: [8, 8, 1] },
    {
      activation: z.enum(['relu', 'tanh']).default('relu').describe('hidden-layer activation'),
      widthMultiplier: z.number().positive().default(1),
      dropout: z.number().optional(),
      stages: z.array(z.number().int()).default([2, 2]),
    },
  ),
  build: ({ numClasses, inputShape }) =>
    tfl.sequential({ layers: [tfl.layers.flatten({ inputShape }), tfl.layers.dense({ units: numClasses })] }),
});

describe('architecture options, read from the zod schema', () => {
  it('lists each option with its type, default and description, in declaration order', () => {
    expect(describeArchitectureOptions(spec)).toEqual([
      { name: 'numClasses', type: 'integer', default: 4, required: false },
      { name: 'inputShape', type: '[integer, integer, integer]', default: [8, 8, 1], required: false },
      { name: 'activation', type: 'relu|tanh', default: 'relu', required: false, description: 'hidden-layer activation' },
      { name: 'widthMultiplier', type: 'number', default: 1, required: false },
      { name: 'dropout', type: 'number', required: false },
      { name: 'stages', type: 'integer[]', default: [2, 2], required: false },
    ]);
  });

  it('a misspelled option suggests the closest known one', () => {
    const registry = new Registry().use({ name: 'docs-test', architectures: [spec] });
    expect(() => registry.create('documented-net', { activaton: 'tanh' })).toThrow(
      'bad options for documented-net: unknown option "activaton"; did you mean "activation"?',
    );
    expect(() => registry.create('documented-net', { zzzzzzzzzz: 1 })).toThrow(
      /unknown option "zzzzzzzzzz"; known options: numClasses, inputShape/,
    );
  });
});
