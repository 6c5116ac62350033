// Layering is enforced, not remembered (ARCHITECTURE practice 12):
// contracts import nothing from src-*; the renderer never imports the worker or main;
// the worker never imports electron; main never reaches into worker internals except its host entry.
// Inside src-worker, each folder imports only the layers below it (issue 10 item 8):
//   dbn, store ← book ← fields, sim ← forecast ← products ← pipeline ← replay ← host ← serve ← cli
// (forecast sits above fields and reads them; the simulator sits beside fields: it writes DBN and
// its book is read through book/'s MarketDepth; a product — its engine, tables and writers —
// reads fields and forecast; the ingest wing in pipeline builds whichever product it is given.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'generated-fixtures') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name)) out.push(p);
    }
  };
  try {
    walk(abs);
  } catch {
    /* folder not created yet */
  }
  return out;
}

/** Every module specifier imported, re-exported or dynamically imported by a file. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specs;
}

/** The top-level folder an import lands in ('src-worker', 'contracts', …) or the package name. */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) return relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0];
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
}

const RULES: { dir: string; forbidden: string[] }[] = [
  { dir: 'contracts', forbidden: ['src-worker', 'src-main', 'src-renderer', 'electron'] },
  { dir: 'src-renderer', forbidden: ['src-worker', 'src-main', 'electron', 'node:fs', 'fs', '@duckdb/node-api'] },
  { dir: 'src-worker', forbidden: ['electron', 'src-main', 'src-renderer'] },
  { dir: 'src-main', forbidden: ['src-renderer', '@duckdb/node-api'] },
];

/** Rank of each src-worker folder: a file may import folders of lower rank only (or its own). */
const WORKER_RANK: Record<string, number> = {
  dbn: 0,
  store: 0,
  book: 1,
  fields: 2,
  sim: 2,
  forecast: 3,
  products: 4,
  pipeline: 5,
  replay: 6,
  host: 7,
  serve: 8,
  cli: 9,
};

/** The src-worker folder a file or an import lands in, or null outside src-worker. */
function workerFolder(path: string): string | null {
  const parts = relative(ROOT, path).split(/[\\/]/);
  return parts[0] === 'src-worker' && parts.length > 2 ? parts[1] : null;
}

/** Violations of the inner order among `files` (paths under src-worker). */
export function innerViolations(files: { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const from = workerFolder(f.path);
    if (from === null) continue;
    for (const spec of importsOf(f.text)) {
      if (!spec.startsWith('.')) continue;
      const to = workerFolder(resolve(dirname(f.path), spec));
      if (to === null || to === from) continue;
      const a = WORKER_RANK[from];
      const b = WORKER_RANK[to];
      if (a === undefined || b === undefined) out.push(`${relative(ROOT, f.path)} → ${spec} (folder without a layer: add it to WORKER_RANK)`);
      else if (b >= a) out.push(`${relative(ROOT, f.path)} → ${spec} (${from} may not import ${to})`);
    }
  }
  return out;
}

describe('layering', () => {
  it('inside src-worker each folder imports only the layers below it', () => {
    const files = sourceFiles('src-worker')
      .filter((p) => !p.endsWith('.test.ts') && !/[\\/]testing[\\/]|\.testkit\.ts$/.test(p))
      .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(innerViolations(files)).toEqual([]);
  });

  it('the inner rule catches an upward import and a folder without a layer', () => {
    const at = (p: string) => join(ROOT, 'src-worker', p);
    expect(
      innerViolations([
        { path: at('fields/x.ts'), text: "import { a } from '../pipeline/y';\nimport { b } from '../book/z';" },
        { path: at('book/x.ts'), text: "import { c } from '../newthing/q';" },
        { path: at('forecast/x.ts'), text: "import { d } from '../fields/w';" },
        { path: at('fields/v.ts'), text: "import { e } from '../forecast/u';" },
      ]),
    ).toEqual([
      'src-worker/fields/x.ts → ../pipeline/y (fields may not import pipeline)',
      'src-worker/book/x.ts → ../newthing/q (folder without a layer: add it to WORKER_RANK)',
      'src-worker/fields/v.ts → ../forecast/u (fields may not import forecast)',
    ]);
  });

  it('the import scanner sees static, dynamic and side-effect imports', () => {
    expect(importsOf(`import { a } from '../x';\nimport('electron');\nimport 'y';\nexport * from "z";`)).toEqual([
      '../x',
      'electron',
      'y',
      'z',
    ]);
  });

  for (const rule of RULES) {
    it(`${rule.dir} imports none of ${rule.forbidden.join(', ')}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(rule.dir)) {
        if (file.endsWith('.test.ts')) continue;
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          const t = target(file, spec);
          if (rule.forbidden.includes(t)) violations.push(`${relative(ROOT, file)} → ${spec}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
