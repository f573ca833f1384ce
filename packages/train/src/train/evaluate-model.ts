import type { OutputKind } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { normalizeBatch, streamBatches } from '../data/image-batch.js';
import type { LabeledImages } from '../data/labeled-images.js';
import type { ChannelStatistics } from '../data/normalization.js';
import { resizeBatch } from '../data/resize-batch.js';
import { ClassificationMetrics } from './classification-metrics.js';
import { crossEntropy, toProbabilities } from './loss.js';

/** Loss, top-1 and top-5 accuracy and confusion matrix of a model on a labelled set. */
export interface EvaluationMetrics {
  loss: number;
  top1: number;
  top5: number;
  count: number;
  /** `confusion[truth][predicted]` counts. */
  confusion: number[][];
}

/**
 * Evaluates `model` (inference mode, first output only — auxiliary heads are a training device) on
 * `data`, normalized with the training statistics, one batch of floats at a time. `kind` is what
 * the first output holds, as the registry's `outputKinds` gives it. Images of another size than the
 * model's input are resized bilinearly to it (a progressively resized model is scored at its last size).
 */
export async function evaluateModel(
  model: LayersModel,
  kind: OutputKind,
  data: LabeledImages,
  statistics: ChannelStatistics,
  batchSize = 256,
): Promise<EvaluationMetrics> {
  const metrics = new ClassificationMetrics(data.numClasses);
  const order = Array.from({ length: data.size }, (_, i) => i);
  const [height, width] = (model.inputs[0]?.shape ?? []).slice(1, 3);
  let start = 0;
  for (const raw of streamBatches(data, order, batchSize)) {
    const batch = normalizeBatch(height && width ? resizeBatch(raw, height, width) : raw, statistics);
    const [probabilities, loss] = tf.tidy(() => {
      const x = tf.tensor4d(batch.images, [batch.count, ...batch.shape]);
      const y = tf.tensor2d(batch.labels, [batch.count, batch.numClasses]);
      const predicted = model.predict(x);
      const output = Array.isArray(predicted) ? (predicted[0] as tf.Tensor) : predicted;
      return [toProbabilities(output, kind), crossEntropy(output, y, kind)];
    });
    metrics.add(await probabilities.data(), data.labels.subarray(start, start + batch.count), (await loss.data())[0] as number);
    tf.dispose([probabilities, loss]);
    start += batch.count;
  }
  return metrics.result();
}
