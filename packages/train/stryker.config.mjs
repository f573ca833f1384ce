// StrykerJS over the modules the trainer's results rest on: loss, metrics, optimizer, schedules,
// augmentations and the training techniques (loss scaling, float16 rounding, EMA, drop-path and resize schedules)
// (`pnpm test:mutation`, not part of `pnpm test`). Equivalent mutants, which no test can kill, are
// listed with reasons in ../../docs/mutation-testing.md.
import { strykerConfig } from '../../scripts/mutation/stryker-config.mjs';

export default strykerConfig([
  'src/train/loss.ts',
  'src/train/classification-metrics.ts',
  'src/train/optimizer.ts',
  'src/train/schedule.ts',
  'src/augment/*.ts',
  '!src/augment/augmentation-specs.ts',
  'src/techniques/*.ts',
]);
