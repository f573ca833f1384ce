import { plugin as modern } from '@convkit/arch-modern';
import { Registry, unloweredLayer } from '@convkit/core';
import { describeGraphEngine, expectBfloat16Training, expectGraphGradients, gradientBatch, withSeededModel } from '@convkit/core/testing';
import { GlobalMaxPool2d, plugin as layersPlugin } from '@convkit/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { ChannelPool, plugin } from '../src/index.js';
import './support/setup.js';

const registry = new Registry().use(layersPlugin).use(modern).use(plugin);
/**
 * CBAM's pools with tied maxima: the map concatenated with itself gives every position two equal
 * channel maxima for ChannelPool, and a stride-1 max pool copies each channel's largest value to up
 * to four positions for GlobalMaxPool2d.
 */
function tiedPoolsModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [5, 5, 2] });
  const x = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  const doubled = tfl.layers.concatenate().apply([x, x]) as tfl.SymbolicTensor;
  const channelPooled = new ChannelPool({}).apply(doubled) as tfl.SymbolicTensor;
  const spread = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  const spatialPooled = new GlobalMaxPool2d({}).apply(spread) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(channelPooled) as tfl.SymbolicTensor;
  const joined = tfl.layers.concatenate().apply([flat, spatialPooled]) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(joined) as tfl.SymbolicTensor, name: 'tiedpools' });
}

await describeGraphEngine('attention variants on the graph engine (%s)', () => {
  it("ChannelPool and GlobalMaxPool2d give tfjs's gradients, which send dy to every tied maximum", async () => {
    await withSeededModel(5, tiedPoolsModel, (model) => expectGraphGradients(model, gradientBatch([5, 5, 2], 4, 3), 1e-5));
  });

  it('cbam-resnet20 (Multiply, the max and mean reductions, ChannelPool) trains in bfloat16: two steps track float32 within 1e-2', async () => {
    await withSeededModel(
      3,
      () => registry.create('cbam-resnet20', { inputShape: [8, 8, 3] }),
      (model) => expectBfloat16Training(model, gradientBatch([8, 8, 3], 4, 10)),
    );
  });

  // cbam-resnet20's bound is looser: its stage-1 channel MLPs have one hidden unit and kernel
  // gradients near 5e-4, under the measure's 1e-3 floor, where the batch norms' float32 residue
  // (FusedBatchNormGradV3 against tfjs's composition, about 1e-7) reaches 1.2e-4.
  // se-mobilenet-v2's is looser still: the betas of its linear bottlenecks feed a 1x1 convolution and a
  // batch norm that removes any shift, so their gradients are zero in exact arithmetic and both engines
  // return float32 residue (about 1e-6, against the 1e-3 floor of the relative measure).
  it.each([
    ['se-resnet20', { inputShape: [8, 8, 3] }, 4, 1e-4],
    ['cbam-resnet20', { inputShape: [8, 8, 3] }, 4, 1e-3],
    ['se-mobilenet-v2', { inputShape: [32, 32, 3], widthMultiplier: 0.25, dropout: 0, numClasses: 10 }, 2, 1e-2],
  ] as const)("registered %s lowers, and one graph step gives tfjs's gradients for every weight", async (name, options, count, bound) => {
    await withSeededModel(
      3,
      () => registry.create(name, options),
      async (model) => {
        expect(unloweredLayer(model)).toBeUndefined();
        await expectGraphGradients(model, gradientBatch(options.inputShape, count, 10), bound);
      },
    );
  });
});
