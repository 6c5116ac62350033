import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, generatedFiles } from './generate';
import { TABLES } from './registry';
import { DUCKDB_TYPE } from './columns';

describe('contracts', () => {
  it.each(Object.entries(generatedFiles()))('%s is up to date (run `npm run gen:contracts`)', (rel, text) => {
    const path = join(ROOT, rel);
    expect(existsSync(path), `${rel} missing`).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('every column has a known type, a meaning, and a unique name in its table', () => {
    for (const t of TABLES) {
      const names = new Set<string>();
      for (const c of t.columns) {
        expect(DUCKDB_TYPE[c.type], `${t.name}.${c.name}`).toBeTruthy();
        expect(c.meaning.length, `${t.name}.${c.name} meaning`).toBeGreaterThan(3);
        expect(names.has(c.name), `${t.name}.${c.name} duplicated`).toBe(false);
        names.add(c.name);
      }
      for (const k of t.key ?? []) expect(names.has(k), `${t.name} key ${k}`).toBe(true);
    }
  });
});
