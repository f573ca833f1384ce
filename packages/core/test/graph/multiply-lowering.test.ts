import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import { describeGraphEngine, expectGraphGradients, expectGraphRefusal, gradientBatch, withSeededModel } from '../../src/testing/index.js';

/**
 * Multiply layers the way attention gates use them: a map times a per-channel gate `[n, 1, 1, c]`,
 * a per-position gate `[n, h, w, 1]` times a map (the broadcast factor first), and three factors.
 */
function gatedModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [5, 5, 3] });
  const x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  const pooled = tfl.layers.averagePooling2d({ poolSize: 5 }).apply(x) as tfl.SymbolicTensor;
  const channelGate = tfl.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'sigmoid' }).apply(pooled) as tfl.SymbolicTensor;
  const spatialGate = tfl.layers
    .conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' })
    .apply(x) as tfl.SymbolicTensor;
  const channelScaled = tfl.layers.multiply().apply([x, channelGate]) as tfl.SymbolicTensor;
  const spatialScaled = tfl.layers.multiply().apply([spatialGate, channelScaled]) as tfl.SymbolicTensor;
  const both = tfl.layers.multiply().apply([x, spatialGate, channelGate]) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([spatialScaled, both]) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(sum) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor, name: 'gated' });
}

await describeGraphEngine('Multiply lowering on %s', () => {
  it("broadcast products ([n,h,w,c] by [n,1,1,c] and by [n,h,w,1], either order, three factors) give tfjs's gradients", async () => {
    await withSeededModel(5, gatedModel, (model) => expectGraphGradients(model, gradientBatch([5, 5, 3], 4, 3), 1e-4));
  });

  it('a product of different ranks is refused in one line naming the layer and the shapes', async () => {
    const input = tfl.input({ shape: [3, 3, 2] });
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(input) as tfl.SymbolicTensor;
    const scaled = tfl.layers.multiply({ name: 'scale' }).apply([input, pooled]) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(scaled) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor });
    await expectGraphRefusal(
      model,
      'layer scale multiplies shapes [null,3,3,2] and [null,2], which the graph engine does not broadcast (it lowers equal ranks with axes of size 1); train it with --engine eager',
    );
    tf.disposeVariables();
  });
});
