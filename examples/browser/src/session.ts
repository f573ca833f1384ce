import type { OutputKind } from '@convkit/core';
import { type ChannelStatistics, LabeledImages, type ModelMetadata, makeBatch, normalizeBatch } from '@convkit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** The model the page holds (trained here or loaded) and what feeding it needs. */
export interface ModelSession {
  model: LayersModel;
  metadata: ModelMetadata;
  kind: OutputKind;
}

/** One class and its probability. */
export interface ClassScore {
  className: string;
  probability: number;
}

/** `count` images (h x w x c, 0-255) as the normalized float batch the model was trained on. */
export function inputBatch(
  pixels: Uint8Array,
  count: number,
  shape: [number, number, number],
  normalization: ChannelStatistics,
): tf.Tensor4D {
  const images = new LabeledImages(pixels, new Uint16Array(count), shape, ['?']);
  const batch = normalizeBatch(
    makeBatch(
      images,
      Array.from({ length: count }, (_, i) => i),
    ),
    normalization,
  );
  return tf.tensor4d(batch.images, [count, ...shape]);
}

/** The model's raw outputs (logits for a logits model) for `count` images. */
export function outputsOf(session: ModelSession, pixels: Uint8Array, count: number): Float32Array {
  return tf.tidy(() => {
    const x = inputBatch(pixels, count, session.metadata.inputShape, session.metadata.normalization);
    return (session.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** Class probabilities of one image, highest first. */
export function classify(session: ModelSession, pixels: Uint8Array): ClassScore[] {
  const out = outputsOf(session, pixels, 1);
  const probabilities = session.kind === 'logits' ? softmax(out) : Array.from(out);
  return probabilities
    .map((probability, i) => ({ className: session.metadata.classNames[i] ?? String(i), probability }))
    .sort((a, b) => b.probability - a.probability);
}

function softmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
