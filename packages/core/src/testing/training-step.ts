import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Softmax cross-entropy of the model's logits on a batch, in training mode; with several outputs
 * (GoogLeNet's auxiliary heads), the main loss plus 0.3 times each auxiliary loss, as in the paper.
 */
function loss(model: LayersModel, images: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const outputs = model.apply(images, { training: true }) as tf.Tensor | tf.Tensor[];
  const [main, ...aux] = Array.isArray(outputs) ? outputs : [outputs];
  const terms = [main as tf.Tensor, ...aux].map((logits, i) => tf.mul(tf.losses.softmaxCrossEntropy(labels, logits), i === 0 ? 1 : 0.3));
  return tf.addN(terms) as tf.Scalar;
}

/** Fraction of the loss that the step's first-order model predicts it to remove. */
const PREDICTED_DECREASE = 1e-3;

/**
 * Loss on one random batch before and after one SGD step on that batch. The learning rate is set
 * from the gradient so that the first-order prediction of the decrease is 0.1% of the loss: the
 * gradient scales of the architectures differ by orders of magnitude (batch norm on 1x1 maps of
 * thin test networks is steep), and a fixed rate either overshoots some or moves others by less
 * than float32 rounding. The forward passes run in training mode (batch statistics), so models
 * under test should be built without dropout for the two losses to be the same function.
 */
export async function lossBeforeAndAfterOneStep(model: LayersModel, batchSize = 8): Promise<[number, number]> {
  const [, ...imageShape] = model.inputs[0]!.shape as number[];
  const numClasses = (model.outputs[0]!.shape as number[])[1]!;
  const images = tf.randomNormal([batchSize, ...imageShape], 0, 1, 'float32', 1);
  const classes = tf.tensor1d(
    Array.from({ length: batchSize }, (_, i) => i % numClasses),
    'int32',
  );
  const labels = tf.oneHot(classes, numClasses);
  const { value, grads } = tf.variableGrads(() => loss(model, images, labels));
  const before = (await value.data())[0]!;
  const squaredNorm = tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
  const optimizer = tf.train.sgd((PREDICTED_DECREASE * before) / (await squaredNorm.data())[0]!);
  optimizer.applyGradients(grads);
  const afterLoss = tf.tidy(() => loss(model, images, labels));
  const after = (await afterLoss.data())[0]!;
  tf.dispose([images, classes, labels, value, squaredNorm, afterLoss, ...Object.values(grads)]);
  optimizer.dispose();
  return [before, after];
}
