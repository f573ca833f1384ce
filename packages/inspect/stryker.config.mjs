// StrykerJS over inspect's numerical helpers: the 2-D FFT, the map-to-input grid geometry and the
// composition of stacked linear convolutions into one (`pnpm test:mutation`, not part of `pnpm test`).
// Equivalent mutants are listed with reasons in ../../docs/mutation-testing.md.
import { strykerConfig } from '../../scripts/mutation/stryker-config.mjs';

export default strykerConfig(['src/fft2d.ts', 'src/grid-geometry.ts', 'src/kernel-composition.ts']);
