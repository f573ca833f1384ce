import { GraphEngine, graphRefusal, registry } from '@convkit/core';
import { describeGraphEngine, expectBfloat16Training, expectGraphGradients, gradientBatch, withSeededModel } from '@convkit/core/testing';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { auxiliaryHead, type GenotypeEdge } from '../src/index.js';
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

  it("a genotype of average pools (DARTS's count_include_pad=False, at stride 1 in normal cells and 2 in reductions) and a reduction's strided dil_conv lowers and gives tfjs's gradients in one graph step", async () => {
    const pools: GenotypeEdge[] = [
      ['avg_pool_3x3', 0],
      ['avg_pool_3x3', 1],
      ['avg_pool_3x3', 2],
      ['sep_conv_3x3', 1],
      ['avg_pool_3x3', 3],
      ['skip_connect', 0],
      ['avg_pool_3x3', 4],
      ['dil_conv_3x3', 1],
    ];
    const genotype = { normal: pools, normalConcat: [2, 3, 4, 5], reduce: pools, reduceConcat: [2, 3, 4, 5] };
    await withSeededModel(
      3,
      () => registry.create('darts', { ...options, genotype }),
      async (model) => {
        expect(model.layers.filter((layer) => layer.getClassName() === 'convkit.AvgPool2d').length).toBeGreaterThan(0);
        expect(graphRefusal(model, { optimizer: 'sgd' })).toBeUndefined();
        await expectGraphGradients(model, gradientBatch(options.inputShape, 4, 10), 1e-4);
      },
    );
  });

  it("the auxiliary head's layers (unpadded 5x5/3 average pool, 1x1 and 2x2 convolutions, batch norms) give tfjs's gradients in one graph step", async () => {
    // The darts network with `auxiliary` has two outputs, which the graph engine refuses as a model; its head's layers lower.
    const head = () => {
      const input = tfl.input({ shape: [8, 8, 3] });
      const map = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: auxiliaryHead(map, 10) });
    };
    await withSeededModel(3, head, async (model) => {
      expect(graphRefusal(model, { optimizer: 'sgd' })).toBeUndefined();
      await expectGraphGradients(model, gradientBatch([8, 8, 3], 4, 10), 1e-4);
    });
    const withHead = registry.create('darts', { ...options, inputShape: [32, 32, 3], auxiliary: true });
    try {
      expect(graphRefusal(withHead, { optimizer: 'sgd' })).toBe('darts has 2 outputs (the graph engine trains one logits output)');
    } finally {
      withHead.dispose();
    }
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
