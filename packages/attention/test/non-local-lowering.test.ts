import {
  describeGraphEngine,
  expectBfloat16Training,
  expectGraphGradients,
  expectGraphOutputs,
  expectGraphRefusal,
  gradientBatch,
  withSeededModel,
} from '@convkit/core/testing';
import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import { NonLocalAttention, type PairwiseFunction } from '../src/index.js';
import './support/setup.js';

/**
 * The attention of a non-local block on its own, so every embedding gets a gradient (a whole block's
 * zero-initialised output projection would leave theta and phi without one at the first step):
 * theta on a 4x4 map, phi and g max-pooled to 2x2 (the paper's sub-sampling), g with more channels.
 */
function attentionModel(pairwise: PairwiseFunction): tfl.LayersModel {
  const input = tfl.input({ shape: [4, 4, 3] });
  const conv = (filters: number) => tfl.layers.conv2d({ filters, kernelSize: 1 }).apply(input) as tfl.SymbolicTensor;
  const pool = (x: tfl.SymbolicTensor) => tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  const attention = new NonLocalAttention({ name: 'attention', pairwise });
  const attended = attention.apply([conv(2), pool(conv(2)), pool(conv(3))]) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(attended) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: `nonlocal_${pairwise}` });
}

await describeGraphEngine('NonLocalAttention lowering on %s', () => {
  it.each(['gaussian', 'embedded', 'dot'] as const)(
    "the %s form gives tfjs's outputs and gradients, and trains in bfloat16 (two steps within 1e-2 of float32)",
    async (pairwise) => {
      const batch = gradientBatch([4, 4, 3], 3, 3);
      await withSeededModel(
        5,
        () => attentionModel(pairwise),
        async (model) => {
          await expectGraphOutputs(model, batch, 1e-5);
          await expectGraphGradients(model, batch, 1e-4);
          await expectBfloat16Training(model, batch);
        },
      );
    },
  );

  it('the concatenation form is refused in one line naming the layer', async () => {
    await expectGraphRefusal(
      attentionModel('concatenation'),
      'layer attention is a non-local attention of pairwise function concatenation, which the graph engine does not lower (it lowers gaussian, embedded and dot); train it with --engine eager',
    );
  });
});
