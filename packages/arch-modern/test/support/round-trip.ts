import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, saveModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Saves `model` to a temporary folder, loads it back (the classes it uses must be registered: the
 * test registry holds @convkit/layers' plugin) and returns both models' outputs for one random batch.
 */
export async function outputsBeforeAndAfterSaving(model: LayersModel): Promise<[number[], number[]]> {
  const [, ...imageShape] = model.inputs[0]!.shape as number[];
  const x = tf.randomNormal([2, ...imageShape], 0, 1, 'float32', 3);
  const folder = await mkdtemp(join(tmpdir(), `convkit-${model.name}-`));
  try {
    await saveModel(model, folder);
    const loaded = await loadModel(folder);
    const outputs: [number[], number[]] = [
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
      Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
    ];
    loaded.dispose();
    return outputs;
  } finally {
    await rm(folder, { recursive: true, force: true });
    x.dispose();
  }
}
