import { createRng, graphRefusal, initBackend, registry, withSeededMathRandom } from '@convkit/core';
import { float32AndBfloat16Losses, gradientBatch, graphAndEagerGradients, testBackends } from '@convkit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import './support/setup.js';

const backends = (await testBackends()).filter((b) => b === 'tensorflow' || b === 'tensorflow-gpu');

describe.each(backends)('the darts evaluation network on the graph engine (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  const options = { inputShape: [8, 8, 3] as [number, number, number], channels: 4, layers: 3 };

  it("DARTS_V2 (separable and dilated convolutions, factorized reduce's crop, both reductions) gives tfjs's gradients in one graph step", async () => {
    const model = withSeededMathRandom(createRng(3), () => registry.create('darts', options));
    try {
      expect(graphRefusal(model, { optimizer: 'sgd' })).toBeUndefined();
      const gradients = await graphAndEagerGradients(model, gradientBatch(options.inputShape, 4, 10));
      for (const { weight, error } of gradients) expect(error, `gradient of ${weight}`).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('DARTS_V2 trains in bfloat16 (its dilated depthwise convolutions and crops too): two steps track float32 within 1e-2', async () => {
    const model = withSeededMathRandom(createRng(3), () => registry.create('darts', options));
    try {
      const batch = gradientBatch(options.inputShape, 4, 10);
      const { float32, bfloat16, error } = await float32AndBfloat16Losses(model, batch);
      expect(error).toBeLessThan(1e-2);
      expect(bfloat16).not.toEqual(float32);
    } finally {
      model.dispose();
    }
  });
});
