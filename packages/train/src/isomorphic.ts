/**
 * The part of @convkit/train that runs the same in Node and in a web page: augmentation, the
 * in-memory trainer, schedules, optimizers, losses, metrics, in-memory datasets (`shapes`) and charts.
 * `index.ts` (the `node` condition) adds the file-backed datasets, runs, checkpoints and pictures.
 */

export { withSeededMathRandom } from '@convkit/core';
export { type TrainInMemoryOptions, type TrainInMemoryResult, trainInMemory } from './api/train-in-memory.js';
export type { RunStart, TrainingCallback, TrainOptions, TrainProgress, TrainResult } from './api/train-options.js';
export { type Augmentation, compose } from './augment/augmentation.js';
export { AUGMENTATIONS, type AugmentationOptions, parseAugmentations } from './augment/augmentation-specs.js';
export { cutout } from './augment/cutout.js';
export { flipHorizontal, horizontalFlip } from './augment/flip.js';
export { mixup } from './augment/mixup.js';
export { colorPrincipalComponents, pcaColorJitter } from './augment/pca-jitter.js';
export { randomCrop } from './augment/random-crop.js';
export { randomResizedCrop } from './augment/random-resized-crop.js';
export { type EigenDecomposition, symmetricEigen } from './augment/symmetric-eigen.js';
export { type KernelShare, kernelShares, type ProfiledKernel } from './bench/kernel-profile.js';
export { benchModel, type ModelBenchMode, type ModelBenchOptions, type ModelTiming } from './bench/model-bench.js';
export { BENCH_OPS, type BenchOpName, benchOp, type OpShape, type OpTiming } from './bench/op-bench.js';
export { type Timing, type TimingOptions, timeStep } from './bench/timing.js';
export { type ImageBatch, makeBatch, normalizeBatch, streamBatches } from './data/image-batch.js';
export { ImageConversions } from './data/image-conversions.js';
export { type DatasetSplits, type ImageShape, LabeledImages } from './data/labeled-images.js';
export { type ChannelStatistics, channelStatistics } from './data/normalization.js';
export { resizeBatch } from './data/resize-batch.js';
export { generateShapes, SHAPE_CLASSES, type ShapesOptions, shapeCoverage } from './data/shapes.js';
export { splitValidation, type TrainValidationSplit } from './data/split.js';
export { CROSS_ENTROPY, crossEntropyObjective, crossEntropySpec } from './objectives/cross-entropy-objective.js';
export { type DistillationLossOptions, distillationLoss } from './objectives/distillation-loss.js';
export type { Objective, ObjectiveBatch, ObjectiveOptions } from './objectives/objective.js';
export { type FlagType, kinds, type OptionKind } from './options/option-kinds.js';
export { trainOptionsMarkdown } from './options/options-markdown.js';
export {
  badOption,
  flagOf,
  type ResumeRule,
  resolveTrainOptions,
  TRAIN_OPTION_NAMES,
  TRAIN_OPTIONS,
  type TrainOptionName,
  type TrainOptionSpec,
  type TrainOptionValues,
  trainOptionsSchema,
} from './options/training-options.js';
export { confusionMatrixSvg } from './report/confusion-svg.js';
export type { RunLogEntry } from './report/run-log.js';
export { type ChartSeries, escapeXml, type LineChart, niceTicks, renderCharts } from './report/svg-chart.js';
export { roundToFloat16 } from './techniques/float16-emulation.js';
export {
  DynamicLossScaler,
  type LossScalerOptions,
  type LossScalerState,
  lossScalerFor,
} from './techniques/loss-scaler.js';
export { ProgressiveResize } from './techniques/progressive-resize.js';
export { finalSize, parseResizeSchedule, type ResizeStage, sizeAtEpoch } from './techniques/resize-schedule.js';
export { resizedModel } from './techniques/resized-model.js';
export { ClassificationMetrics, type ClassScores, perClassScores } from './train/classification-metrics.js';
export type { EpochMetrics } from './train/epoch-metrics.js';
export { type EvaluationMetrics, evaluateModel } from './train/evaluate-model.js';
export { crossEntropy } from './train/loss.js';
export { MODEL_METADATA, type ModelMetadata } from './train/model-metadata-format.js';
export { OPTIMIZER_NAMES, Optimizer, type OptimizerConfig, type OptimizerName, type OptimizerState } from './train/optimizer.js';
export { createSchedule, type LearningRateSchedule, SCHEDULE_NAMES, type ScheduleConfig, type ScheduleName } from './train/schedule.js';
export type { StepMetrics } from './train/step-metrics.js';
export type { TrainConfig } from './train/train-config.js';
export { clipByGlobalNorm } from './train/train-step.js';
