import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker.config.mjs): the ones that check the FFT,
// Grad-CAM's grid geometry and upsampling and composed kernels against direct computation or hand-worked values.
export default defineConfig({
  test: {
    include: [
      'test/fft2d.test.ts',
      'test/frequency.test.ts',
      'test/grad-cam.test.ts',
      'test/grid-geometry.test.ts',
      'test/kernel-composition.test.ts',
    ],
    testTimeout: 60_000,
  },
});
