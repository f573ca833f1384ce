/**
 * Test helpers for convkit packages and plugins: the backend matrix and float64 gradient references.
 * @packageDocumentation
 */
export { testBackends } from './backends.js';
export { type GradientCheckOptions, type GradientErrors, gradientErrors } from './layer-gradients.js';
export { maxAbsDiff, maxRelativeError, numericGradient } from './numeric-gradient.js';
