// Every product declares its tables from contracts/ with explicit wire ids; the futures product
// writes every stored future_mbo table (a new contract table cannot be silently left out).
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../contracts/registry';
import { PRODUCTS, productById } from './registry';

describe('products', () => {
  for (const p of Object.values(PRODUCTS)) {
    it(`${p.id}: tables from contracts, of this product, stored, with distinct positive wire ids`, () => {
      expect(p.tables.length).toBeGreaterThan(0);
      const ids = p.tables.map((t) => t.wireId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const t of p.tables) {
        expect(Number.isInteger(t.wireId) && t.wireId > 0, `${t.decl.name} wire id`).toBe(true);
        expect(TABLES).toContain(t.decl);
        expect(t.decl.product).toBe(p.id);
        expect(t.decl.viewOf, `${t.decl.name} is a view: its rows are another table's`).toBeUndefined();
      }
      expect(p.pipelineVersion).toMatch(/^[a-z]+-\d+\.\d+\.\d+$/);
    });
  }

  it('future_mbo builds every stored future_mbo table; options are declared but not built yet', () => {
    const stored = TABLES.filter((t) => t.product === 'future_mbo' && !t.viewOf);
    expect(new Set(productById('future_mbo').tables.map((t) => t.decl))).toEqual(new Set(stored));
    expect(productById('future_mbo').pipelineVersion).toBe('futures-1.0.0');
    expect(productById('future_mbo').createEngine).not.toBeNull();
    expect(productById('future_option_mbo').createEngine).toBeNull();
  });
});
