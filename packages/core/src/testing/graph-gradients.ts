import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { GraphEngine } from '../graph/graph-engine.js';
import { createRng } from '../rng.js';

/** A batch for {@link graphAndEagerGradients}: NHWC images and one-hot labels as flat arrays. */
export interface GradientBatch {
  images: Float32Array;
  labels: Float32Array;
  count: number;
}

/** `count` images of `shape` (HWC) uniform in [-1, 1) from `seed`, image `i` labelled class `i % classes`. */
export function gradientBatch(shape: readonly number[], count: number, classes: number, seed = 6): GradientBatch {
  const rng = createRng(seed);
  const images = Float32Array.from({ length: count * shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
  const labels = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) labels[i * classes + (i % classes)] = 1;
  return { images, labels, count };
}

/** One trainable weight's gradient on both engines, and the largest difference relative to the eager one's largest entry. */
export interface EngineGradients {
  weight: string;
  eager: Float32Array;
  graph: Float32Array;
  /** `max |graph - eager| / max(max |eager|, 1e-3)`. */
  error: number;
}

/** Softmax cross-entropy gradients of the model on the batch in training mode, by tfjs's own autodiff. */
function eagerGradients(model: LayersModel, batch: GradientBatch): Float32Array[] {
  const shape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  return tf.tidy(() => {
    const x = tf.tensor(batch.images, [batch.count, ...shape]);
    const y = tf.tensor2d(batch.labels, [batch.count, batch.labels.length / batch.count]);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    return variables.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
  });
}

/** Each trainable weight's gradient from one momentum-free SGD step at learning rate 1 on the graph engine (`before - after`). */
async function graphGradients(model: LayersModel, batch: GradientBatch): Promise<Float32Array[]> {
  const trainable = model.trainableWeights as LayerVariable[];
  const before = trainable.map((w) => w.read().dataSync() as Float32Array);
  const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 } });
  try {
    await engine.step(batch.images, batch.labels, batch.count, 1);
    const state = await engine.readState();
    const gradients = trainable.map(() => new Float32Array());
    engine.variables.forEach((v, i) => {
      const j = trainable.indexOf(model.weights[v.weight] as LayerVariable);
      if (v.kind === 'weight' && j >= 0) gradients[j] = (before[j] as Float32Array).map((value, k) => value - (state[i]?.[k] as number));
    });
    return gradients;
  } finally {
    engine.dispose();
  }
}

/** The losses of the same graph steps computed in float32 and in bfloat16, and their largest relative difference. */
export interface PrecisionLosses {
  float32: number[];
  bfloat16: number[];
  error: number;
}

async function graphStepLosses(
  model: LayersModel,
  batch: GradientBatch,
  compute: 'float32' | 'bfloat16',
  steps: number,
): Promise<number[]> {
  const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 }, compute });
  try {
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) losses.push((await engine.step(batch.images, batch.labels, batch.count, 0.01)).loss);
    return losses;
  } finally {
    engine.dispose();
  }
}

/**
 * The losses of `steps` momentum-free SGD steps (learning rate 0.01) on `batch` on the graph engine,
 * computing in float32 and in bfloat16 from the same weights: a lowering that works in bfloat16 tracks
 * float32 to bfloat16's precision. The model's weights are left as they were.
 */
export async function float32AndBfloat16Losses(model: LayersModel, batch: GradientBatch, steps = 2): Promise<PrecisionLosses> {
  const float32 = await graphStepLosses(model, batch, 'float32', steps);
  const bfloat16 = await graphStepLosses(model, batch, 'bfloat16', steps);
  const error = float32.reduce((m, loss, s) => Math.max(m, Math.abs((bfloat16[s] as number) - loss) / Math.abs(loss)), 0);
  return { float32, bfloat16, error };
}

/**
 * Every trainable weight's gradient of one softmax cross-entropy step on `batch`, from tfjs's eager
 * autodiff and from the graph engine's TensorFlow gradient ops, side by side: what a lowering test
 * checks. Needs the tensorflow backend active; the model's weights are left as they were.
 */
export async function graphAndEagerGradients(model: LayersModel, batch: GradientBatch): Promise<EngineGradients[]> {
  const eager = eagerGradients(model, batch);
  const graph = await graphGradients(model, batch);
  return eager.map((reference, j) => {
    const g = graph[j] as Float32Array;
    const scale = reference.reduce((m, value) => Math.max(m, Math.abs(value)), 1e-3);
    const largest = g.reduce((m, value, k) => Math.max(m, Math.abs(value - (reference[k] as number))), 0);
    const error = g.length === reference.length ? largest / scale : Number.POSITIVE_INFINITY;
    return { weight: model.trainableWeights[j]?.name as string, eager: reference, graph: g, error };
  });
}
