import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { resolveOptional } from '../../backend/resolve-optional.js';
import { sha256, writeFileAtomic } from '../../io/atomic-file.js';
import { parseWasmThreads } from './wasm-thread-count.js';
import type { WasmThreadsStatus } from './wasm-threads-status.js';

export type { WasmThreadsStatus } from './wasm-threads-status.js';

/** Environment variable that sets the wasm backend's thread count (a positive integer). */
export const WASM_THREADS_ENV = 'CONVKIT_WASM_THREADS';

/** The parts of `@tensorflow/tfjs-backend-wasm` that starting it with threads needs. */
export interface WasmPackage {
  BackendWasm: new (module: unknown) => tf.KernelBackend;
  setThreadsCount(count: number): void;
  getThreadsCount(): number;
}

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
}
type EmscriptenFactory = (options: Record<string, unknown>) => Promise<EmscriptenModule>;
type WasmImports = { env: Record<string, unknown> };
interface WebAssemblyRuntime {
  instantiate(binary: Uint8Array, imports: WasmImports): Promise<{ instance: unknown; module: unknown }>;
}
// The project compiles without DOM typings, which is where TypeScript declares WebAssembly.
const { WebAssembly: webAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyRuntime };

// XNNPACK caps its pool at emscripten_num_logical_cores() / 2, assuming two hyperthreads per core;
// reporting this many lets the requested count (up to tfjs's own cap of 8) through.
const REPORTED_LOGICAL_CORES = 16;

let requested: number | undefined;
let status: WasmThreadsStatus | undefined;
// The factory tfjs-backend-wasm registered, kept so that installing twice wraps it only once.
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;

/**
 * Sets how many threads the wasm backend uses (default: `CONVKIT_WASM_THREADS`, else the machine's
 * core count). Takes effect when the wasm backend is next started by `initBackend('wasm')`.
 */
export function setWasmThreads(count: number): void {
  requested = parseWasmThreads(count, 'setWasmThreads');
}

/** The thread count the next wasm backend start will ask for. */
export function requestedWasmThreads(): number {
  if (requested !== undefined) return requested;
  const fromEnv = process.env[WASM_THREADS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseWasmThreads(fromEnv.trim(), WASM_THREADS_ENV);
  return availableParallelism();
}

/** Requested and active wasm threads, and why they differ; `undefined` before the wasm backend started. */
export function wasmThreadsStatus(): WasmThreadsStatus | undefined {
  return status;
}

/**
 * emscripten starts its pthread workers from a `blob:` URL, which Node's worker_threads refuse; a
 * real file with the same worker code (tfjs ships it as a string) works.
 */
async function workerScript(wasmOut: string): Promise<string> {
  const { wasmWorkerContents } = createRequire(import.meta.url)(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The string came from a template literal, which turned the worker's "\n" escapes into newlines.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const path = join(tmpdir(), `convkit-tfjs-wasm-${sha256(source).slice(0, 16)}.worker.cjs`);
  if (!existsSync(path)) await writeFileAtomic(path, source);
  return path;
}

async function startThreadedModule(wasm: WasmPackage, threads: number): Promise<tf.KernelBackend> {
  const manifest = resolveOptional('@tensorflow/tfjs-backend-wasm/package.json');
  if (!manifest) throw new Error('@tensorflow/tfjs-backend-wasm is not installed');
  const wasmOut = join(dirname(manifest), 'wasm-out');
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = createRequire(import.meta.url)(mainScript) as EmscriptenFactory;
  const binary = readFileSync(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.wasm'));
  const worker = await workerScript(wasmOut);
  let instantiationFailed: (reason: unknown) => void = () => {};
  // emscripten never settles its own promise when instantiateWasm fails, so race it with the failure.
  const failure = new Promise<never>((_, reject) => {
    instantiationFailed = reject;
  });
  const options: Record<string, unknown> & { PThread?: { terminateAllThreads(): void } } = {
    locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? worker : prefix + file),
    // Workers load the main script by path; the stock backend hands them a Blob, which Node cannot import.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm(imports: WasmImports, receive: (instance: unknown, module: unknown) => void) {
      imports.env.emscripten_num_logical_cores = () => REPORTED_LOGICAL_CORES;
      webAssembly.instantiate(binary, imports).then(({ instance, module }) => receive(instance, module), instantiationFailed);
      return {};
    },
  };
  let module: EmscriptenModule;
  try {
    module = await Promise.race([factory(options), failure]);
  } catch (error) {
    // emscripten made `options` its Module and started its worker pool; idle workers would keep Node alive.
    options.PThread?.terminateAllThreads();
    throw error;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasm.setThreadsCount(threads);
  const backend = new wasm.BackendWasm(module);
  // XNNPACK's pool threads live as long as the backend; they must not keep Node from exiting.
  for (const running of module.PThread.runningWorkers) running.unref();
  return backend;
}

/**
 * Makes the next start of the `wasm` backend in Node use tfjs's threaded SIMD build with
 * {@link requestedWasmThreads} threads, replacing the backend factory registered by
 * tfjs-backend-wasm (which, in Node, always runs single-threaded). If the threaded build cannot
 * start, the stock factory runs instead and {@link wasmThreadsStatus} says why.
 */
export function useThreadedWasm(wasm: WasmPackage): void {
  // Already started: keep it. Not tf.findBackend, which would start the registered factory's own
  // single-threaded module (then removed below, its module never disposed).
  if ('wasm' in tf.engine().registry) return;
  // Typed as always returning a factory, but it returns null when none is registered.
  const registered = tf.findBackendFactory('wasm') as typeof stockFactory | null;
  stockFactory ??= registered ?? undefined;
  const stock = stockFactory;
  if (!stock) return;
  const threads = requestedWasmThreads();
  // After tf.removeBackend('wasm') (how a started backend is restarted) no factory is left to remove.
  if (registered) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      let reason: string | undefined;
      if (threads > 1 && typeof SharedArrayBuffer === 'function') {
        try {
          const backend = await startThreadedModule(wasm, threads);
          status = { requested: threads, active: wasm.getThreadsCount() };
          return backend;
        } catch (error) {
          reason = `threaded wasm failed to start: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      // Built from this start only: a reason left over from an earlier start would be wrong here.
      status = { requested: threads, ...(reason === undefined ? {} : { reason }) };
      const backend = await stock();
      status.active = wasm.getThreadsCount();
      return backend;
    },
    2,
  );
}
