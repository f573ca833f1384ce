// StrykerJS over the block vocabulary's channel arithmetic: make-divisible rounding, width scaling, the
// drop-path rate over depth and the input-size check (`pnpm test:mutation`, not part of `pnpm test`).
// Equivalent mutants are listed with reasons in ../../docs/mutation-testing.md.
import { strykerConfig } from '../../scripts/mutation/stryker-config.mjs';

export default strykerConfig(['src/composition/make-divisible.ts', 'src/composition/width-options.ts', 'src/composition/input-size.ts']);
