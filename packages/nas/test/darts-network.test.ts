import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWithZeroWeights, registry } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GENOTYPES } from '../src/index.js';
import { figure, referenceCounts } from './support/reference-counts.js';
import './support/setup.js';

const trainable = (model: LayersModel) =>
  model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

function counted(options: Record<string, unknown>): number {
  const model = buildWithZeroWeights(() => registry.create('darts', options));
  const n = trainable(model);
  model.dispose();
  return n;
}

const v2 = referenceCounts.eval.DARTS_V2_C36_layers20_classes10 as { without_auxiliary: number; auxiliary_head: number };
const v1 = referenceCounts.eval.DARTS_V1_C36_layers20_classes10 as { without_auxiliary: number; auxiliary_head: number };

describe('the darts evaluation network', () => {
  it(`DARTS_V2 at C=36, 20 cells on CIFAR-10 has the reference's ${figure(v2.without_auxiliary)} parameters (${figure(v2.auxiliary_head)} more with the auxiliary head)`, () => {
    expect(counted({})).toBe(v2.without_auxiliary);
    expect(counted({ auxiliary: true })).toBe(v2.without_auxiliary + v2.auxiliary_head);
  });

  it(`DARTS_V1 has the reference's ${figure(v1.without_auxiliary)}`, () => {
    expect(counted({ genotype: 'DARTS_V1' })).toBe(v1.without_auxiliary);
  });

  it('takes a genotype file, such as a search writes, and an inline genotype', () => {
    const dir = mkdtempSync(join(tmpdir(), 'darts-'));
    const file = join(dir, 'genotype.json');
    writeFileSync(file, JSON.stringify({ genotype: GENOTYPES.DARTS_V1 }));
    const small = { channels: 8, layers: 5, inputShape: [16, 16, 3] };
    expect(counted({ ...small, genotype: file })).toBe(counted({ ...small, genotype: 'DARTS_V1' }));
    expect(counted({ ...small, genotype: GENOTYPES.DARTS_V2 })).toBe(
      (referenceCounts.eval.DARTS_V2_C8_layers5_classes10 as { without_auxiliary: number }).without_auxiliary,
    );
  });

  it('puts the auxiliary head on the output of the cell at 2/3 depth, as a second output', () => {
    const model = buildWithZeroWeights(() => registry.create('darts', { channels: 8, layers: 6, auxiliary: true }));
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 10],
      [null, 10],
    ]);
    // cell 4 = floor(2 * 6 / 3) feeds the head's first layer
    const head = model.getLayer('auxiliary.relu0');
    expect(head.inboundNodes[0]?.inboundLayers[0]?.name).toBe('cell4.concat');
    model.dispose();
  });

  it('refuses an auxiliary head on maps smaller than 8x8 and a missing genotype file, in one line', () => {
    expect(() => registry.create('darts', { channels: 8, layers: 5, inputShape: [16, 16, 3], auxiliary: true })).toThrowError(
      /auxiliary head needs a map of at least 8x8 at 2\/3 depth \(32x32 images\), got 4x4/,
    );
    expect(() => registry.create('darts', { genotype: '/nonexistent/genotype.json' })).toThrowError(/nor a readable file/);
  });
});
