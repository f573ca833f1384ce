/**
 * The benchmarks time with @convkit/train's measuring library, the one `convkit bench` uses, so the
 * two report the same statistic (median after a warm-up, bounded by a time budget), and model works
 * through its `benchModel`, the training step `convkit train` runs.
 */
export { benchModel, timeStep } from '../../packages/train/dist/index.js';
