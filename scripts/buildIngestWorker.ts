// `npm run build:ingest-worker`: bundles the ingest worker (src-worker/pipeline/ingestWorker.ts)
// into one ES module, out/ingest-worker/ingestWorker.mjs, with a manifest of every bundled
// source (path, size, mtime). Running from source (tsx CLI, benchmarks, serve, vitest — its
// global setup calls this), the ingest starts its worker from that file with no inherited tsx
// loader (~0.1 s boot instead of 0.4–0.6 s through tsx); it uses the file only while the
// manifest matches the sources, else builds inline ('auto') or fails with a hint ('worker').
// Packages stay external imports, resolved from node_modules at run time. The packaged app
// does not use this: electron-vite build emits out/main/ingestWorker.js.
// Skips the build when the bundle is already up to date; --force rebuilds. `npm start`, `npm run
// cli` and the ingest benchmarks run it first (--quiet).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIsFresh, DEV_WORKER_DIR, DEV_WORKER_MANIFEST, type WorkerManifest } from '../src-worker/pipeline/ingestThreads';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const ENTRY = join(ROOT, 'src-worker', 'pipeline', 'ingestWorker.ts');

/** Write `text` to `path` atomically (another process may be reading it). */
function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Build the worker bundle unless it is fresh; returns its path and whether it was built. */
export async function ensureIngestWorker(force = false): Promise<{ bundle: string; built: boolean }> {
  const manifestPath = join(DEV_WORKER_DIR, DEV_WORKER_MANIFEST);
  if (!force) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as WorkerManifest;
      if (bundleIsFresh(m)) return { bundle: m.bundle, built: false };
    } catch {
      // no manifest yet: build
    }
  }
  // esbuild (tsx's own dependency: wherever the sources run, it is there), loaded only to build.
  const { build } = await import('esbuild');
  mkdirSync(DEV_WORKER_DIR, { recursive: true });
  const bundle = join(DEV_WORKER_DIR, 'ingestWorker.mjs');
  // A source saved while esbuild reads it would be recorded with its new mtime under old
  // contents: build again until no input changed during the build.
  for (let attempt = 0; ; attempt++) {
    const t0 = Date.now();
    const r = await build({
      entryPoints: [ENTRY],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs: WorkerManifest['inputs'] = Object.keys(r.metafile.inputs).map((p) => {
      const abs = isAbsolute(p) ? p : resolve(ROOT, p);
      const st = statSync(abs);
      return [abs, st.size, st.mtimeMs];
    });
    if (attempt < 3 && inputs.some(([, , mtimeMs]) => mtimeMs >= t0 - 1000)) {
      await new Promise((r) => setTimeout(r, 1100));
      continue;
    }
    writeAtomic(bundle, r.outputFiles[0].contents);
    writeAtomic(manifestPath, JSON.stringify({ bundle, inputs } satisfies WorkerManifest));
    return { bundle, built: true };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureIngestWorker(process.argv.includes('--force')).then(
    // (--quiet, before another command: a line on stderr only when it built)
    ({ bundle, built }) => {
      if (!process.argv.includes('--quiet')) process.stdout.write(`${built ? 'built' : 'up to date'}: ${bundle}\n`);
      else if (built) process.stderr.write(`built the ingest worker: ${bundle}\n`);
    },
    (e) => {
      process.stderr.write(`building the ingest worker failed: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
