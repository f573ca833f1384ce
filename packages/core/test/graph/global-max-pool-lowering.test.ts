import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import { describeGraphEngine, expectGraphGradients, expectGraphRefusal, gradientBatch, withSeededModel } from '../../src/testing/index.js';

/**
 * A global max pool whose maximum is tied: a stride-1 max pool before it copies each map's largest
 * value to up to four neighbouring positions, and tfjs sends the full gradient to every copy, so the
 * convolution's kernel gradient counts the winner once per copy (TensorFlow's own rule would split it).
 */
function tiedMaxModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 2] });
  const x = tfl.layers.conv2d({ filters: 3, kernelSize: 3 }).apply(input) as tfl.SymbolicTensor;
  const spread = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalMaxPooling2d({}).apply(spread) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(pooled) as tfl.SymbolicTensor, name: 'tiedmax' });
}

await describeGraphEngine('global max pool lowering on %s', () => {
  it("GlobalMaxPooling2D gives tfjs's gradients, ties at the maximum included", async () => {
    await withSeededModel(5, tiedMaxModel, (model) => expectGraphGradients(model, gradientBatch([6, 6, 2], 4, 3), 1e-5));
  });

  it('a channels-first global max pool is refused in one line naming the layer', async () => {
    const input = tfl.input({ shape: [2, 3, 3] });
    const pooled = tfl.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst', name: 'pool' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor });
    await expectGraphRefusal(
      model,
      'layer pool pools channels-first maps; the graph engine lowers NHWC only; train it with --engine eager',
    );
  });
});
