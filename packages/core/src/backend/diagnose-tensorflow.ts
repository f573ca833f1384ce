import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorLine } from '../errors.js';
import { resolveOptional } from './resolve-optional.js';

/** Whether the TensorFlow backend can run here and, if not, the first thing in the way. */
export interface TensorflowDiagnosis {
  available: boolean;
  /** What is wrong, one line. */
  reason?: string;
  /** What to do about it, one line. */
  fix?: string;
  /** `CPU` or `GPU (CUDA)`, once the addon has loaded. */
  device?: string;
  /** Version of the installed `@tensorflow/tfjs-node(-gpu)` package. */
  version?: string;
  /** Version of the libtensorflow the addon loaded (`2.9.1`). */
  tensorflowVersion?: string;
}

/** What the native addon reported when it was loaded in a separate process. */
export interface AddonProbe {
  loaded: boolean;
  /** First line of the loader's error when it did not load. */
  error?: string;
  tensorflowVersion?: string;
  usingGpu?: boolean;
}

/** Seams for tests and unusual installs; every field defaults to the real machine. */
export interface DiagnoseTensorflowOptions {
  /** Resolves a module specifier to a file path, or `undefined` when it is not installed. */
  resolve?: (specifier: string) => string | undefined;
  /** Loads the addon without touching this process and reports what it saw. */
  probeAddon?: (addonPath: string) => Promise<AddonProbe>;
  /** File names of the shared libraries the dynamic loader can find (`libcudart.so.11.0`, ...). */
  sharedLibraries?: () => Promise<string[]>;
}

/**
 * Libraries that TensorFlow 2.9's GPU build (the libtensorflow under tfjs-node-gpu 4.x, built for
 * CUDA 11.2 and cuDNN 8.1) opens at start-up. Missing any one makes it fall back to the CPU quietly.
 */
const GPU_LIBRARIES: readonly { soname: string; what: string }[] = [
  { soname: 'libcuda.so.1', what: 'NVIDIA driver' },
  { soname: 'libcudart.so.11.0', what: 'CUDA 11 runtime' },
  { soname: 'libcublas.so.11', what: 'cuBLAS 11' },
  { soname: 'libcublasLt.so.11', what: 'cuBLASLt 11' },
  { soname: 'libcufft.so.10', what: 'CUDA 11 cuFFT' },
  { soname: 'libcurand.so.10', what: 'CUDA 11 cuRAND' },
  { soname: 'libcusolver.so.11', what: 'cuSOLVER 11' },
  { soname: 'libcusparse.so.11', what: 'cuSPARSE 11' },
  { soname: 'libcudnn.so.8', what: 'cuDNN 8' },
];

const DRIVER_FIX = 'install the NVIDIA driver (450.80.02 or newer) on a machine with an NVIDIA GPU';
const CUDA_FIX =
  'install CUDA 11.2 (any 11.x runtime) and cuDNN 8.1 (any 8.x) and add their lib folders to LD_LIBRARY_PATH; see docs/tensorflow-backend.md';

/**
 * Checks, without importing `@tensorflow/tfjs-node(-gpu)` (importing it registers a backend, which
 * only `initBackend` may do), whether the TensorFlow backend can run: the package is installed, its
 * native addon is built, libtensorflow loads, and for `gpu` the CUDA 11 / cuDNN 8 libraries are on the
 * loader path and TensorFlow sees a GPU. Reports the first problem with a one-line fix; never throws.
 */
export async function diagnoseTensorflow(gpu: boolean, options: DiagnoseTensorflowOptions = {}): Promise<TensorflowDiagnosis> {
  const packageName = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const provision = `scripts/provision-libtensorflow${gpu ? ' --gpu' : ''}`;
  try {
    const manifestPath = (options.resolve ?? resolveOptional)(`${packageName}/package.json`);
    if (!manifestPath) {
      return {
        available: false,
        reason: `${packageName} is not installed`,
        fix: `npm install ${packageName}@4.22.0 (where its libtensorflow download is blocked: add --ignore-scripts, then run ${provision})`,
      };
    }
    const root = dirname(manifestPath);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageManifest;
    const version = manifest.version;
    const addon = addonPath(root, manifest);
    if (!existsSync(addon)) {
      return { available: false, version, reason: `native addon missing: ${addon}`, fix: `run ${provision} (builds it from source)` };
    }
    // The addon finds libtensorflow through its RUNPATH, $ORIGIN/../../deps/lib.
    const libDir = join(root, 'deps', 'lib');
    const missingLibs = ['libtensorflow.so.2', 'libtensorflow_framework.so.2'].filter((name) => !existsSync(join(libDir, name)));
    if (missingLibs.length > 0) {
      return { available: false, version, reason: `${missingLibs.join(' and ')} missing from ${libDir}`, fix: `run ${provision}` };
    }
    const probe = await (options.probeAddon ?? probeInChildProcess)(addon);
    if (!probe.loaded) {
      const fix = `run ${provision} --force (rebuilds libtensorflow and the addon)`;
      return { available: false, version, reason: `libtensorflow does not load: ${probe.error ?? 'unknown error'}`, fix };
    }
    const loaded = { version, tensorflowVersion: probe.tensorflowVersion };
    if (!gpu) return { available: true, device: 'CPU', ...loaded };
    const cudaProblem = findCudaProblem(await (options.sharedLibraries ?? loaderLibraries)());
    if (cudaProblem) return { available: false, ...loaded, ...cudaProblem };
    if (!probe.usingGpu) {
      const fix = 'check `nvidia-smi` and CUDA_VISIBLE_DEVICES; a GPU of compute capability 3.5 or newer is needed';
      return { available: false, ...loaded, device: 'CPU', reason: 'TensorFlow loaded the CUDA libraries but found no usable GPU', fix };
    }
    return { available: true, device: 'GPU (CUDA)', ...loaded };
  } catch (error) {
    return {
      available: false,
      reason: `could not inspect ${packageName}: ${errorLine(error)}`,
      fix: `reinstall ${packageName}, then run ${provision}`,
    };
  }
}

interface PackageManifest {
  version?: string;
  binary?: { module_name?: string; module_path?: string; napi_versions?: number[] };
}

/** Where node-pre-gyp puts the addon: the highest Node-API version both the package and Node support. */
function addonPath(root: string, manifest: PackageManifest): string {
  const binary = manifest.binary ?? {};
  const nodeNapi = Number(process.versions.napi);
  const napi = Math.max(0, ...(binary.napi_versions ?? []).filter((v) => v <= nodeNapi));
  const modulePath = (binary.module_path ?? './lib/napi-v{napi_build_version}')
    .replace('{napi_build_version}', String(napi))
    .replace('{node_napi_label}', `napi-v${napi}`);
  return join(root, modulePath, `${binary.module_name ?? 'tfjs_binding'}.node`);
}

/** One line naming missing GPU libraries, preferring "wrong version" when another major is present. */
function findCudaProblem(available: readonly string[]): { reason: string; fix: string } | undefined {
  const have = new Set(available);
  const missing = GPU_LIBRARIES.filter((lib) => !have.has(lib.soname));
  if (missing.length === 0) return undefined;
  const parts = missing.map(({ soname, what }) => {
    const stem = soname.slice(0, soname.indexOf('.so.') + 4);
    const other = available.filter((name) => name.startsWith(stem)).sort();
    return other.length > 0 ? `${soname} (${what}; found ${other.join(', ')} instead)` : `${soname} (${what})`;
  });
  const wrong = parts.some((part) => part.includes('instead'));
  const reason = `${wrong ? 'wrong or missing' : 'missing'} GPU libraries for TensorFlow 2.9: ${parts.join(', ')}`;
  // Without the driver nothing else matters, and CUDA toolkits do not ship it.
  const onlyDriver = missing.length === 1 && missing[0]?.soname === 'libcuda.so.1';
  return { reason, fix: onlyDriver ? DRIVER_FIX : CUDA_FIX };
}

/**
 * Loads the addon in a child Node process: a failed or crashing dlopen (missing library, undefined
 * symbol) cannot take this process down, and no backend gets registered here.
 */
function probeInChildProcess(addon: string): Promise<AddonProbe> {
  const script = `let r;
try { const m = { exports: {} }; process.dlopen(m, process.argv[1]);
  r = { loaded: true, tensorflowVersion: m.exports.TF_Version, usingGpu: Boolean(m.exports.isUsingGpuDevice?.()) };
} catch (e) { r = { loaded: false, error: String(e && e.message).split('\\n')[0] }; }
process.stdout.write(JSON.stringify(r));`;
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, addon], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as AddonProbe);
      } catch {
        const last = stderr.trim().split('\n').pop();
        resolve({ loaded: false, error: `${error?.signal ? `crashed (${error.signal})` : 'failed'}${last ? `: ${last}` : ''}` });
      }
    });
  });
}

/** Library file names the dynamic loader searches: LD_LIBRARY_PATH folders, then the ldconfig cache. */
async function loaderLibraries(): Promise<string[]> {
  const names: string[] = [];
  for (const dir of (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    try {
      names.push(...readdirSync(dir));
    } catch {
      // a stale entry in LD_LIBRARY_PATH is common and harmless
    }
  }
  const cache = await new Promise<string>((resolve) => {
    // ldconfig lives in /sbin, which is not on every user's PATH.
    const ldconfig = existsSync('/sbin/ldconfig') ? '/sbin/ldconfig' : 'ldconfig';
    execFile(ldconfig, ['-p'], { timeout: 10_000 }, (_error, stdout) => resolve(stdout ?? ''));
  });
  for (const line of cache.split('\n')) {
    const name = /^\s+(\S+)\s+\(/.exec(line)?.[1];
    if (name) names.push(name);
  }
  return names;
}
