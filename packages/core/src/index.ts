/**
 * @convkit/core: compute backends, registry and plugin contracts, analysis math, model IO and seeded
 * randomness for convolutional networks on TensorFlow.js.
 * @packageDocumentation
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
export type { BackendProbe } from './backend/backend-loaders.js';
export { BACKEND_ENV, BACKEND_ORDER, type BackendName, type BackendPreference, parseBackendPreference } from './backend/backend-name.js';
export {
  type AddonProbe,
  type DiagnoseTensorflowOptions,
  diagnoseTensorflow,
  type TensorflowDiagnosis,
} from './backend/diagnose-tensorflow.js';
export { type BackendDiagnosis, diagnoseBackends } from './backend/doctor.js';
export { activeBackend, type BackendAttempt, type BackendReport, describeBackend, initBackend } from './backend/init-backend.js';
export { ConvkitError, errorLine, isConvkitError } from './errors.js';
export { GraphEngine, type GraphState, type GraphStepResult } from './graph/graph-engine.js';
export { lowerModel, unloweredLayer } from './graph/lower-model.js';
export { GRAPH_LOWERINGS } from './graph/lowering/layer-lowerings.js';
export type { LayerLowering, LoweringContext } from './graph/lowering/lowering-context.js';
export {
  compileTrainStep,
  GRAPH_OPTIMIZERS,
  type GraphVariable,
  SIGNATURES,
  type TrainGraph,
  type TrainGraphConfig,
} from './graph/train-graph.js';
export { sha256, writeFileAtomic } from './io/atomic-file.js';
export { type FolderLoadOptions, folderIO, loadModel, MODEL_JSON, saveModel } from './io/model-files.js';
export { weightSpecBytes } from './io/weights-manifest.js';
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
export { registerWasmKernels, WASM_KERNELS } from './kernels/wasm/register-wasm-kernels.js';
export {
  requestedWasmThreads,
  setWasmThreads,
  WASM_THREADS_ENV,
  type WasmThreadsStatus,
  wasmThreadsStatus,
} from './kernels/wasm/wasm-threads.js';
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
export { closestNames, editDistance } from './registry/suggest.js';
export { createRng, type RngState, SeededRng } from './rng.js';
export { withSeededMathRandom } from './seeded-math-random.js';
