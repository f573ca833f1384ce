import * as tf from '@tensorflow/tfjs-core';
import { parseWasmThreads } from './wasm-thread-count.js';
import type { WasmThreadsStatus } from './wasm-threads-status.js';

interface PageNavigator {
  hardwareConcurrency?: number;
}

interface PageGlobals {
  crossOriginIsolated?: boolean;
  navigator?: PageNavigator;
}

interface StartedWasmBackend {
  wasm?: { tfjs?: { getThreadsCount?: () => number } };
}

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** tfjs-backend-wasm's threaded build preallocates this many workers, and XNNPACK's pool takes at most this many. */
const MAX_WASM_THREADS = 8;
// tfjs-backend-wasm's own priority, kept so that registering the wrapped factory changes no choice of backend.
const WASM_PRIORITY = 2;

let requested: number | undefined;
// The factory tfjs-backend-wasm registered, kept so that preparing twice wraps it only once.
let stockFactory: BackendFactory | undefined;

function page(): PageGlobals {
  return globalThis as PageGlobals;
}

/**
 * Sets how many threads the page's wasm backend uses (default: the browser's
 * `navigator.hardwareConcurrency`, at most 8). Takes effect when the wasm backend is next started by
 * `initBackend('wasm')`; a page that is not cross-origin isolated runs one thread whatever is asked.
 */
export function setWasmThreads(count: number): void {
  requested = parseWasmThreads(count, 'setWasmThreads');
}

/** The thread count the page's next wasm backend start will ask for. */
export function requestedWasmThreads(): number {
  return requested ?? Math.min(MAX_WASM_THREADS, page().navigator?.hardwareConcurrency ?? 1);
}

/**
 * Requested and active wasm threads in a web page, and why they differ: a browser lets wasm share
 * memory with workers only on a cross-origin isolated page (served with COOP/COEP headers), and
 * tfjs-backend-wasm runs its one-thread build otherwise. `active` is undefined until the wasm
 * backend has started.
 */
export function pageWasmThreads(): WasmThreadsStatus {
  const want = requestedWasmThreads();
  // Not tf.findBackend, which would start the backend when it has not started yet.
  const started = (tf.engine().registry as Record<string, unknown>).wasm as StartedWasmBackend | undefined;
  const active = started?.wasm?.tfjs?.getThreadsCount?.();
  const status: WasmThreadsStatus = { requested: want, ...(active === undefined ? {} : { active }) };
  if (want > 1 && page().crossOriginIsolated !== true) {
    status.reason =
      'the page is not cross-origin isolated, so wasm runs one thread; serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  }
  return status;
}

/**
 * Runs `start` while the page reports `cores` logical cores. tfjs-backend-wasm sizes XNNPACK's pool
 * from emscripten_num_logical_cores(), which is navigator.hardwareConcurrency, halved on the
 * assumption of two hyperthreads per core: a two-core machine would get one thread. It reads it
 * only while the backend starts, so the page's own value is back as soon as the start settles.
 */
async function withReportedCores(cores: number, start: BackendFactory): Promise<tf.KernelBackend> {
  const navigator = page().navigator;
  if (!navigator) return start();
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => cores });
  try {
    return await start();
  } finally {
    // The own property shadowed the prototype's getter; deleting it restores the browser's value.
    delete navigator.hardwareConcurrency;
  }
}

/**
 * Makes the next start of the page's `wasm` backend run {@link requestedWasmThreads} threads when the
 * page is cross-origin isolated, by wrapping the factory tfjs-backend-wasm registered. Without this,
 * tfjs runs half of `navigator.hardwareConcurrency` (one thread on a two-core machine).
 */
export function usePageWasmThreads(): void {
  // Already started: keep it (tf.findBackendFactory does not start it; tf.findBackend would).
  if ('wasm' in tf.engine().registry) return;
  const registered = tf.findBackendFactory('wasm') as BackendFactory | null;
  // Typed as always returning a factory, but null when the page did not import tfjs-backend-wasm.
  if (!registered) return;
  if (registered === wrapped) return;
  stockFactory = registered;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', wrapped, WASM_PRIORITY);
}

function wrapped(): Promise<tf.KernelBackend> {
  const stock = stockFactory as BackendFactory;
  if (page().crossOriginIsolated !== true) return Promise.resolve(stock());
  // XNNPACK takes min(asked, cores / 2); tfjs asks for cores / 2 unless told, so twice the count does it.
  return withReportedCores(2 * requestedWasmThreads(), stock);
}
