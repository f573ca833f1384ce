import {
  describeGraphEngine,
  expectBfloat16Training,
  expectGraphGradients,
  expectGraphOutputs,
  expectGraphRefusal,
  gradientBatch,
  oneLayerModel,
  withSeededModel,
} from '@convkit/core/testing';
import { LocalResponseNorm } from '@convkit/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';

/**
 * Both LRN conventions, with alphas large enough that the window's sum of squares matters (at
 * AlexNet's 1e-4 the layer is nearly linear and a wrongly scaled alpha would pass): the paper's
 * (alpha on the sum) over 5 channels and PyTorch's (alpha on the mean) over 3, on 7 channels so
 * windows reach past both edges.
 */
function lrnModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4, 4, 3] });
  const x = tfl.layers.conv2d({ filters: 7, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  const paper = new LocalResponseNorm({ size: 5, alpha: 0.3, beta: 0.75, k: 2 }).apply(x) as tfl.SymbolicTensor;
  const y = tfl.layers.conv2d({ filters: 7, kernelSize: 1 }).apply(paper) as tfl.SymbolicTensor;
  const torch = new LocalResponseNorm({ size: 3, alpha: 0.9, beta: 0.6, k: 1, convention: 'pytorch' }).apply(y) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(torch) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor, name: 'lrn' });
}

await describeGraphEngine('LocalResponseNorm lowering on %s', () => {
  it("TensorFlow's LRN (alpha divided by the window under the pytorch convention) and LRNGrad give tfjs's outputs and gradients; in bfloat16 (LRN in float32 between casts) two steps track float32", async () => {
    const batch = gradientBatch([4, 4, 3], 3, 3);
    await withSeededModel(5, lrnModel, async (model) => {
      await expectGraphOutputs(model, batch, 1e-5);
      await expectGraphGradients(model, batch, 1e-4);
      await expectBfloat16Training(model, batch);
    });
  });

  it('an even window is refused in one line naming the layer', async () => {
    await expectGraphRefusal(
      oneLayerModel([2, 2, 4], new LocalResponseNorm({ name: 'lrn', size: 4 })),
      "layer lrn normalizes over an even window of 4 channels, which TensorFlow's LRN cannot centre; use an odd size or train it with --engine eager",
    );
  });
});
