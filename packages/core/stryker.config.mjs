// StrykerJS over core's analysis math: convolution arithmetic, cost formulas (params, FLOPs) and
// receptive fields (`pnpm test:mutation`, not part of `pnpm test`). Equivalent mutants are listed with
// reasons in ../../docs/mutation-testing.md.
import { strykerConfig } from '../../scripts/mutation/stryker-config.mjs';

export default strykerConfig(['src/analysis/conv-arithmetic.ts', 'src/analysis/cost-formulas.ts', 'src/analysis/receptive-field.ts']);
