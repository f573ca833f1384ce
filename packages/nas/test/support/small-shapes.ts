import { definePlugin, registry } from '@convkit/core';
import { generateShapes } from '@convkit/train';

/**
 * A `shapes` dataset at 8x8x1 with 32 training images, registered for the search tests. What they
 * prove (per-epoch files, bit-identical resume, stage order, stopping rules) does not depend on the
 * image size, and `shapes` itself draws 7,000 images at 28x28 on every open, which a search of a
 * few steps pays again on each run and resume; 8x8 is the smallest the search network's two
 * reductions halve evenly.
 */
export const SMALL_SHAPES = 'shapes-8px';

if (!registry.datasets.has(SMALL_SHAPES)) {
  registry.use(
    definePlugin({
      name: 'nas-test-data',
      datasets: [
        {
          name: SMALL_SHAPES,
          description: 'synthetic drawn shapes at 8x8x1, 32 training and 8 test images',
          open: async (options: { seed?: number }) =>
            generateShapes({ seed: options.seed ?? 0, shape: [8, 8, 1], trainSize: 32, testSize: 8 }),
        },
      ],
    }),
  );
}
