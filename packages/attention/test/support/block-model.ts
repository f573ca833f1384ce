import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttentionSlot, loadModel, saveModel } from '@convkit/core';
import { GRADIENT_TOLERANCE, type GradientCheckOptions } from '@convkit/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { input, type LayersModel, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';

/** A model of one attention module on `inputShape` (H, W, C), its layers named under `name`. */
export function blockModel(slot: AttentionSlot, inputShape: number[], name: string): LayersModel {
  const x = input({ shape: inputShape, name: 'input' });
  const channels = inputShape[inputShape.length - 1] as number;
  return model({ inputs: x, outputs: slot(channels, name)(x as SymbolicTensor), name: `${name}_model` });
}

/** Trainable parameters of a model, counted from its weights. */
export function trainableParams(m: LayersModel): number {
  return m.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
}

/** Saves `m` with core's `saveModel`, loads it with `loadModel`, and returns both predictions on one input. */
export async function predictionsAfterReload(m: LayersModel): Promise<{ before: number[]; after: number[]; loaded: LayersModel }> {
  const shape = (m.inputs[0] as { shape: number[] }).shape.slice(1);
  const x = tf.randomUniform([2, ...shape], -1, 1, 'float32', 7);
  const folder = await mkdtemp(join(tmpdir(), 'convkit-attention-'));
  try {
    const before = Array.from((m.predict(x) as tf.Tensor).dataSync());
    await saveModel(m, folder);
    const loaded = await loadModel(folder);
    const after = Array.from((loaded.predict(x) as tf.Tensor).dataSync());
    return { before, after, loaded };
  } finally {
    await rm(folder, { recursive: true, force: true });
    x.dispose();
  }
}

/**
 * Gradient checks of whole modules (CBAM, non-local): a step of 5e-3 on one image. A module chains
 * several float32 layers, whose rounding in the central differences shrinks with a larger step, and
 * its kinks (ReLU, max pools, CBAM's channel max) sit farther from most inputs than 5e-3.
 */
export const COMPOSITION_CHECK: GradientCheckOptions = { step: 5e-3 };

/** Twice the layer tolerance for those chains (measured worst 9e-4 across cpu, wasm and tensorflow); a 1% error still fails. */
export const COMPOSITION_TOLERANCE = 2 * GRADIENT_TOLERANCE;
