import { ConvkitError } from '@convkit/core';
import type { Genotype } from './genotype.js';

const CONCAT = [2, 3, 4, 5];

/**
 * The cells the paper reports (quark0/darts `genotypes.py`): DARTS_V1 from the first-order search
 * (3.00% CIFAR-10 test error, 3.3M parameters), DARTS_V2 from the second-order one (2.76%, 3.3M),
 * as Figure 4 and 5 of the paper draw them. `DARTS` is DARTS_V2, as in the reference.
 */
export const GENOTYPES: Record<'DARTS_V1' | 'DARTS_V2' | 'DARTS', Genotype> = {
  DARTS_V1: {
    // biome-ignore format: node by node, two edges each
    normal: [['sep_conv_3x3', 1], ['sep_conv_3x3', 0], ['skip_connect', 0], ['sep_conv_3x3', 1], ['skip_connect', 0], ['sep_conv_3x3', 1], ['sep_conv_3x3', 0], ['skip_connect', 2]],
    normalConcat: CONCAT,
    // biome-ignore format: node by node, two edges each
    reduce: [['max_pool_3x3', 0], ['max_pool_3x3', 1], ['skip_connect', 2], ['max_pool_3x3', 0], ['max_pool_3x3', 0], ['skip_connect', 2], ['skip_connect', 2], ['avg_pool_3x3', 0]],
    reduceConcat: CONCAT,
  },
  DARTS_V2: {
    // biome-ignore format: node by node, two edges each
    normal: [['sep_conv_3x3', 0], ['sep_conv_3x3', 1], ['sep_conv_3x3', 0], ['sep_conv_3x3', 1], ['sep_conv_3x3', 1], ['skip_connect', 0], ['skip_connect', 0], ['dil_conv_3x3', 2]],
    normalConcat: CONCAT,
    // biome-ignore format: node by node, two edges each
    reduce: [['max_pool_3x3', 0], ['max_pool_3x3', 1], ['skip_connect', 2], ['max_pool_3x3', 1], ['max_pool_3x3', 0], ['skip_connect', 2], ['skip_connect', 2], ['max_pool_3x3', 1]],
    reduceConcat: CONCAT,
  },
  get DARTS() {
    return GENOTYPES.DARTS_V2;
  },
};

/** The built-in genotype called `name`, or a one-line error listing them. */
export function builtinGenotype(name: string): Genotype {
  const found = (GENOTYPES as Record<string, Genotype>)[name];
  if (!found) {
    throw new ConvkitError(
      'unknown-genotype',
      `unknown genotype "${name}"; use ${Object.keys(GENOTYPES).join(', ')}, a genotype JSON file or an inline genotype object`,
    );
  }
  return found;
}
