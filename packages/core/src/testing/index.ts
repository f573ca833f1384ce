/**
 * Test helpers for convkit packages and plugins: the backend matrix and float64 gradient references.
 * @packageDocumentation
 */
export { testBackends } from './backends.js';
export { maxRelativeError, numericGradient } from './numeric-gradient.js';
