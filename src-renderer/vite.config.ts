// Plain Vite build of the window (browser mode builds it on demand with
// `vite build --config src-renderer/vite.config.ts`; electron.vite.config.ts points its
// renderer section at the same root). base './' so the bundle also loads from file:// in Electron.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
