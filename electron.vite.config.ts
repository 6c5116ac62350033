// `npm run build` (electron-vite build): main + engine worker → out/main, preload → out/preload
// (CommonJS: sandboxed preloads cannot be ES modules), window → out/renderer.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          // The engine runs as an Electron utility process from out/main/engine.js.
          engine: resolve(root, 'src-worker/host/electronEntry.ts'),
          // Its ingest worker thread (decode + book + gold beside DuckDB's appends): ingestThreads.ts
          // looks for out/main/ingestWorker.js next to the bundle.
          ingestWorker: resolve(root, 'src-worker/pipeline/ingestWorker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
        // Native addons (and the bindings the store imports directly) load from node_modules at run time.
        external: [/^@duckdb\//, /^zstd-napi/, /^fzstd/, /^zstddec/],
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      target: 'es2022',
      sourcemap: true,
      chunkSizeWarningLimit: 2000,
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
