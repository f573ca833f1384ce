import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvkitError, createRng, GraphEngine, initBackend, withSeededMathRandom } from '../../src/index.js';
import { gradientBatch, graphAndEagerGradients, testBackends } from '../../src/testing/index.js';

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

const backends = (await testBackends()).filter((b) => b === 'tensorflow' || b === 'tensorflow-gpu');

describe.each(backends)('global max pool lowering on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it("GlobalMaxPooling2D gives tfjs's gradients, ties at the maximum included", async () => {
    const model = withSeededMathRandom(createRng(5), tiedMaxModel);
    try {
      const gradients = await graphAndEagerGradients(model, gradientBatch([6, 6, 2], 4, 3));
      for (const { weight, error } of gradients) expect(error, `gradient of ${weight}`).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });

  it('a channels-first global max pool is refused in one line naming the layer', async () => {
    const input = tfl.input({ shape: [2, 3, 3] });
    const pooled = tfl.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst', name: 'pool' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor });
    const refusal = await GraphEngine.create(model, { optimizer: { name: 'sgd' } }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConvkitError);
    expect((refusal as Error).message).toBe(
      'layer pool pools channels-first maps; the graph engine lowers NHWC only; train it with --engine eager',
    );
    model.dispose();
  });
});
