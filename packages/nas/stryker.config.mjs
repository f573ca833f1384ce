// StrykerJS over the DARTS search's bookkeeping: genotype parsing and derivation from the alphas, and the
// cell geometry (reduction positions, edge indices) (`pnpm test:mutation`, not part of `pnpm test`).
// Equivalent mutants are listed with reasons in ../../docs/mutation-testing.md.
import { strykerConfig } from '../../scripts/mutation/stryker-config.mjs';

export default strykerConfig(['src/genotype.ts', 'src/derive-genotype.ts', 'src/cell-geometry.ts']);
