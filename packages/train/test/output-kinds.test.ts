import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { architectureOptions, defineArchitecture, type InputShape, type OutputKind } from '@convkit/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { train } from '../src/api/train.js';
import { expectOneLineError } from './fixtures/one-line-error.js';
import { testRegistry } from './fixtures/test-registry.js';

// The same network built both ways a plugin author may write it: as a tfjs Sequential model (the
// core README's example) and as a functional model. Identical layers in identical order, so the
// seeded initialisation gives both the same weights and they must train identically.
const layersOf = (numClasses: number, inputShape: InputShape, kind: OutputKind) => [
  tfl.layers.conv2d({ inputShape, filters: 6, kernelSize: 3, activation: 'relu', name: 'conv1' }),
  tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
  tfl.layers.flatten({ name: 'flatten' }),
  tfl.layers.dense({ units: numClasses, name: 'fc', ...(kind === 'probabilities' ? { activation: 'softmax' as const } : {}) }),
];

function twin(form: 'sequential' | 'functional', kind: OutputKind, declare = true) {
  return defineArchitecture({
    name: `${form}-${kind}${declare ? '' : '-undeclared'}`,
    family: 'test',
    defaultInput: [12, 12, 1],
    ...(declare && kind === 'probabilities' ? { outputs: kind } : {}),
    options: architectureOptions({ numClasses: 10, inputShape: [12, 12, 1] }, {}),
    build: ({ numClasses, inputShape }) => {
      const layers = layersOf(numClasses, inputShape, kind);
      if (form === 'sequential') return tfl.sequential({ layers });
      const input = tfl.input({ shape: inputShape });
      const output = layers.reduce<tfl.SymbolicTensor>((x, layer) => layer.apply(x) as tfl.SymbolicTensor, input);
      return tfl.model({ inputs: input, outputs: output });
    },
  });
}

const registry = () =>
  testRegistry().use({
    name: 'twins',
    architectures: [
      twin('sequential', 'logits'),
      twin('functional', 'logits'),
      twin('sequential', 'probabilities'),
      twin('functional', 'probabilities'),
      twin('sequential', 'probabilities', false),
    ],
  });

const run = async (arch: string) =>
  train({
    arch,
    data: 'tiny-shapes',
    epochs: 10,
    batchSize: 16,
    lr: 0.01,
    validationSplit: 0,
    backend: 'cpu',
    out: join(await mkdtemp(join(tmpdir(), 'convkit-kinds-')), 'run'),
    registry: registry(),
  });

describe('plugin architectures train on the loss their outputs need, Sequential or functional', () => {
  it.each(['logits', 'probabilities'] as const)(
    'a Sequential model with %s trains exactly like its functional twin, well above chance',
    async (kind) => {
      const sequential = await run(`sequential-${kind}`);
      const functional = await run(`functional-${kind}`);
      expect(sequential.testAccuracy).toBe(functional.testAccuracy);
      expect(sequential.testLoss).toBeCloseTo(functional.testLoss, 5);
      // Ten classes: chance is 0.1. Clipping logits as if they were probabilities left accuracy there
      // while the loss fell towards 0.001.
      expect(sequential.testAccuracy).toBeGreaterThan(0.5);
      expect(sequential.history.at(-1)?.trainLoss).toBeGreaterThan(0.01);
    },
  );

  it('a Sequential model ending in a softmax that its spec does not declare is refused before training', async () => {
    const message = await expectOneLineError(run('sequential-probabilities-undeclared'), 'output-kind-mismatch');
    expect(message).toContain('layer "fc"');
  });
});
