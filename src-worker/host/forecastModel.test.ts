import { describe, expect, it } from 'vitest';
import { PARAM_FIELDS, resolveParams } from '../../contracts/params';
import { paramsAsNumbers } from './forecastModel';

describe('paramsAsNumbers (the params event)', () => {
  it('carries every forecast and gold field: numbers as they are, an enum as its index', () => {
    const p = resolveParams({ extrapolation: 'slope', beta: 0.5 } as never);
    const n = paramsAsNumbers(p);
    expect(n.beta).toBe(0.5);
    expect(PARAM_FIELDS.extrapolation.kind).toBe('enum');
    const spec = PARAM_FIELDS.extrapolation as { of: readonly string[] };
    expect(spec.of[n.extrapolation]).toBe('slope');
    expect('version' in n).toBe(false);
    // Every declared field travels (before, enum fields were dropped and the window showed defaults).
    expect(Object.keys(n).sort()).toEqual(Object.keys(PARAM_FIELDS).sort());
  });
});
