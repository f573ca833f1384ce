import { type BrowserBackendPreference, initBackend, modelFiles, type WasmThreadsStatus, wasmThreadsStatus } from '@convkit/core';
import { benchModel, type KernelShare, MODEL_METADATA } from '@convkit/train';
import { type CaseGradients, gradientCases } from './gradient-cases.js';
import { openFromIndexedDb, openUrl, saveToIndexedDb } from './model-store.js';
import { pageRegistry } from './registry-setup.js';
import { type ClassScore, type ModelSession, outputsOf } from './session.js';
import type { TrainRequest } from './train-run.js';

/** What the page's own controls do, callable by a script (the end-to-end tests drive the page through it). */
export interface PageApi {
  /** Trains through the page's form path (curve, table, status) and returns the figures it shows. */
  train(request: TrainRequest): Promise<{ testAccuracy: number; backend: string; device: string; imagesPerSecond: number; epochs: number }>;
  gradients(backend: BrowserBackendPreference): Promise<Record<string, CaseGradients>>;
  /** Opens the model folder served at `url` as the page's model. */
  openUrl(url: string, backend: BrowserBackendPreference): Promise<{ arch: string; classNames: string[] }>;
  /** The page model's raw outputs for `count` images (h x w x c bytes, base64). */
  outputs(pixelsBase64: string, count: number): number[];
  /** The page model's files as a download or IndexedDB would hold them, base64 by file name. */
  files(): Promise<Record<string, string>>;
  saveToIndexedDb(name: string): Promise<void>;
  /** Opens the model saved in IndexedDB under `name` as the page's model, on `backend`. */
  openFromIndexedDb(name: string, backend: BrowserBackendPreference): Promise<void>;
  /** Draws pixels on the pad and classifies the pad, as a user's drawing is. */
  classifyPixels(pixelsBase64: string, h: number, w: number, c: number): ClassScore[];
  /** Starts the wasm backend and says how many threads it runs, and whether the page is cross-origin isolated. */
  wasmThreads(): Promise<WasmThreadsStatus & { crossOriginIsolated: boolean; device: string }>;
  /**
   * Images per second of convkit's LeNet-5 training step (SGD) on `backend`, as `convkit bench` and
   * `pnpm bench` measure it in Node: the median of repeated steps for about `budgetMs` after one
   * warm-up, and one profiled step's kernels, slowest first.
   */
  benchTrainStep(
    backend: BrowserBackendPreference,
    batchSize: number,
    budgetMs?: number,
  ): Promise<{ imagesPerSecond: number; backend: string; device: string; ms: number; samples: number; kernels: KernelShare[] }>;
}

const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** The page's API, over the page's current model and its form's training path. */
export function pageApi(
  current: () => ModelSession | undefined,
  adopt: (session: ModelSession) => void,
  trainFromForm: (request: TrainRequest) => ReturnType<PageApi['train']>,
  classifyPad: (pixels: Uint8Array, h: number, w: number, c: number) => ClassScore[],
): PageApi {
  const session = () => {
    const s = current();
    if (!s) throw new Error('the page has no model yet: train one or open one first');
    return s;
  };
  return {
    train: trainFromForm,
    async gradients(backend) {
      await initBackend(backend);
      return gradientCases();
    },
    async openUrl(url, backend) {
      await initBackend(backend);
      const opened = await openUrl(url);
      adopt(opened);
      return { arch: opened.metadata.arch, classNames: opened.metadata.classNames };
    },
    outputs: (pixels, count) => Array.from(outputsOf(session(), fromBase64(pixels), count)),
    async files() {
      const s = session();
      const files = { ...(await modelFiles(s.model)), [MODEL_METADATA]: new TextEncoder().encode(JSON.stringify(s.metadata, null, 2)) };
      return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, toBase64(bytes)]));
    },
    saveToIndexedDb: (name) => saveToIndexedDb(session(), name),
    async openFromIndexedDb(name, backend) {
      await initBackend(backend);
      adopt(await openFromIndexedDb(name));
    },
    async wasmThreads() {
      const report = await initBackend('wasm');
      return { ...wasmThreadsStatus(), crossOriginIsolated, device: report.device };
    },
    classifyPixels: (pixels, h, w, c) => classifyPad(fromBase64(pixels), h, w, c),
    async benchTrainStep(backend, batchSize, budgetMs = 4000) {
      const report = await initBackend(backend);
      const timing = await benchModel({
        registry: pageRegistry,
        arch: 'lenet5',
        inputShape: [28, 28, 1],
        numClasses: 10,
        batchSize,
        mode: 'train-step',
        budgetMs,
        maxRepeats: 50,
      });
      const { imagesPerSecond, ms, samples, kernels } = timing;
      return { imagesPerSecond, backend: report.backend, device: report.device, ms, samples, kernels };
    },
  };
}
