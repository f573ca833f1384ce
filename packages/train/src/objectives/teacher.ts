import { ConvkitError, type OutputKind, type Registry } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageShape } from '../data/labeled-images.js';
import type { ChannelStatistics } from '../data/normalization.js';
import { restoreWeights } from '../train/checkpoint.js';
import { rebuildTrainedModel } from '../train/rebuild-model.js';
import { readSavedModelOrigin, type SavedModelOrigin } from '../train/saved-model-origin.js';

/** A frozen model whose predictions a student learns from. */
export interface Teacher {
  /** The folder it was loaded from. */
  folder: string;
  /** The input the teacher was built for; batches are resized to it. */
  inputShape: ImageShape;
  /** What the teacher's first output holds. */
  kind: OutputKind;
  /**
   * The teacher's first output on a student batch, in inference mode (dropout off, batch norm on
   * its moving statistics): the batch is re-normalized with the teacher's statistics and resized
   * bilinearly to the teacher's input size first.
   */
  predict(images: tf.Tensor4D): tf.Tensor;
  dispose(): void;
}

async function openImported(origin: SavedModelOrigin, registry: Registry): Promise<{ model: LayersModel; kind: OutputKind }> {
  const model = registry.create(origin.arch, origin.archOptions);
  try {
    await restoreWeights(origin.folder, model);
    return { model, kind: registry.outputKinds(origin.arch, model)[0] as OutputKind };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Opens the teacher of a distillation run: a `convkit train` output folder (or its `model/`), or a
 * registered architecture with weights as `convkit import` saves it (a folder with
 * `convkit-import.json`). The teacher must predict the student's classes from images with the
 * student's channels; its input size may differ. The caller disposes it.
 */
export async function openTeacher(
  path: string,
  registry: Registry,
  student: { shape: ImageShape; numClasses: number; normalization: ChannelStatistics },
): Promise<Teacher> {
  const origin = await readSavedModelOrigin(path, 'teacher');
  let model: LayersModel;
  let kind: OutputKind;
  let normalization: ChannelStatistics | undefined;
  let folder = path;
  if (origin.trained) {
    const opened = await rebuildTrainedModel(origin.folder, registry);
    ({ model, folder } = opened);
    kind = opened.outputKind;
    normalization = opened.metadata.normalization;
  } else {
    ({ model, kind } = await openImported(origin, registry));
  }
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1) as ImageShape;
  const classes = model.outputs[0]?.shape.at(-1);
  const problem =
    inputShape[2] !== student.shape[2]
      ? `takes ${inputShape[2]}-channel images but the student's data has ${student.shape[2]}`
      : classes !== student.numClasses
        ? `predicts ${classes} classes but the student's data has ${student.numClasses}`
        : undefined;
  if (problem) {
    model.dispose();
    throw new ConvkitError(
      'teacher-mismatch',
      `the teacher in ${folder} ${problem}; distil from a teacher trained on the same kind of data`,
    );
  }
  // x_teacher = (x * std_s + mean_s - mean_t) / std_t, per channel: one affine map of the student's batch.
  const own = normalization ?? student.normalization;
  const scale = student.normalization.std.map((s, c) => s / (own.std[c] as number));
  const shift = student.normalization.mean.map((m, c) => (m - (own.mean[c] as number)) / (own.std[c] as number));
  const renormalize = scale.some((s) => s !== 1) || shift.some((s) => s !== 0);
  return {
    folder,
    inputShape,
    kind,
    predict: (images) =>
      tf.tidy(() => {
        let x: tf.Tensor4D = images;
        if (renormalize) x = tf.add(tf.mul(x, tf.tensor1d(scale)), tf.tensor1d(shift)) as tf.Tensor4D;
        // The batch's own size, not the data's: under progressive resizing it changes between epochs.
        if (x.shape[1] !== inputShape[0] || x.shape[2] !== inputShape[1]) {
          x = tf.image.resizeBilinear(x, [inputShape[0], inputShape[1]], false, true);
        }
        const predicted = model.predict(x) as tf.Tensor | tf.Tensor[];
        return Array.isArray(predicted) ? (predicted[0] as tf.Tensor) : predicted;
      }),
    dispose: () => model.dispose(),
  };
}
