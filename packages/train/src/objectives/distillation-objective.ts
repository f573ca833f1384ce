import { ConvkitError, type ObjectiveSpec } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../train/loss.js';
import { distillationLoss } from './distillation-loss.js';
import type { Objective, ObjectiveOptions } from './objective.js';
import { openTeacher } from './teacher.js';

/** Name of the knowledge-distillation objective. */
export const DISTILLATION = 'distillation';

/**
 * Knowledge distillation from the run's `--teacher`: {@link distillationLoss} on the main output at
 * `--kd-temperature` with hard-label weight `--kd-alpha`; auxiliary heads keep their weighted
 * cross-entropy. The teacher runs once per batch in inference mode, outside the gradient tape.
 */
export async function distillationObjective(options: ObjectiveOptions): Promise<Objective> {
  const { config, kinds, lossWeights } = options;
  if (config.teacher === null || config.teacher === '') {
    throw new ConvkitError('bad-option', '--objective distillation needs a teacher; pass --teacher with a trained model folder');
  }
  const teacher = await openTeacher(config.teacher, options.registry, options.input);
  return {
    name: DISTILLATION,
    prepare: (batch) => [teacher.predict(batch.images)],
    loss: (outputs, batch, [teacherOutput]) =>
      tf.tidy(() => {
        const main = distillationLoss(outputs[0] as tf.Tensor, teacherOutput as tf.Tensor, batch.labels, {
          temperature: config.kdTemperature,
          alpha: config.kdAlpha,
          labelSmoothing: config.labelSmoothing,
          studentKind: kinds[0] ?? 'logits',
          teacherKind: teacher.kind,
        });
        return outputs
          .slice(1)
          .reduce<tf.Scalar>(
            (total, output, i) =>
              tf.add(
                total,
                tf.mul(crossEntropy(output, batch.labels, kinds[i + 1] ?? 'logits', config.labelSmoothing), lossWeights[i + 1] ?? 0.3),
              ),
            tf.mul(main, lossWeights[0] ?? 1),
          );
      }),
    dispose: () => teacher.dispose(),
  };
}

/** The registry entry of {@link distillationObjective}. */
export const distillationSpec: ObjectiveSpec<Objective> = {
  name: DISTILLATION,
  description: 'knowledge distillation from --teacher (Hinton et al. 2015): alpha CE + (1 - alpha) T^2 KL at --kd-temperature',
  create: (options) => distillationObjective(options as unknown as ObjectiveOptions),
};
