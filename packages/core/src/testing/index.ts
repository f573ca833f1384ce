/**
 * Test helpers for convkit packages and plugins: the backend matrix and float64 gradient references.
 * @packageDocumentation
 */
export { PROVISIONED_TEST_BACKENDS, SKIP_TEST_BACKENDS_ENV, TEST_BACKENDS_ENV, testBackends } from './backends.js';
export { maxRelativeError, numericGradient } from './numeric-gradient.js';
