import { type ConvBnActOptions, WEIGHT_INITS } from '@convkit/layers';

/** The classic families initialise as Keras and its applications do: Glorot uniform (see `WEIGHT_INITS`). */
export const CLASSIC_INIT = WEIGHT_INITS.keras;

/** How a network's convolutions are normalized: bias and batch norm, the part of a unit a whole network shares. */
export type ConvNormalization = Pick<ConvBnActOptions, 'useBias' | 'norm'>;

/**
 * The classic families' unit names: the convolution under the paper's name (`features.conv1_1`,
 * `inception3a.5x5`), its batch norm and activation after it as `<name>.bn` and `<name>.<activation>`.
 */
export function classicNames(name: string, activation: string): ConvBnActOptions['names'] {
  return { conv: name, norm: `${name}.bn`, act: `${name}.${activation}` };
}
