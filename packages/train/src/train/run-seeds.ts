/**
 * Salts that derive a run's independent streams from its one seed: the validation hold-out and the
 * run itself (shuffling, augmentation, dropout); weight initialization uses the seed as it is. Node's
 * `train` and the page's `trainInMemory` share them, so one seed gives one run in both.
 */
export const RUN_SEED_SALTS = { split: 0x2545f491, run: 0x6a09e667 } as const;
