// `npx tsx scripts/genMboKernel.ts` (or src-worker/dbn/wasm/build.sh): regenerate the
// WebAssembly MBO kernel from the record layout — src-worker/dbn/mboLayout.ts →
// wasm/kernelSource.ts → mboKernel.wat → (wat2wasm, from wabt) → mboKernel.wasm.ts.
// Both outputs are committed, so only whoever changes the layout or the kernel needs wabt;
// src-worker/dbn/mboLayout.test.ts fails when either is stale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mboKernelWat, wasmModuleSource } from '../src-worker/dbn/wasm/kernelSource';

const WASM_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../src-worker/dbn/wasm');

const watPath = join(WASM_DIR, 'mboKernel.wat');
writeFileSync(watPath, mboKernelWat());
const dir = mkdtempSync(join(tmpdir(), 'mbo-kernel-'));
try {
  const out = join(dir, 'mboKernel.wasm');
  const r = spawnSync('wat2wasm', [watPath, '-o', out], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    console.error(`wat2wasm failed: ${r.error?.message ?? r.stderr}\nhint: install wabt (apt-get install wabt)`);
    process.exit(1);
  }
  writeFileSync(join(WASM_DIR, 'mboKernel.wasm.ts'), wasmModuleSource(readFileSync(out)));
  console.log(`wrote ${watPath} and mboKernel.wasm.ts`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
