import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import { describeGraphEngine, expectGraphGradients, expectGraphRefusal, gradientBatch, withSeededModel } from '../../src/testing/index.js';

/** Cropping2D with different crops on every border (DARTS's factorized reduce crops one row and column). */
function croppedModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [7, 6, 2] });
  const x = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  const cropped = tfl.layers
    .cropping2D({
      cropping: [
        [1, 0],
        [2, 1],
      ],
    })
    .apply(x) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(cropped) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor, name: 'cropped' });
}

await describeGraphEngine('Cropping2D lowering on %s', () => {
  it("an asymmetric crop gives tfjs's gradients (the cropped borders get none)", async () => {
    await withSeededModel(5, croppedModel, (model) => expectGraphGradients(model, gradientBatch([7, 6, 2], 4, 3), 1e-5));
  });

  it('a channels-first crop is refused in one line naming the layer', async () => {
    const input = tfl.input({ shape: [2, 4, 4] });
    const cropped = tfl.layers.cropping2D({ cropping: 1, dataFormat: 'channelsFirst', name: 'crop' }).apply(input) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(cropped) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor });
    await expectGraphRefusal(
      model,
      'layer crop crops channels-first maps; the graph engine lowers NHWC only; train it with --engine eager',
    );
  });
});
