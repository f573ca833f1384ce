/**
 * Test helpers for convkit packages and plugins: the backend matrix, float64 gradient references,
 * model shapes and one training step.
 * @packageDocumentation
 */
export { testBackends } from './backends.js';
export { type GradientCheckOptions, type GradientErrors, gradientErrors } from './layer-gradients.js';
export { layerShape, outputShapes } from './model-shapes.js';
export { maxAbsDiff, maxRelativeError, numericGradient } from './numeric-gradient.js';
export { lossBeforeAndAfterOneStep } from './training-step.js';
