/**
 * @convkit/core in a web page (the `browser` and `default` export conditions): everything of the Node
 * entry that does not need Node, with the page's backends (webgpu, webgl, wasm with convkit's
 * training kernels, cpu) and model IO (IndexedDB, downloads, picked files, URLs) in the format and
 * with the checksums of Node's model folders.
 * @packageDocumentation
 */

export { activeBackend, initBackend } from './backend/init-page-backend.js';
export {
  downloadIO,
  indexedDbIO,
  listIndexedDbModels,
  loadModelFrom,
  MODEL_DATABASE,
  type ModelFileMap,
  modelFiles,
  type PageModelOptions,
  type PickedFile,
  pickedFilesIO,
  readIndexedDbFile,
  saveModelToIndexedDb,
  urlIO,
} from './io/page-model-io.js';
export { portableSha256 as sha256 } from './io/portable-sha256.js';
export * from './isomorphic.js';
export { pageWasmThreads as wasmThreadsStatus, requestedWasmThreads, setWasmThreads } from './kernels/wasm/page-wasm-threads.js';
