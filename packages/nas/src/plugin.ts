import { definePlugin } from '@convkit/core';
import { darts } from './darts-network.js';

/**
 * The package's contribution to the convkit registry: the `darts` architecture (the evaluation
 * network of a genotype). Its layers are `@convkit/layers`' classes and stock tfjs ones: use that
 * package's plugin too before loading a saved model (the CLI loads both). Nothing is registered on import.
 */
export const plugin = definePlugin({
  name: '@convkit/nas',
  architectures: [darts],
});
