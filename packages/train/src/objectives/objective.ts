import type { OutputKind, Registry } from '@convkit/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../data/labeled-images.js';
import type { ChannelStatistics } from '../data/normalization.js';
import type { TrainConfig } from '../train/train-config.js';

/** What an objective sees of one training batch. */
export interface ObjectiveBatch {
  /** The images the student sees: NHWC, normalized with the run's statistics. */
  images: tf.Tensor4D;
  /** Per-class label weights (one-hot, or soft after mixup). */
  labels: tf.Tensor2D;
}

/**
 * The loss a train step minimises. The step calls `prepare` on the batch before the student's forward
 * pass and outside its gradient tape (a teacher's predictions are computed there, so the tape records
 * none of the teacher's ops), then `loss` inside the tape on the student's outputs.
 */
export interface Objective {
  /** The registered name, as `--objective` spells it. */
  readonly name: string;
  /** Work on the batch that needs no gradient; the tensors returned live until the step ends. */
  prepare?(batch: ObjectiveBatch): tf.Tensor[];
  /** Scalar loss of the model's outputs (one per model output); `prepared` is what `prepare` returned. */
  loss(outputs: tf.Tensor[], batch: ObjectiveBatch, prepared: tf.Tensor[]): tf.Scalar;
  /** Frees what the objective holds (a teacher model). */
  dispose?(): void;
}

/** What the trainer passes to an objective spec's `create`. */
export interface ObjectiveOptions {
  /** The run's resolved options (label smoothing, distillation temperature and weight, teacher, ...). */
  config: TrainConfig;
  /** What each model output holds, as the registry's `outputKinds` gives it. */
  kinds: OutputKind[];
  /** Loss weight of each output (main head first). */
  lossWeights: number[];
  /** The registry the run builds from (a teacher is rebuilt through it). */
  registry: Registry;
  /** The student's input: image shape, classes and the normalization its batches carry. */
  input: { shape: ImageShape; numClasses: number; normalization: ChannelStatistics };
}
