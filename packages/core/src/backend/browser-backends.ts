import * as tf from '@tensorflow/tfjs-core';
import { registerCpuKernels } from '../kernels/cpu/register-cpu-kernels.js';
import { pageWasmThreads, usePageWasmThreads } from '../kernels/wasm/page-wasm-threads.js';
import { registerWasmKernels } from '../kernels/wasm/register-wasm-kernels.js';
import { activateTfjsBackend, type BackendLoader, type BackendProbe } from './backend-loader.js';
import type { BrowserBackendName } from './browser-backend-name.js';

// A bundler resolves every import when it builds the page, so convkit cannot load an optional
// backend package on demand as it does in Node: the page imports the backends it wants, which
// registers their factories, and a loader only checks that the factory is there.
function imported(packageName: string, tfjsName: string): BackendProbe {
  if (tf.findBackendFactory(tfjsName) !== null) return { available: true, version: tf.version_core };
  return {
    available: false,
    reason: `${packageName} is not imported in this page`,
    fix: `import '${packageName}' in the page before initBackend (npm install ${packageName}@${tf.version_core})`,
  };
}

function pageLoader(
  tfjsName: BrowserBackendName,
  device: () => string,
  prepare: () => void,
  offered?: () => BackendProbe | undefined,
): BackendLoader {
  const packageName = `@tensorflow/tfjs-backend-${tfjsName}`;
  return {
    packageName,
    tfjsName,
    async probe() {
      return offered?.() ?? imported(packageName, tfjsName);
    },
    async activate() {
      prepare();
      await activateTfjsBackend(tfjsName);
    },
    device,
  };
}

function webgpuOffered(): BackendProbe | undefined {
  const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  if (gpu) return undefined;
  return {
    available: false,
    reason: 'this browser offers no WebGPU (navigator.gpu is missing)',
    fix: 'use webgl or wasm, or a browser with WebGPU enabled',
  };
}

function wasmDevice(): string {
  const { active } = pageWasmThreads();
  return `CPU (WebAssembly, XNNPACK${active ? `, ${active} thread${active === 1 ? '' : 's'}` : ''})`;
}

/** The loader of each backend in a page, keyed by convkit backend name. */
export const BROWSER_BACKEND_LOADERS: Record<BrowserBackendName, BackendLoader> = {
  webgpu: pageLoader(
    'webgpu',
    () => 'GPU (WebGPU)',
    () => {},
    webgpuOffered,
  ),
  webgl: pageLoader(
    'webgl',
    () => `GPU (WebGL ${tf.env().getNumber('WEBGL_VERSION')})`,
    () => {},
  ),
  // convkit's kernels replace the stock ones the package registered when it was imported.
  wasm: pageLoader('wasm', wasmDevice, () => {
    usePageWasmThreads();
    registerWasmKernels();
  }),
  cpu: pageLoader('cpu', () => 'CPU (plain JavaScript)', registerCpuKernels),
};
