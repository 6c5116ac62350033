// Running from source (tsx CLI, benchmarks, vitest), the ingest worker would boot through tsx's
// loader: the thread inherits `--import tsx` and loads ~35 modules through the loader hooks,
// 0.4–0.6 s before it can start (2-core VM, load ~3) — longer than the whole compute it overlaps
// on the real ESH4 hour. Instead its sources are bundled once with esbuild (tsx's own
// dependency: wherever tsx runs, it is there) into node_modules/.cache/spymaster/, and the
// bundle is reused while none of its inputs changed (size and mtime of every bundled source,
// listed by esbuild's metafile). A worker started from the bundle with no inherited loader
// boots in ~0.1 s. The production build does not use this: electron-vite emits
// out/main/ingestWorker.js.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export interface Manifest {
  entry: string;
  bundle: string;
  /** [absolute path, size, mtimeMs] of every bundled source. */
  inputs: [string, number, number][];
}

/** The bundle exists and every input still has the size and mtime it was bundled from. */
export const bundleIsFresh = (m: Manifest, entry: string): boolean => {
  if (m.entry !== entry || !existsSync(m.bundle)) return false;
  for (const [p, size, mtimeMs] of m.inputs) {
    try {
      const st = statSync(p);
      if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
};

/** Bundles of older sources (every edit makes one): gone after 10 minutes (a manifest that still names one rebuilds). */
function removeOldBundles(cacheDir: string, keep: string): void {
  const old = Date.now() - 10 * 60_000;
  for (const f of readdirSync(cacheDir)) {
    const p = join(cacheDir, f);
    if (p === keep || !/^ingestWorker-.*\.(mjs|tmp)$/.test(f)) continue;
    try {
      if (statSync(p).mtimeMs < old) unlinkSync(p);
    } catch {
      // another process removed it first
    }
  }
}

/**
 * Path of an up-to-date ESM bundle of `entry` (a .ts file; packages stay external imports,
 * resolved from node_modules at run time), or null when esbuild is not available or the build
 * fails (the caller then boots through tsx).
 */
export async function ingestWorkerBundle(entry: string): Promise<string | null> {
  let esbuildPath: string;
  try {
    esbuildPath = createRequire(entry).resolve('esbuild');
  } catch {
    return null;
  }
  const at = esbuildPath.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) return null;
  const nm = esbuildPath.slice(0, at + sep.length + 'node_modules'.length);
  const cacheDir = join(nm, '.cache', 'spymaster');
  // One manifest per entry path: several checkouts may share one node_modules.
  const manifestPath = join(cacheDir, `ingestWorker-${createHash('sha256').update(entry).digest('hex').slice(0, 12)}.json`);
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (bundleIsFresh(m, entry)) return m.bundle;
  } catch {
    // no manifest yet, or unreadable: build
  }
  try {
    const mod = (await import(pathToFileURL(esbuildPath).href)) as typeof import('esbuild') & { default?: typeof import('esbuild') };
    const esbuild = mod.default ?? mod;
    const root = dirname(nm);
    const tBuild = Date.now();
    const r = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = r.outputFiles[0].contents;
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
    mkdirSync(cacheDir, { recursive: true });
    const bundle = join(cacheDir, `ingestWorker-${hash}.mjs`);
    // Written under a unique name, then renamed: another process may be reading it.
    const tmp = `${bundle}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, bundle);
    removeOldBundles(cacheDir, bundle);
    const inputs: Manifest['inputs'] = Object.keys(r.metafile!.inputs).map((p) => {
      const abs = isAbsolute(p) ? p : resolve(root, p);
      const st = statSync(abs);
      return [abs, st.size, st.mtimeMs];
    });
    // A source saved while esbuild read it: use this bundle once, but do not vouch for it.
    if (inputs.some(([, , mtimeMs]) => mtimeMs >= tBuild - 1000)) return bundle;
    const mtmp = `${manifestPath}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(mtmp, JSON.stringify({ entry, bundle, inputs } satisfies Manifest));
    renameSync(mtmp, manifestPath);
    return bundle;
  } catch {
    return null;
  }
}
