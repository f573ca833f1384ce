import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { limitSessionOpConcurrency } from '../graph/session-threads.js';
import { registerCpuKernels } from '../kernels/cpu/register-cpu-kernels.js';
import { registerTensorflowKernels } from '../kernels/tensorflow/register-tensorflow-kernels.js';
import { registerWasmKernels } from '../kernels/wasm/register-wasm-kernels.js';
import { useThreadedWasm, type WasmPackage, wasmThreadsStatus } from '../kernels/wasm/wasm-threads.js';
import { activateTfjsBackend, type BackendLoader, type BackendProbe } from './backend-loader.js';
import type { BackendName } from './backend-name.js';
import { diagnoseTensorflow } from './diagnose-tensorflow.js';
import { importOptional, resolveOptional } from './resolve-optional.js';

export type { BackendLoader, BackendProbe } from './backend-loader.js';

function packageVersion(packageName: string): string | undefined {
  const manifest = resolveOptional(`${packageName}/package.json`);
  if (!manifest) return undefined;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function missingPackage(packageName: string): BackendProbe {
  return { available: false, reason: `${packageName} is not installed`, fix: `npm install ${packageName}@4.22.0` };
}

function nativeLoader(packageName: string, gpu: boolean): BackendLoader {
  // The probe loads libtensorflow in a child process (a quarter of a second or more), and nothing it
  // checks changes while this process runs; `convkit doctor` and the test matrix probe before
  // `initBackend` probes again, so one answer serves them all.
  let probed: Promise<BackendProbe> | undefined;
  return {
    packageName,
    tfjsName: 'tensorflow',
    probe() {
      probed ??= diagnoseTensorflow(gpu).then(({ available, reason, fix, version }) => ({ available, reason, fix, version }));
      return probed;
    },
    async activate() {
      // TensorFlow's C++ start-up chatter (oneDNN notices) would drown convkit's own backend line.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      limitSessionOpConcurrency();
      await importOptional(packageName);
      await activateTfjsBackend('tensorflow');
      registerTensorflowKernels();
      if (gpu && !usesGpu()) throw new Error(`${packageName} loaded but TensorFlow found no CUDA GPU`);
    },
    device: () => (usesGpu() ? 'GPU (CUDA)' : 'CPU'),
  };
}

function usesGpu(): boolean {
  // tfjs-node sets this as a boolean field on its backend, not a method.
  const backend = tf.findBackend('tensorflow') as (tf.KernelBackend & { isUsingGpuDevice?: boolean }) | null;
  return backend?.isUsingGpuDevice === true;
}

function jsLoader(packageName: string, tfjsName: string, device: () => string, prepare: (module: unknown) => void): BackendLoader {
  return {
    packageName,
    tfjsName,
    async probe() {
      if (!resolveOptional(packageName)) return missingPackage(packageName);
      return { available: true, version: packageVersion(packageName) ?? 'unknown' };
    },
    async activate() {
      prepare(await importOptional(packageName));
      // convkit reports the backend itself; stock tfjs would also print a banner pointing at a
      // tfjs-node download that fails offline, and PROD is the only switch that silences it.
      tf.env().set('PROD', true);
      await activateTfjsBackend(tfjsName);
    },
    device,
  };
}

function prepareWasm(module: unknown): void {
  const exports = module as WasmPackage & { default?: WasmPackage };
  useThreadedWasm(exports.BackendWasm ? exports : (exports.default as WasmPackage));
  registerWasmKernels();
}

function wasmDevice(): string {
  const threads = wasmThreadsStatus()?.active;
  return `CPU (WebAssembly, XNNPACK${threads ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''})`;
}

/** The loader of each backend, keyed by convkit backend name. */
export const BACKEND_LOADERS: Record<BackendName, BackendLoader> = {
  'tensorflow-gpu': nativeLoader('@tensorflow/tfjs-node-gpu', true),
  tensorflow: nativeLoader('@tensorflow/tfjs-node', false),
  wasm: jsLoader('@tensorflow/tfjs-backend-wasm', 'wasm', wasmDevice, prepareWasm),
  cpu: jsLoader('@tensorflow/tfjs-backend-cpu', 'cpu', () => 'CPU (plain JavaScript)', registerCpuKernels),
};
