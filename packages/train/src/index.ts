/**
 * @convkit/train: streamed datasets (IDX, CIFAR, image folders, synthetic shapes), seeded
 * augmentation, a trainer with optimizers, schedules, exact checkpoints and resume, and evaluation.
 * `train(options)` and `evaluate(options)` are what the `convkit train` / `convkit eval` commands call.
 * @packageDocumentation
 */

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
export { openTrainedModel, readModelImages, type TrainedModel } from './api/trained-model.js';
export type { TrainedModelOptions } from './api/trained-model-options.js';
// The Node entry's benchModel also runs the graph engine; it takes the place of the isomorphic one.
export { benchModel } from './bench/graph-model-bench.js';
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
export { IMAGE_FILE, type ImageFolderOptions, openImageFolder } from './data/image-folder.js';
export { type OpenDatasetOptions, openDataset } from './data/open-dataset.js';
export * from './isomorphic.js';
export { DISTILLATION, distillationObjective, distillationSpec } from './objectives/distillation-objective.js';
export { createObjective, OBJECTIVES, objectiveName } from './objectives/objectives.js';
export { openTeacher, type Teacher } from './objectives/teacher.js';
export { plugin } from './plugin.js';
export { svgToPng } from './report/png.js';
export { RUN_FILES, trainingCurveSvg, writePicture } from './report/run-files.js';
export { hasCheckpoint } from './train/checkpoint.js';
export { classifierLayers, type InitialWeightsReport, loadInitialWeights } from './train/initial-weights.js';
export { readModelMetadata, trainedModelFolder } from './train/model-metadata.js';
