import { fileURLToPath } from 'node:url';
import { plugin as archClassic } from '@convkit/arch-classic';
import { Registry } from '@convkit/core';

/** A registry with LeNet-5 and the rest of arch-classic. */
export function testRegistry(): Registry {
  return new Registry().use(archClassic);
}

/** LeNet-5 trained on `shapes` (seed 0, 4 epochs, 92.2% test accuracy); `scripts/train-fixture.sh` regenerates it. */
export const LENET5_SHAPES = fileURLToPath(new URL('./fixtures/lenet5-shapes', import.meta.url));
