import type { TrainOptionValues } from '../options/training-options.js';

/**
 * The hyper-parameters of a run, as stored in its checkpoints: every training option resolved (a
 * resumed run uses these, so it continues the same run), plus the architecture options.
 */
export type TrainConfig = Omit<TrainOptionValues, 'lr'> & {
  /** Peak learning rate, its optimizer-dependent default filled in. */
  lr: number;
  archOptions: Record<string, unknown>;
};
