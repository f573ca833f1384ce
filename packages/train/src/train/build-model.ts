import { ConvkitError, type Registry, type SeededRng, withSeededMathRandom } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageShape } from '../data/labeled-images.js';

const describe = (shape: readonly (number | null)[]) => shape.join('x');

/**
 * Builds architecture `arch` through the registry for data of `shape` with `numClasses` classes, with
 * weight initialization drawn from `rng`, and checks that the model takes the data's images and
 * predicts its classes. A mismatch is a one-line error naming both shapes.
 */
export function buildModelForData(
  registry: Registry,
  arch: string,
  archOptions: Record<string, unknown>,
  data: { shape: ImageShape; numClasses: number; name: string },
  rng: SeededRng,
): LayersModel {
  const requestedClasses = archOptions.numClasses;
  if (requestedClasses !== undefined && requestedClasses !== data.numClasses) {
    throw new ConvkitError(
      'output-mismatch',
      `numClasses ${JSON.stringify(requestedClasses)} in the architecture options does not match ${data.name}, which has ${data.numClasses} classes; drop numClasses (it comes from the data) or use a dataset with ${JSON.stringify(requestedClasses)} classes`,
    );
  }
  const requested = archOptions.inputShape as number[] | undefined;
  if (requested && describe(requested) !== describe(data.shape)) {
    throw new ConvkitError(
      'input-mismatch',
      `model input ${describe(requested)} does not fit ${data.name} images of ${describe(data.shape)}; drop the inputShape option to build ${arch} for the data`,
    );
  }
  const model = withSeededMathRandom(rng, () =>
    registry.create(arch, { ...archOptions, inputShape: data.shape, numClasses: data.numClasses }),
  );
  const input = (model.inputs[0]?.shape ?? []).slice(1);
  if (describe(input) !== describe(data.shape)) {
    model.dispose();
    throw new ConvkitError(
      'input-mismatch',
      `${arch} was built with input ${describe(input)}, which does not fit ${data.name} images of ${describe(data.shape)}; choose an architecture that accepts ${describe(data.shape)} input`,
    );
  }
  const classes = model.outputs[0]?.shape.at(-1);
  if (classes !== data.numClasses) {
    model.dispose();
    throw new ConvkitError(
      'output-mismatch',
      `${arch} predicts ${classes} classes but ${data.name} has ${data.numClasses}; the architecture ignores its numClasses option`,
    );
  }
  return model;
}
