import { BACKEND_LOADERS } from '../backend/backend-loaders.js';
import { BACKEND_ORDER, type BackendName, parseBackendPreference } from '../backend/backend-name.js';

/**
 * Backends a backend-parametrized test should run on: `CONVKIT_TEST_BACKENDS` (comma-separated)
 * when set, otherwise every backend whose package is installed here (cpu and wasm always in this
 * repository; tensorflow where tfjs-node was provisioned). Use it as
 * `describe.each(await testBackends())('on %s', (backend) => { beforeAll(() => initBackend(backend)); ... })`.
 */
export async function testBackends(): Promise<BackendName[]> {
  const fromEnv = process.env.CONVKIT_TEST_BACKENDS;
  if (fromEnv) {
    return fromEnv
      .split(',')
      .map((name) => parseBackendPreference(name))
      .filter((name): name is BackendName => name !== 'auto');
  }
  const available: BackendName[] = [];
  for (const backend of BACKEND_ORDER) {
    // tfjs-node-gpu only counts where a GPU is there; its CPU fallback duplicates `tensorflow`.
    if (backend === 'tensorflow-gpu' && !process.env.CUDA_VISIBLE_DEVICES) continue;
    if ((await BACKEND_LOADERS[backend].probe()).available) available.push(backend);
  }
  return available;
}
