/** How many threads the wasm backend was asked for and runs with. */
export interface WasmThreadsStatus {
  requested: number;
  /** Threads XNNPACK runs with; `undefined` until the backend has started. */
  active?: number;
  /** Why it runs single-threaded although more threads were asked for. */
  reason?: string;
}
