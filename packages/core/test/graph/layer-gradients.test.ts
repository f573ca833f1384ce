import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { unloweredLayer } from '../../src/index.js';
import { describeGraphEngine, expectGraphGradients, expectGraphRefusal, gradientBatch, withSeededModel } from '../../src/testing/index.js';

/**
 * A small network of every tfjs layer class the graph engine lowers, with the geometries that take
 * separate paths: 'same' at stride 2 (TF pads bottom/right), max and average pooling, zero padding,
 * every lowered activation, batch norm, Add, Flatten, global pooling and Dense.
 */
function mixedModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 2] });
  const padded = tfl.layers
    .zeroPadding2d({
      padding: [
        [1, 0],
        [0, 1],
      ],
    })
    .apply(input) as tfl.SymbolicTensor;
  const a = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' })
    .apply(padded) as tfl.SymbolicTensor;
  const b = tfl.layers
    .conv2d({ filters: 4, kernelSize: 2, strides: 2, padding: 'valid', activation: 'elu' })
    .apply(padded) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
  const normed = tfl.layers.batchNormalization({ momentum: 0.8 }).apply(sum) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: 'sigmoid' }).apply(normed) as tfl.SymbolicTensor;
  const maxed = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(act) as tfl.SymbolicTensor;
  const averaged = tfl.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'valid' }).apply(maxed) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(averaged) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(maxed) as tfl.SymbolicTensor;
  const joined = tfl.layers.dense({ units: 6, activation: 'tanh' }).apply(flat) as tfl.SymbolicTensor;
  const fromPool = tfl.layers.dense({ units: 6, activation: 'relu' }).apply(pooled) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: 3 })
    .apply(tfl.layers.add().apply([joined, fromPool]) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: 'mixed' });
}

await describeGraphEngine('graph lowering on %s', () => {
  it("every lowered layer's TensorFlow gradient ops give tfjs's gradients (one momentum-free step at lr 1 moves each weight by -grad)", async () => {
    await withSeededModel(5, mixedModel, (model) => expectGraphGradients(model, gradientBatch([9, 9, 2], 6, 3), 1e-4));
  });

  it('a layer without a lowering is refused in one line that names it and the way out', async () => {
    const input = tfl.input({ shape: [4] });
    const dropped = tfl.layers.layerNormalization({ name: 'norm' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.dense({ units: 2 }).apply(dropped) as tfl.SymbolicTensor,
      name: 'normnet',
    });
    expect(unloweredLayer(model)).toBe('layer norm is a LayerNormalization');
    await expectGraphRefusal(
      model,
      /^layer norm is a LayerNormalization in normnet, which the graph engine does not lower; train it with --engine eager$/,
    );
  });
});
