import { BACKEND_LOADERS } from '../backend/backend-loaders.js';
import { type BackendName, parseBackendPreference } from '../backend/backend-name.js';
import { ConvkitError } from '../errors.js';

/**
 * The backends CI provisions, so every backend-parametrized test runs on each of them: a run where
 * one does not load fails instead of quietly testing fewer backends.
 */
export const PROVISIONED_TEST_BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Environment variable naming the backends to run the matrix on, comma-separated (default: all provisioned). */
export const TEST_BACKENDS_ENV = 'CONVKIT_TEST_BACKENDS';

/** Environment variable naming backends to leave out of the matrix on purpose, comma-separated. */
export const SKIP_TEST_BACKENDS_ENV = 'CONVKIT_TEST_SKIP_BACKENDS';

const names = (text: string | undefined): BackendName[] =>
  (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => parseBackendPreference(name))
    .filter((name): name is BackendName => name !== 'auto');

// Said once per process, so a skipped backend is visible in the run but not repeated per test file block.
const said = new Set<string>();
function say(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  process.stderr.write(`${line}\n`);
}

/**
 * Backends a backend-parametrized test runs on: every backend CI provisions
 * ({@link PROVISIONED_TEST_BACKENDS}: tensorflow, wasm, cpu), or those `CONVKIT_TEST_BACKENDS` names,
 * less those `CONVKIT_TEST_SKIP_BACKENDS` leaves out on purpose (the run says so on stderr). A backend
 * that should run but does not load is an error naming it and why, never a smaller matrix. Use it as
 * `describe.each(await testBackends())('on %s', (backend) => { beforeAll(() => initBackend(backend)); ... })`.
 */
export async function testBackends(): Promise<BackendName[]> {
  const skipped = names(process.env[SKIP_TEST_BACKENDS_ENV]);
  const requested = process.env[TEST_BACKENDS_ENV] ? names(process.env[TEST_BACKENDS_ENV]) : [...PROVISIONED_TEST_BACKENDS];
  const chosen: BackendName[] = [];
  // tfjs-node-gpu needs a GPU, which CI does not provision: it joins the matrix where it loads.
  if (!process.env[TEST_BACKENDS_ENV] && process.env.CUDA_VISIBLE_DEVICES && !skipped.includes('tensorflow-gpu')) {
    const probe = await BACKEND_LOADERS['tensorflow-gpu'].probe();
    if (probe.available) chosen.push('tensorflow-gpu');
    else say(`backend matrix: tensorflow-gpu skipped (not provisioned by CI): ${probe.reason}`);
  }
  for (const backend of requested) {
    if (skipped.includes(backend)) {
      say(`backend matrix: ${backend} skipped, as ${SKIP_TEST_BACKENDS_ENV}=${process.env[SKIP_TEST_BACKENDS_ENV]} asks`);
      continue;
    }
    const probe = await BACKEND_LOADERS[backend].probe();
    if (!probe.available) {
      throw new ConvkitError(
        'test-backend-unavailable',
        `the test backend matrix needs ${backend}, which does not load: ${probe.reason}; ${probe.fix ? `${probe.fix}, ` : ''}or run without it on purpose with ${SKIP_TEST_BACKENDS_ENV}=${backend}`,
      );
    }
    chosen.push(backend);
  }
  if (chosen.length === 0) {
    throw new ConvkitError(
      'test-backend-unavailable',
      `the test backend matrix is empty: ${SKIP_TEST_BACKENDS_ENV} leaves out every backend of ${requested.join(',')}; keep at least cpu`,
    );
  }
  return chosen;
}
