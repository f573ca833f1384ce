/**
 * @convkit/core: compute backends, registry and plugin contracts, analysis math, model IO and seeded
 * randomness for convolutional networks on TensorFlow.js.
 * @packageDocumentation
 */

export {
  type AddonProbe,
  type DiagnoseTensorflowOptions,
  diagnoseTensorflow,
  type TensorflowDiagnosis,
} from './backend/diagnose-tensorflow.js';
export { type BackendDiagnosis, diagnoseBackends } from './backend/doctor.js';
export { activeBackend, initBackend } from './backend/init-backend.js';
export { GraphEngine, type GraphState, type GraphStepResult } from './graph/graph-engine.js';
export type { ComputeDType } from './graph/graph-ops.js';
export { type GraphRefusalOptions, graphRefusal } from './graph/graph-refusal.js';
export { lowerModel, unloweredLayer } from './graph/lower-model.js';
export { GRAPH_LOWERINGS } from './graph/lowering/layer-lowerings.js';
export type { LayerLowering, LoweringContext } from './graph/lowering/lowering-context.js';
export { oneDnnGradientsRegistered, type SavedModelLoader } from './graph/onednn-probe.js';
export { limitSessionOpConcurrency, SESSION_INTER_OP_THREADS } from './graph/session-threads.js';
export {
  adamStepScalars,
  compileTrainStep,
  GRAPH_OPTIMIZERS,
  type GraphOptimizerConfig,
  type GraphVariable,
  type GraphVariableKind,
  SIGNATURES,
  slotKinds,
  type TrainGraph,
  type TrainGraphConfig,
} from './graph/train-graph.js';
export { sha256, writeFileAtomic } from './io/atomic-file.js';
export { type FolderLoadOptions, folderIO, loadModel, saveModel } from './io/model-files.js';
export * from './isomorphic.js';
export {
  requestedWasmThreads,
  setWasmThreads,
  WASM_THREADS_ENV,
  wasmThreadsStatus,
} from './kernels/wasm/wasm-threads.js';
