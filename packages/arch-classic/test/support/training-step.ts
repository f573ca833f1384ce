import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Softmax cross-entropy of the model's logits on a batch; with several outputs (GoogLeNet's
 * auxiliary heads), the main loss plus 0.3 times each auxiliary loss, as in the GoogLeNet paper.
 */
function loss(model: LayersModel, images: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const outputs = model.apply(images, { training: true }) as tf.Tensor | tf.Tensor[];
  const [main, ...aux] = Array.isArray(outputs) ? outputs : [outputs];
  const terms = [main as tf.Tensor, ...aux].map((logits, i) => tf.mul(tf.losses.softmaxCrossEntropy(labels, logits), i === 0 ? 1 : 0.3));
  return tf.addN(terms) as tf.Scalar;
}

/**
 * Loss on one random batch before and after one SGD step on that batch. The forward passes run in
 * training mode (batch statistics), so models under test should be built without dropout for the
 * two losses to be comparable.
 */
export async function lossBeforeAndAfterOneStep(model: LayersModel, batchSize = 2, learningRate = 0.01): Promise<[number, number]> {
  const [, ...imageShape] = model.inputs[0]!.shape as number[];
  const numClasses = (model.outputs[0]!.shape as number[])[1]!;
  const images = tf.randomNormal([batchSize, ...imageShape], 0, 1, 'float32', 1);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batchSize }, (_, i) => i % numClasses),
      'int32',
    ),
    numClasses,
  );
  const before = tf.tidy(() => loss(model, images, labels));
  const optimizer = tf.train.sgd(learningRate);
  optimizer.minimize(() => loss(model, images, labels));
  const after = tf.tidy(() => loss(model, images, labels));
  const values: [number, number] = [(await before.data())[0]!, (await after.data())[0]!];
  tf.dispose([images, labels, before, after]);
  optimizer.dispose();
  return values;
}
