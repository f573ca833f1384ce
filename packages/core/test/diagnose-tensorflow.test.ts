import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AddonProbe, type DiagnoseTensorflowOptions, diagnoseTensorflow } from '../src/backend/diagnose-tensorflow.js';

// Every library TensorFlow 2.9's GPU build opens, as `ldconfig -p` would list them on a CUDA 11 machine.
const CUDA11 = [
  'libcuda.so.1',
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
];
const loadedOnCpu = async (): Promise<AddonProbe> => ({ loaded: true, tensorflowVersion: '2.9.1', usingGpu: false });
const loadedOnGpu = async (): Promise<AddonProbe> => ({ loaded: true, tensorflowVersion: '2.9.1', usingGpu: true });

let root: string;

/** A node_modules folder holding the named tfjs-node package, laid out as npm or pnpm leave it. */
function fakeInstall(name: 'tfjs-node' | 'tfjs-node-gpu', parts: { addon?: string; libs?: boolean } = {}): string {
  const pkg = join(root, 'node_modules', '@tensorflow', name);
  mkdirSync(pkg, { recursive: true });
  const binary = { module_name: 'tfjs_binding', module_path: './lib/napi-v{napi_build_version}', napi_versions: [3, 4, 5, 6, 7, 8] };
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', binary }));
  if (parts.addon !== undefined) {
    mkdirSync(join(pkg, 'lib', 'napi-v8'), { recursive: true });
    writeFileSync(join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'), parts.addon);
  }
  if (parts.libs) {
    mkdirSync(join(pkg, 'deps', 'lib'), { recursive: true });
    for (const lib of ['libtensorflow.so.2', 'libtensorflow_framework.so.2']) writeFileSync(join(pkg, 'deps', 'lib', lib), '');
  }
  return pkg;
}

function options(extra: DiagnoseTensorflowOptions = {}): DiagnoseTensorflowOptions {
  return {
    resolve: (specifier) => {
      const path = join(root, 'node_modules', specifier);
      return existsSync(path) ? path : undefined;
    },
    ...extra,
  };
}

describe('diagnoseTensorflow', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'convkit-diagnose-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('says the package is not installed and how to install it offline', async () => {
    const result = await diagnoseTensorflow(false, options());
    expect(result.available).toBe(false);
    expect(result.reason).toBe('@tensorflow/tfjs-node is not installed');
    expect(result.fix).toMatch(
      /^npm install @tensorflow\/tfjs-node@4.22.0 \(.*--ignore-scripts, then run scripts\/provision-libtensorflow\)$/,
    );
    expect((await diagnoseTensorflow(true, options())).fix).toMatch(/provision-libtensorflow --gpu\)$/);
  });

  it("names the addon path node-pre-gyp would load when the addon was never built (the install script's job)", async () => {
    const pkg = fakeInstall('tfjs-node');
    const result = await diagnoseTensorflow(false, options());
    expect(result).toMatchObject({ available: false, version: '4.22.0' });
    // Node 20 speaks Node-API 9; the package ships builds up to 8, so napi-v8 is the one used.
    expect(result.reason).toBe(`native addon missing: ${join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node')}`);
    expect(result.fix).toMatch(/provision-libtensorflow/);
  });

  it('finds libtensorflow missing from deps/lib, where the addon looks for it', async () => {
    const pkg = fakeInstall('tfjs-node', { addon: 'x' });
    const result = await diagnoseTensorflow(false, options({ probeAddon: loadedOnCpu }));
    expect(result.reason).toBe(`libtensorflow.so.2 and libtensorflow_framework.so.2 missing from ${join(pkg, 'deps', 'lib')}`);
  });

  it('reports the real loader error when the addon does not load, from a child process', async () => {
    fakeInstall('tfjs-node', { addon: 'not an ELF file', libs: true });
    const result = await diagnoseTensorflow(false, options());
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/^libtensorflow does not load: .*(invalid ELF header|file too short)/);
    expect(result.fix).toMatch(/provision-libtensorflow --force/);
  });

  it('is available on the CPU with the package and TensorFlow versions when the addon loads', async () => {
    fakeInstall('tfjs-node', { addon: 'x', libs: true });
    const result = await diagnoseTensorflow(false, options({ probeAddon: loadedOnCpu }));
    expect(result).toEqual({ available: true, device: 'CPU', version: '4.22.0', tensorflowVersion: '2.9.1' });
  });

  it('names each missing CUDA 11 / cuDNN 8 library for the GPU package', async () => {
    fakeInstall('tfjs-node-gpu', { addon: 'x', libs: true });
    const withoutCudnn = CUDA11.filter((lib) => lib !== 'libcudnn.so.8');
    const result = await diagnoseTensorflow(true, options({ probeAddon: loadedOnCpu, sharedLibraries: async () => withoutCudnn }));
    expect(result.available).toBe(false);
    expect(result.reason).toBe('missing GPU libraries for TensorFlow 2.9: libcudnn.so.8 (cuDNN 8)');
    expect(result.fix).toMatch(/CUDA 11\.2.*cuDNN 8\.1.*LD_LIBRARY_PATH/);
  });

  it('asks for the NVIDIA driver when the CUDA libraries are there but libcuda.so.1 is not', async () => {
    fakeInstall('tfjs-node-gpu', { addon: 'x', libs: true });
    const noDriver = CUDA11.filter((lib) => lib !== 'libcuda.so.1');
    const result = await diagnoseTensorflow(true, options({ probeAddon: loadedOnCpu, sharedLibraries: async () => noDriver }));
    expect(result.reason).toBe('missing GPU libraries for TensorFlow 2.9: libcuda.so.1 (NVIDIA driver)');
    expect(result.fix).toMatch(/^install the NVIDIA driver/);
  });

  it('calls a CUDA 12 / cuDNN 9 install the wrong version rather than missing', async () => {
    fakeInstall('tfjs-node-gpu', { addon: 'x', libs: true });
    const cuda12 = ['libcuda.so.1', 'libcudart.so.12', 'libcudnn.so.9', ...CUDA11.slice(2, -1)];
    const result = await diagnoseTensorflow(true, options({ probeAddon: loadedOnCpu, sharedLibraries: async () => cuda12 }));
    expect(result.reason).toBe(
      'wrong or missing GPU libraries for TensorFlow 2.9: libcudart.so.11.0 (CUDA 11 runtime; found libcudart.so.12 instead), ' +
        'libcudnn.so.8 (cuDNN 8; found libcudnn.so.9 instead)',
    );
  });

  it('tells a GPU install with all libraries but no visible device apart from a working one', async () => {
    fakeInstall('tfjs-node-gpu', { addon: 'x', libs: true });
    const noDevice = await diagnoseTensorflow(true, options({ probeAddon: loadedOnCpu, sharedLibraries: async () => CUDA11 }));
    expect(noDevice).toMatchObject({
      available: false,
      device: 'CPU',
      reason: 'TensorFlow loaded the CUDA libraries but found no usable GPU',
    });
    const working = await diagnoseTensorflow(true, options({ probeAddon: loadedOnGpu, sharedLibraries: async () => CUDA11 }));
    expect(working).toEqual({ available: true, device: 'GPU (CUDA)', version: '4.22.0', tensorflowVersion: '2.9.1' });
  });

  it('turns a failure of its own into a reason instead of throwing', async () => {
    const result = await diagnoseTensorflow(false, {
      resolve: () => {
        throw new Error('resolver exploded\nsecond line');
      },
    });
    expect(result).toMatchObject({ available: false, reason: 'could not inspect @tensorflow/tfjs-node: resolver exploded' });
  });

  it('leaves no tensorflow backend registered in this process, whatever is installed', async () => {
    await diagnoseTensorflow(false);
    await diagnoseTensorflow(true);
    expect(tf.findBackendFactory('tensorflow')).toBeNull();
  });
});
