import * as tf from '@tensorflow/tfjs-core';
import type { WasmThreadsStatus } from './wasm-threads-status.js';

interface PageGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

interface StartedWasmBackend {
  wasm?: { tfjs?: { getThreadsCount?: () => number } };
}

/**
 * Requested and active wasm threads in a web page, and why they differ. tfjs-backend-wasm starts its
 * threaded build by itself when the page can share memory with workers, which a browser allows only
 * on a cross-origin isolated page (served with COOP/COEP headers); otherwise it runs one thread. Its
 * threaded build runs half the logical cores (one on a two-core machine).
 * `active` is undefined until the wasm backend has started.
 */
export function pageWasmThreads(): WasmThreadsStatus {
  const page = globalThis as PageGlobals;
  const requested = page.navigator?.hardwareConcurrency ?? 1;
  // Not tf.findBackend, which would start the backend when it has not started yet.
  const started = (tf.engine().registry as Record<string, unknown>).wasm as StartedWasmBackend | undefined;
  const active = started?.wasm?.tfjs?.getThreadsCount?.();
  const status: WasmThreadsStatus = { requested, ...(active === undefined ? {} : { active }) };
  if (requested > 1 && page.crossOriginIsolated !== true) {
    status.reason =
      'the page is not cross-origin isolated, so wasm runs one thread; serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  }
  return status;
}
