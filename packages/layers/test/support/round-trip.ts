import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, saveModel } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { input, type layers, model } from '@tensorflow/tfjs-layers';

/**
 * Wraps `layer` in a one-layer model on `inputShape` (batch axis excluded), saves it with core's
 * `saveModel`, loads it with `loadModel` and returns both models' predictions on the same input and
 * the loaded layer, for `expect(after).toEqual(before)`.
 */
export async function saveAndLoad(
  layer: layers.Layer,
  inputShape: number[],
): Promise<{ before: number[]; after: number[]; loaded: layers.Layer }> {
  const x = tf.randomUniform([2, ...inputShape], -1, 1, 'float32', 7);
  const folder = await mkdtemp(join(tmpdir(), 'convkit-layers-'));
  try {
    const symbolic = input({ shape: inputShape });
    const built = model({ inputs: symbolic, outputs: layer.apply(symbolic) as never });
    const before = Array.from((built.predict(x) as tf.Tensor).dataSync());
    await saveModel(built, folder);
    const restored = await loadModel(folder);
    const after = Array.from((restored.predict(x) as tf.Tensor).dataSync());
    return { before, after, loaded: restored.layers[1] as layers.Layer };
  } finally {
    await rm(folder, { recursive: true, force: true });
    x.dispose();
  }
}
