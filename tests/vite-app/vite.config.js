import { defineConfig } from 'vite';

export default defineConfig({
  // faceproof's worker imports the wasm-bindgen glue: bundle it as an ES module worker (Vite's default
  // 'iife' cannot code-split a worker).
  worker: { format: 'es' },
  // Dependency pre-bundling (dev server only) would move faceproof's files and break its
  // `new URL('…', import.meta.url)` references to the worker and the .wasm.
  optimizeDeps: { exclude: ['faceproof'] },
  // The package is linked from target/npm/faceproof (two levels up); let the dev server read it.
  server: { fs: { allow: ['../..'] } },
});
