import { type SeededRng, withSeededMathRandom } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageBatch } from '../data/image-batch.js';
import type { Objective } from '../objectives/objective.js';
import { roundToFloat16 } from '../techniques/float16-emulation.js';
import type { DynamicLossScaler } from '../techniques/loss-scaler.js';
import type { Optimizer } from './optimizer.js';
import { top1Hits } from './top1-hits.js';

/** What one optimization step needs besides the batch. */
export interface StepContext {
  model: LayersModel;
  optimizer: Optimizer;
  /** The loss minimised (cross-entropy, distillation, or a plugin's registered objective). */
  objective: Objective;
  /** Clip gradients to this global L2 norm (Pascanu et al. 2013); undefined for no clipping. */
  clipNorm: number | undefined;
  /** Round the (scaled) gradients to float16, as a float16 backward pass would leave them. */
  float16Gradients?: boolean;
  /** Dynamic loss scaling; a step with non-finite gradients is then skipped. */
  lossScaler?: DynamicLossScaler | undefined;
}

/** Loss and first-output hits of one step. */
export interface StepResult {
  loss: number;
  correct: number;
  /** False when loss scaling found an inf or NaN gradient and the update was skipped. */
  applied: boolean;
}

/** Scales `gradients` together so their global L2 norm is at most `clipNorm` (Pascanu et al. 2013). */
export function clipByGlobalNorm(gradients: tf.Tensor[], clipNorm: number): tf.Tensor[] {
  const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6)));
  return gradients.map((g) => tf.mul(g, scale));
}

/**
 * One training step on a normalized batch: the objective's preparation outside the gradient tape (a
 * teacher's predictions), forward in training mode, the objective's loss over all outputs (times the
 * loss scale, with loss scaling), gradients of every trainable weight (rounded to float16 and
 * unscaled, when asked), optional clipping, optimizer update unless a gradient overflowed. Dropout
 * and any other `Math.random` draw come from `rng`.
 */
export async function trainStep(context: StepContext, batch: ImageBatch, learningRate: number, rng: SeededRng): Promise<StepResult> {
  const { model, optimizer, lossScaler } = context;
  const scale = lossScaler?.scale ?? 1;
  let applied = true;
  const [loss, firstOutput] = withSeededMathRandom(rng, () =>
    tf.tidy(() => {
      const x = tf.tensor4d(batch.images, [batch.count, ...batch.shape]);
      const y = tf.tensor2d(batch.labels, [batch.count, batch.numClasses]);
      const inputs = { images: x, labels: y };
      const prepared = context.objective.prepare?.(inputs) ?? [];
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      let firstOutput: tf.Tensor | undefined;
      let unscaledLoss: tf.Scalar | undefined;
      const { grads } = tf.variableGrads(() => {
        const predicted = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
        const outputs = Array.isArray(predicted) ? predicted : [predicted];
        firstOutput = tf.keep(outputs[0] as tf.Tensor);
        unscaledLoss = tf.keep(context.objective.loss(outputs, inputs, prepared));
        return scale === 1 ? unscaledLoss : tf.mul(unscaledLoss, scale);
      }, variables);
      let gradients = variables.map((v) => grads[v.name] as tf.Tensor);
      if (context.float16Gradients) gradients = gradients.map((g) => roundToFloat16(g));
      if (scale !== 1) gradients = gradients.map((g) => tf.div(g, scale));
      if (lossScaler) {
        const finite = tf.all(tf.stack(gradients.map((g) => tf.all(tf.isFinite(g)))));
        applied = lossScaler.update(finite.dataSync()[0] === 1);
      }
      if (applied) {
        if (context.clipNorm !== undefined) gradients = clipByGlobalNorm(gradients, context.clipNorm);
        optimizer.apply(variables, gradients, learningRate);
      }
      return [unscaledLoss as tf.Tensor, firstOutput as tf.Tensor];
    }),
  );
  // The hits are counted on the host from the first output, read back with the loss.
  const [lossValue, outputValues] = await Promise.all([loss.data(), firstOutput.data()]);
  tf.dispose([loss, firstOutput]);
  return { loss: lossValue[0] as number, correct: top1Hits(outputValues, batch.labels, batch.numClasses), applied };
}
