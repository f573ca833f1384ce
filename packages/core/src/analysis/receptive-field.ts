/** Receptive field of a feature map along one axis, in input pixels. */
export interface AxisReceptiveField {
  /** Input pixels that influence one output position. */
  size: number;
  /** Distance in input pixels between neighbouring output positions (product of strides). */
  jump: number;
}

/** The receptive field of the network input itself: one pixel, jump one. */
export const INPUT_RECEPTIVE_FIELD: AxisReceptiveField = Object.freeze({ size: 1, jump: 1 });

/**
 * Receptive field after one sliding-window layer (convolution or pooling):
 * `size' = size + (d(k-1)) * jump`, `jump' = jump * stride` (Araujo et al., 2019, "Computing
 * Receptive Fields of Convolutional Neural Networks").
 */
export function receptiveFieldAfter(
  previous: AxisReceptiveField,
  window: { kernel: number; stride?: number; dilation?: number },
): AxisReceptiveField {
  const { kernel, stride = 1, dilation = 1 } = window;
  return { size: previous.size + dilation * (kernel - 1) * previous.jump, jump: previous.jump * stride };
}

/**
 * Receptive field where branches meet (add, concat): the widest branch decides, since every input
 * pixel any branch sees influences the output.
 */
export function mergeReceptiveFields(branches: AxisReceptiveField[]): AxisReceptiveField {
  if (branches.length === 0) return INPUT_RECEPTIVE_FIELD;
  return branches.reduce((a, b) => ({ size: Math.max(a.size, b.size), jump: Math.max(a.jump, b.jump) }));
}
