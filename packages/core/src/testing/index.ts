/**
 * Test helpers for convkit packages and plugins: the backend matrix, float64 gradient references,
 * model shapes, one training step, graph-engine gradients beside eager ones and the graph-lowering
 * suite's blocks and expectations, the architecture contract
 * every registered architecture keeps, and a plain tfjs loader for saved model folders.
 * @packageDocumentation
 */
export { type ArchitectureContractOptions, describeArchitectureContract } from './architecture-contract.js';
export { PROVISIONED_TEST_BACKENDS, SKIP_TEST_BACKENDS_ENV, TEST_BACKENDS_ENV, testBackends } from './backends.js';
export { folderModelHandler } from './folder-model-handler.js';
export { type EngineOutputs, type GraphForwardOptions, graphAndEagerOutputs, graphForward } from './graph-forward.js';
export {
  type EngineGradients,
  float32AndBfloat16Losses,
  type GradientBatch,
  gradientBatch,
  graphAndEagerGradients,
  type PrecisionLosses,
} from './graph-gradients.js';
export {
  describeGraphEngine,
  expectBfloat16Training,
  expectGraphGradients,
  expectGraphOutputs,
  expectGraphRefusal,
  graphTestBackends,
  oneLayerModel,
  withSeededModel,
} from './graph-lowering-suite.js';
export { GRADIENT_TOLERANCE, type GradientCheckOptions, type GradientErrors, gradientErrors } from './layer-gradients.js';
export { layerShape, outputShapes } from './model-shapes.js';
export { maxAbsDiff, maxRelativeError, numericGradient } from './numeric-gradient.js';
export { lossBeforeAndAfterOneStep } from './training-step.js';
