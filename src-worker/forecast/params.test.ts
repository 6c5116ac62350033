// The versioned parameter file: upgrade of version-1 files, refusals naming the field,
// overrides, and the dataset key hashing only the gold fields (unchanged for old datasets).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyParamOverrides, DEFAULT_PARAMS, goldParamsJson, ParamsError, PARAMS_VERSION, resolveParams } from '../../contracts/params';
import { loadParams } from './paramsFile';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParamsError);
    return (e as ParamsError).field;
  }
  throw new Error('expected a ParamsError');
};

describe('parameter file', () => {
  it('the gold hash string is exactly the version-1 canonical JSON (existing dataset keys stay valid)', () => {
    // What canonicalParamsJson(DEFAULT_PARAMS) returned before the forecast fields existed.
    expect(goldParamsJson(DEFAULT_PARAMS)).toBe(
      '{"front_near_ticks":5,"front_threshold":0.5,"lambda_phi":1,"lambda_s":1,"nu0":1,"nu_phi":1,"nu_rho":0.25,"nu_s":1,"version":1,"void_min_strength":0.05,"voids_top_n":3,"wall_min_strength":4,"walls_top_n":3}',
    );
  });
  it('changing a forecast field never changes the gold hash; a gold field does', () => {
    const g = goldParamsJson(DEFAULT_PARAMS);
    expect(goldParamsJson(applyParamOverrides(DEFAULT_PARAMS, { beta: '0.2', gamma: 1, extrapolation: 'slope', nu_k: 10 }))).toBe(g);
    expect(goldParamsJson(applyParamOverrides(DEFAULT_PARAMS, { nu_rho: 0.5 }))).not.toBe(g);
  });
  it('upgrades a version-1 file (gold weights only) and refuses forecast fields in it', () => {
    const p = resolveParams({ version: 1, nu0: 2 });
    expect(p).toEqual({ ...DEFAULT_PARAMS, nu0: 2 });
    expect(p.version).toBe(PARAMS_VERSION);
    expect(fieldOf(() => resolveParams({ version: 1, beta: 0.1 }))).toBe('beta');
  });
  it('refuses unknown versions and fields, wrong types and values outside the stored sets, naming the field', () => {
    expect(fieldOf(() => resolveParams({ version: 3 }))).toBe('version');
    expect(fieldOf(() => resolveParams({ version: 2, betta: 1 }))).toBe('betta');
    expect(fieldOf(() => resolveParams({ beta: '1' }))).toBe('beta');
    expect(fieldOf(() => resolveParams({ sigma_near: 7 }))).toBe('sigma_near');
    expect(fieldOf(() => resolveParams({ nu_k: 3 }))).toBe('nu_k');
    expect(fieldOf(() => resolveParams({ extrapolation: 'linear' }))).toBe('extrapolation');
    expect(fieldOf(() => resolveParams({ perm_w: 1.5 }))).toBe('perm_w');
    expect(fieldOf(() => resolveParams({ epsilon: 0 }))).toBe('epsilon');
    expect(resolveParams({ version: 2, beta: 0.2, extrapolation: 'slope', sigma_far: 64 })).toMatchObject({ beta: 0.2, extrapolation: 'slope', sigma_far: 64 });
  });
  it('--set overrides parse text by field type; enums also take their index', () => {
    const p = applyParamOverrides(DEFAULT_PARAMS, { beta: '0.125', extrapolation: '1', nu_shape: 'triangular', ofi_k: '10' });
    expect(p).toMatchObject({ beta: 0.125, extrapolation: 'slope', nu_shape: 'triangular', ofi_k: 10 });
    expect(fieldOf(() => applyParamOverrides(DEFAULT_PARAMS, { beta: 'abc' }))).toBe('beta');
    expect(fieldOf(() => applyParamOverrides(DEFAULT_PARAMS, { ofi_k: '0' }))).toBe('ofi_k');
  });
  it('loadParams: file then --set; a bad file is a ParamsError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'params-'));
    const f = join(dir, 'p.json');
    writeFileSync(f, JSON.stringify({ version: 2, beta: 0.3, gamma: 0.1 }));
    expect(loadParams({ file: f, sets: ['gamma=0.2'] })).toMatchObject({ beta: 0.3, gamma: 0.2 });
    writeFileSync(f, '{not json');
    expect(() => loadParams({ file: f })).toThrow(/cannot read the parameter file/);
    writeFileSync(f, JSON.stringify({ version: 2, gama: 1 }));
    expect(() => loadParams({ file: f })).toThrow(/p\.json: unknown parameter 'gama'/);
    expect(() => loadParams({ sets: ['beta'] })).toThrow(ParamsError);
  });
});
