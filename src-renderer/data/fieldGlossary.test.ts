import { describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { fieldGloss, fieldTitle } from './fieldGlossary';

describe('field glossary', () => {
  it('gives every field a plain name first, the physics name second, a description and its unit', () => {
    for (const f of HEATMAP_FIELDS) {
      const g = fieldGloss(f);
      expect(g.plain.length, f).toBeGreaterThan(2);
      expect(g.description.length, f).toBeGreaterThan(10);
    }
    expect(fieldTitle('rho')).toBe('Resting depth (Density ρ)');
    expect(fieldTitle('liquidity_velocity')).toBe('Liquidity building / eroding (Liquidity velocity u)');
    expect(fieldGloss('liquidity_velocity').unit).toBe('1/s');
  });
});
