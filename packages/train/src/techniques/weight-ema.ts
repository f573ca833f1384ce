import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** File of a checkpoint holding the EMA weights (float32, model weight order). */
export const EMA_FILE = 'ema.bin';

/** Folder of a run's output holding the model with the EMA weights, beside `model/`. */
export const EMA_MODEL = 'model-ema';

/**
 * Exponential moving average of a model's weights (Polyak averaging as timm's `ModelEmaV2` does it):
 * after every optimizer step `shadow = decay * shadow + (1 - decay) * weight`, for every weight of the
 * model, batch-norm moving statistics included, starting from the initial weights. The averaged
 * weights are evaluated and saved beside the raw ones; training itself never sees them.
 */
export class WeightEma {
  private shadows: tf.Variable[];

  /** @param decay in (0, 1); 0.999 averages over about the last 1,000 steps. */
  constructor(
    private readonly model: LayersModel,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new ConvkitError('bad-option', `EMA decay must be in (0, 1), got ${decay}`);
    this.shadows = model.weights.map((w) => tf.variable(w.read(), false));
  }

  /** Folds the model's current weights into the average; called after each optimizer step. */
  update(): void {
    tf.tidy(() => {
      this.model.weights.forEach((w, i) => {
        const shadow = this.shadows[i] as tf.Variable;
        shadow.assign(tf.add(tf.mul(shadow, this.decay), tf.mul(w.read(), 1 - this.decay)));
      });
    });
  }

  /** Runs `use` with the averaged weights in the model, then puts the raw weights back exactly. */
  async withAveraged<T>(use: () => Promise<T>): Promise<T> {
    // Clones: the model's variables are assigned in place, so their current tensors would be overwritten.
    const raw = this.model.weights.map((w) => w.read().clone());
    this.model.setWeights(this.shadows);
    try {
      return await use();
    } finally {
      this.model.setWeights(raw);
      tf.dispose(raw);
    }
  }

  /** The averaged weights as float32 arrays, in model weight order (for checkpoints). */
  async values(): Promise<Float32Array[]> {
    return Promise.all(this.shadows.map(async (s) => (await s.data()) as Float32Array));
  }

  /** The averaged weights concatenated into one buffer, as a checkpoint stores them. */
  async bytes(): Promise<Uint8Array> {
    const values = await this.values();
    const all = new Float32Array(values.reduce((n, v) => n + v.length, 0));
    let offset = 0;
    for (const v of values) {
      all.set(v, offset);
      offset += v.length;
    }
    return new Uint8Array(all.buffer);
  }

  /** Restores the average from {@link WeightEma.bytes} of a model of the same weight shapes. */
  restore(bytes: Uint8Array): void {
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const expected = this.shadows.reduce((n, s) => n + s.size, 0);
    if (all.length !== expected) {
      throw new ConvkitError(
        'corrupted-checkpoint',
        `the checkpoint's EMA weights hold ${all.length} values, not this model's ${expected}; start a new run`,
      );
    }
    let offset = 0;
    for (const shadow of this.shadows) {
      shadow.assign(tf.tensor(all.subarray(offset, offset + shadow.size), shadow.shape));
      offset += shadow.size;
    }
  }

  dispose(): void {
    tf.dispose(this.shadows);
    this.shadows = [];
  }
}
