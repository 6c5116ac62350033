// Layering is enforced, not remembered (ARCHITECTURE practice 12):
// contracts import nothing from src-*; the renderer never imports the worker or main;
// the worker never imports electron; main never reaches into worker internals except its host entry.
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

describe('layering', () => {
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
