// From source, the ingest worker boots from an esbuild bundle of its modules, rebuilt only when
// one of them changed (size or mtime).
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleIsFresh, ingestWorkerBundle, type Manifest } from './ingestWorkerBundle';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest worker bundle', () => {
  it('bundles the worker entry once and reuses it while its sources are unchanged', async () => {
    const entry = fileURLToPath(new URL('./ingestWorker.ts', import.meta.url));
    const first = await ingestWorkerBundle(entry);
    expect(first).not.toBeNull();
    expect(existsSync(first!)).toBe(true);
    expect(await ingestWorkerBundle(entry)).toBe(first);
  }, 60_000);

  it('a changed, missing or other input makes the bundle stale', async () => {
    const src = join(dir, 'a.ts');
    const bundle = join(dir, 'bundle.mjs');
    writeFileSync(src, 'export const a = 1;\n');
    writeFileSync(bundle, '');
    const { statSync } = await import('node:fs');
    const st = statSync(src);
    const m: Manifest = { entry: src, bundle, inputs: [[src, st.size, st.mtimeMs]] };
    expect(bundleIsFresh(m, src)).toBe(true);
    expect(bundleIsFresh(m, join(dir, 'other.ts'))).toBe(false);
    expect(bundleIsFresh({ ...m, inputs: [...m.inputs, [join(dir, 'gone.ts'), 1, 1]] }, src)).toBe(false);
    appendFileSync(src, 'export const b = 2;\n');
    expect(bundleIsFresh(m, src)).toBe(false);
    rmSync(bundle);
    const st2 = statSync(src);
    expect(bundleIsFresh({ ...m, inputs: [[src, st2.size, st2.mtimeMs]] }, src)).toBe(false);
  });
});
