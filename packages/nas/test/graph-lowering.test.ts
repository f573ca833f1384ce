import { GraphEngine, graphRefusal, registry } from '@convkit/core';
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

  it.each([0, 0.3])(
    'DARTS_V2 at drop-path %s trains in bfloat16 (its dilated depthwise convolutions and crops too): two steps track float32 within 1e-2',
    async (dropPath) => {
      const withDropPath = () => registry.create('darts', { ...options, dropPath });
      await withSeededModel(3, withDropPath, (model) => expectBfloat16Training(model, gradientBatch(options.inputShape, 4, 10)));
    },
  );

  it('DARTS_V2 with drop-path lowers; its seeded per-example masks repeat across runs and across a resume from the session state', async () => {
    const batch = gradientBatch(options.inputShape, 4, 10);
    const seeds: [number, number][] = [
      [11, 12],
      [13, 14],
      [15, 16],
    ];
    await withSeededModel(
      3,
      () => registry.create('darts', { ...options, dropPath: 0.3 }),
      async (model) => {
        const run = async (from: number, state?: Float32Array[]) => {
          const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0.9 } }, state);
          try {
            const losses: number[] = [];
            for (const seed of seeds.slice(from))
              losses.push((await engine.step(batch.images, batch.labels, batch.count, 0.05, seed)).loss);
            return { losses, state: await engine.readState() };
          } finally {
            engine.dispose();
          }
        };
        expect(graphRefusal(model, { optimizer: 'sgd' })).toBeUndefined();
        const whole = await run(0);
        const first = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0.9 } });
        let afterOne: Float32Array[];
        try {
          // A second run from the same weights and seed draws the same masks.
          expect((await first.step(batch.images, batch.labels, batch.count, 0.05, seeds[0])).loss).toBe(whole.losses[0]);
          afterOne = await first.readState();
        } finally {
          first.dispose();
        }
        const resumed = await run(1, afterOne);
        expect(resumed.losses).toEqual(whole.losses.slice(1));
        expect(resumed.state).toEqual(whole.state);
      },
    );
  });
});
