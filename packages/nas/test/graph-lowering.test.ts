import { graphRefusal, registry } from '@convkit/core';
import { describeGraphEngine, expectBfloat16Training, expectGraphGradients, gradientBatch, withSeededModel } from '@convkit/core/testing';
import { expect, it } from 'vitest';
import './support/setup.js';

await describeGraphEngine('the darts evaluation network on the graph engine (%s)', () => {
  const options = { inputShape: [8, 8, 3] as [number, number, number], channels: 4, layers: 3 };
  const darts = () => registry.create('darts', options);

  it("DARTS_V2 (separable and dilated convolutions, factorized reduce's crop, both reductions) gives tfjs's gradients in one graph step", async () => {
    await withSeededModel(3, darts, async (model) => {
      expect(graphRefusal(model, { optimizer: 'sgd' })).toBeUndefined();
      await expectGraphGradients(model, gradientBatch(options.inputShape, 4, 10), 1e-4);
    });
  });

  it('DARTS_V2 trains in bfloat16 (its dilated depthwise convolutions and crops too): two steps track float32 within 1e-2', async () => {
    await withSeededModel(3, darts, (model) => expectBfloat16Training(model, gradientBatch(options.inputShape, 4, 10)));
  });
});
