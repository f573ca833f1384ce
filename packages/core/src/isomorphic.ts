/**
 * The part of @convkit/core that runs the same in Node and in a web page: analysis math, kernels,
 * registry and plugin contracts, errors, seeded randomness. `index.ts` (the `node` condition) and
 * `browser.ts` (the `browser`/`default` conditions) each add their platform's backends and model IO.
 */
export { type ArchitectureFigures, architectureFigures, summarizeArchitecture } from './analysis/architecture-figures.js';
export { buildWithZeroWeights } from './analysis/cheap-build.js';
export {
  type AxisPadding,
  convOutputSize,
  effectiveKernel,
  resolvePadding,
  samePadding,
  type WindowAxis,
} from './analysis/conv-arithmetic.js';
export {
  type ConvCostGeometry,
  convMacs,
  convParams,
  denseMacs,
  denseParams,
  depthwiseSeparableCostRatio,
  fullyConnectedVsConvParamRatio,
} from './analysis/cost-formulas.js';
export { type AnalyzableLayer, analyzeLayer, type LayerAnalysis, type Shape, type SlidingWindow } from './analysis/layer-analysis.js';
export { type LayerSummary, type ModelSummary, type ReceptiveField, type SummaryTotals, summarizeModel } from './analysis/model-summary.js';
export { type AxisReceptiveField, INPUT_RECEPTIVE_FIELD, mergeReceptiveFields, receptiveFieldAfter } from './analysis/receptive-field.js';
export type { BackendLoader, BackendProbe } from './backend/backend-loader.js';
export { BACKEND_ENV, BACKEND_ORDER, type BackendName, type BackendPreference, parseBackendPreference } from './backend/backend-name.js';
export { type BackendAttempt, type BackendReport, describeBackend } from './backend/backend-selection.js';
export {
  BROWSER_BACKEND_ORDER,
  type BrowserBackendName,
  type BrowserBackendPreference,
  parseBrowserBackendPreference,
} from './backend/browser-backend-name.js';
export { ConvkitError, errorLine, isConvkitError } from './errors.js';
export { weightSpecBytes } from './io/manifest-entries.js';
export {
  corruptedModel,
  type EncodedModel,
  encodeModel,
  type IntegrityRecord,
  MODEL_JSON,
  type ModelJsonWithIntegrity,
  type Sha256,
} from './io/model-integrity.js';
export { CPU_KERNELS, registerCpuKernels } from './kernels/cpu/register-cpu-kernels.js';
export {
  type ActivationOperand,
  activationGradientLoop,
  FUSED_ACTIVATION_GRADIENTS,
  type FusedActivationGradient,
} from './kernels/fused/activation-gradients.js';
export { batchNormGradientLoops, batchNormLoops } from './kernels/fused/batch-norm-loops.js';
export {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingOptions,
  type BatchNormTrainingResult,
  batchNormTraining,
  hasFusedBatchNorm,
} from './kernels/fused/batch-norm-training.js';
export { fusedKernels, registerFusedKernels, unregisterFusedKernels } from './kernels/fused/register-fused-kernels.js';
export { avgPoolGradTensorflow, avgPoolTensorflow } from './kernels/tensorflow/halving-avg-pool.js';
export { conv2dBackpropFilterTensorflow } from './kernels/tensorflow/pointwise-strided-filter-gradient.js';
export { registerTensorflowKernels } from './kernels/tensorflow/register-tensorflow-kernels.js';
export { SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropy, softmaxCrossEntropyTensorflow } from './kernels/tensorflow/softmax-cross-entropy.js';
export { registerWasmKernels, WASM_KERNELS } from './kernels/wasm/register-wasm-kernels.js';
export type { WasmThreadsStatus } from './kernels/wasm/wasm-threads-status.js';
export {
  type ArchitectureSpec,
  architectureOptions,
  type BaseArchitectureOptions,
  defineArchitecture,
  type InputShape,
  inputShapeSchema,
  positiveInt,
  type ReferenceFigures,
} from './registry/architecture.js';
export { type AttentionReference, type AttentionSlot, type AttentionSpec, defineAttention } from './registry/attention.js';
export { type Contribution, NamedTable } from './registry/named-table.js';
export { type ArchitectureOptionDoc, describeArchitectureOptions, objectShape, optionShape } from './registry/option-docs.js';
export {
  checkedOutputKinds,
  type OutputDeclaration,
  type OutputKind,
  softmaxLayerOfOutput,
} from './registry/output-kinds.js';
export {
  type AnyArchitectureSpec,
  type AugmentationSpec,
  type ConvkitPlugin,
  type DatasetSpec,
  definePlugin,
  type LayerClass,
  type ObjectiveSpec,
} from './registry/plugin.js';
export { Registry, registry } from './registry/registry.js';
export {
  type ArchitectureEntry,
  type ArchitectureFilter,
  knownArchitectureFamilies,
  knownArchitectureTags,
  selectArchitectures,
} from './registry/select-architectures.js';
export { closestNames, editDistance } from './registry/suggest.js';
export { createRng, type RngState, SeededRng } from './rng.js';
export { withSeededMathRandom } from './seeded-math-random.js';
