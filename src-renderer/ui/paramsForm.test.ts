import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, FORECAST_PARAM_KEYS, GOLD_PARAM_KEYS } from '../../contracts/params';
import { checkDrafts, defaultsSet, paramRows, rangeText } from './paramsForm';

describe('Parameters… form logic', () => {
  it('lists the forecast fields only, with the values in force or the defaults', () => {
    const rows = paramRows(null);
    expect(rows.map((r) => r.name)).toEqual(FORECAST_PARAM_KEYS);
    for (const g of GOLD_PARAM_KEYS) expect(rows.some((r) => r.name === (g as string))).toBe(false);
    expect(rows.find((r) => r.name === 'beta')!.current).toBe(String(DEFAULT_PARAMS.beta));
    expect(rows.find((r) => r.name === 'extrapolation')!.current).toBe('frozen');
    // The engine's `params` event (numbers only; an enum may arrive as its index).
    const inForce = paramRows({ beta: 0.4, gamma: 0.3, extrapolation: 1 });
    expect(inForce.find((r) => r.name === 'beta')!.current).toBe('0.4');
    expect(inForce.find((r) => r.name === 'extrapolation')!.current).toBe('slope');
    expect(inForce.find((r) => r.name === 'nu_min')!.current).toBe(String(DEFAULT_PARAMS.nu_min));
  });

  it('sends only the changed values, enums by index, equal text as no change', () => {
    const rows = paramRows({ beta: 0.05 });
    expect(checkDrafts(rows, {})).toEqual({ set: {}, errors: {} });
    expect(checkDrafts(rows, { beta: '0.050', gamma: String(DEFAULT_PARAMS.gamma) })).toEqual({ set: {}, errors: {} });
    expect(checkDrafts(rows, { beta: ' 0.5 ', gamma: '0.3', extrapolation: 'slope', nu_shape: 'flat' })).toEqual({ set: { beta: 0.5, extrapolation: 1 }, errors: {} });
    expect(checkDrafts(rows, { sigma_near: '16', perm_w: '120' }).set).toEqual({ sigma_near: 16, perm_w: 120 });
  });

  it('refuses drafts outside the declared ranges, naming the field, and sends none of them', () => {
    const rows = paramRows(null);
    const c = checkDrafts(rows, { beta: '0.2', gamma: '-1', sigma_near: '5', perm_w: '1.5', epsilon: '0', ofi_k: '99999', nu_min: 'abc' });
    expect(c.set).toEqual({ beta: 0.2 });
    expect(Object.keys(c.errors).sort()).toEqual(['epsilon', 'gamma', 'nu_min', 'ofi_k', 'perm_w', 'sigma_near']);
    expect(c.errors.gamma).toMatch(/'gamma' must be ≥ 0/);
    expect(c.errors.sigma_near).toMatch(/one of 2, 4, 8, 16, 32, 64/);
    expect(c.errors.ofi_k).toMatch(/1…3600/);
    expect(c.errors.nu_min).toMatch(/finite number/);
    expect(rangeText(rows.find((r) => r.name === 'perm_w')!.spec)).toBe('integer 2…100000');
  });

  it('reset sends every forecast field at its default, enums by index', () => {
    const d = defaultsSet();
    expect(Object.keys(d)).toEqual(FORECAST_PARAM_KEYS);
    expect(d.beta).toBe(DEFAULT_PARAMS.beta);
    expect(d.extrapolation).toBe(0);
    expect(d.default_family).toBe(0);
    expect(Object.values(d).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  });
});
