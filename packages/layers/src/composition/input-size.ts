import { ConvkitError, type InputShape } from '@convkit/core';

/**
 * Throws a {@link ConvkitError} when `inputShape` is smaller than `minimum` pixels in height or
 * width. Architectures check before building, because tfjs reports a too-small input as a negative
 * or zero dimension deep inside some layer, which does not tell the user what to change.
 * @param reason what needs the pixels, e.g. `'five 2x2 max pools of stride 2'`.
 */
export function requireInputAtLeast(architecture: string, inputShape: InputShape, minimum: number, reason: string): void {
  const [height, width] = inputShape;
  if (height >= minimum && width >= minimum) return;
  throw new ConvkitError(
    'input-too-small',
    `${architecture} needs an input of at least ${minimum}x${minimum} pixels (${reason}), got ${height}x${width}; pass a larger inputShape, e.g. [${minimum}, ${minimum}, ${inputShape[2]}]`,
  );
}
