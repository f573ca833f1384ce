import { defineConfig } from 'vite';

// Served cross-origin isolated, the one way a browser lets wasm share memory with its workers, so
// tfjs-backend-wasm runs threaded; without these headers it runs one thread and says so.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
