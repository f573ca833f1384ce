/**
 * @convkit/train: streamed datasets (IDX, CIFAR, image folders, synthetic shapes), seeded
 * augmentation, a trainer with optimizers, schedules, exact checkpoints and resume, and evaluation.
 * `train(options)` and `evaluate(options)` are what the `convkit train` / `convkit eval` commands call.
 * @packageDocumentation
 */

export { withSeededMathRandom } from '@convkit/core';
export { type DatasetInfo, datasetInfo } from './api/dataset-info.js';
export { type EvaluateOptions, type EvaluateResult, evaluate } from './api/evaluate.js';
export {
  type ClassProbability,
  type ImagePrediction,
  type PredictOptions,
  type PredictResult,
  predict,
} from './api/predict.js';
export { DEFAULT_DATA, train } from './api/train.js';
export type { RunStart, TrainingCallback, TrainOptions, TrainProgress, TrainResult } from './api/train-options.js';
export { openTrainedModel, readModelImages, type TrainedModel } from './api/trained-model.js';
export type { TrainedModelOptions } from './api/trained-model-options.js';
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
export { CIFAR10, CIFAR100, type CifarVariant, decodeCifarRecords, openCifarFolder } from './data/cifar.js';
export { decodeImage, type RgbaImage } from './data/decode-image.js';
export {
  type DownloadEvent,
  type DownloadOptions,
  type DownloadResult,
  downloadDataset,
  md5,
  verifyChecksum,
  verifyFile,
} from './data/download.js';
export { DATASET_SOURCES, type DatasetSource, type SourceFile } from './data/download-sources.js';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxArray, parseIdx, readIdxPair } from './data/idx.js';
export { FASHION_MNIST, type IdxDatasetInfo, MNIST, openIdxDataset, openIdxFolder } from './data/idx-datasets.js';
export { type ImageBatch, makeBatch, normalizeBatch, streamBatches } from './data/image-batch.js';
export { ImageConversions } from './data/image-conversions.js';
export { IMAGE_FILE, type ImageFolderOptions, openImageFolder } from './data/image-folder.js';
export { type DatasetSplits, type ImageShape, LabeledImages } from './data/labeled-images.js';
export { type ChannelStatistics, channelStatistics } from './data/normalization.js';
export { type OpenDatasetOptions, openDataset } from './data/open-dataset.js';
export { generateShapes, SHAPE_CLASSES, type ShapesOptions, shapeCoverage } from './data/shapes.js';
export { splitValidation, type TrainValidationSplit } from './data/split.js';
export { CROSS_ENTROPY, crossEntropyObjective, crossEntropySpec } from './objectives/cross-entropy-objective.js';
export { type DistillationLossOptions, distillationLoss } from './objectives/distillation-loss.js';
export { DISTILLATION, distillationObjective, distillationSpec } from './objectives/distillation-objective.js';
export type { Objective, ObjectiveBatch, ObjectiveOptions } from './objectives/objective.js';
export { createObjective, OBJECTIVES, objectiveName } from './objectives/objectives.js';
export { openTeacher, type Teacher } from './objectives/teacher.js';
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
export { plugin } from './plugin.js';
export { confusionMatrixSvg } from './report/confusion-svg.js';
export { svgToPng } from './report/png.js';
export { RUN_FILES, trainingCurveSvg, writePicture } from './report/run-files.js';
export type { RunLogEntry } from './report/run-log.js';
export { type ChartSeries, escapeXml, type LineChart, niceTicks, renderCharts } from './report/svg-chart.js';
export { hasCheckpoint } from './train/checkpoint.js';
export { ClassificationMetrics, type ClassScores, perClassScores } from './train/classification-metrics.js';
export type { EpochMetrics } from './train/epoch-metrics.js';
export { type EvaluationMetrics, evaluateModel } from './train/evaluate-model.js';
export { crossEntropy } from './train/loss.js';
export { type ModelMetadata, readModelMetadata, trainedModelFolder } from './train/model-metadata.js';
export { OPTIMIZER_NAMES, Optimizer, type OptimizerConfig, type OptimizerName, type OptimizerState } from './train/optimizer.js';
export { createSchedule, type LearningRateSchedule, SCHEDULE_NAMES, type ScheduleConfig, type ScheduleName } from './train/schedule.js';
export type { StepMetrics } from './train/step-metrics.js';
export type { TrainConfig } from './train/train-config.js';
