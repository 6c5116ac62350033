// One window's forecast inputs (contracts/tables/forecast.ts declares the stored columns).
// Produced by ForecastFeatureStep as windows close, read back from DuckDB by featureRows.ts;
// the model families (runner.ts) read nothing else. NaN stands for NULL.
import { FORECAST_KS, FORECAST_SIGMAS, NU_SHAPES, type NuShape } from '../../contracts/params';
import { NU_COMPONENTS, type NuComponent } from '../../contracts/tables/forecast';

export const N_SIGMAS = FORECAST_SIGMAS.length;
export const N_KS = FORECAST_KS.length;
export const N_NU = NU_SHAPES.length * N_KS * NU_COMPONENTS.length;

export interface FeatureRow {
  /** Window start second k (window_end_ts_ns = (k + 1)·1e9). */
  windowSec: number;
  valid: boolean;
  spotTick: number;
  bestBidTick: number;
  bestBidQty: number;
  bestAskTick: number;
  bestAskQty: number;
  lastTradePriceInt: number;
  /** Cont–Kukanov–Stoikov e_n from the previous window-start BBO to this one (0 when either is invalid). */
  ofiE: number;
  /** F per kernel width, in FORECAST_SIGMAS order. */
  f: Float64Array;
  /** Slope of F per s, in FORECAST_SIGMAS order. */
  fSlope: Float64Array;
  /** nu_local components at nuIndex(shape, K, component). */
  nu: Float64Array;
  /** Kappa asymmetry per K, in FORECAST_KS order. */
  kappaAsym: Float64Array;
  waveEnergyNear: number;
  wallAboveTicks: number;
  wallBelowTicks: number;
  voidAboveTicks: number;
  voidBelowTicks: number;
}

export function sigmaIndex(sigma: number): number {
  const i = (FORECAST_SIGMAS as readonly number[]).indexOf(sigma);
  if (i < 0) throw new Error(`σ = ${sigma} is not a stored kernel width (${FORECAST_SIGMAS.join(', ')})`);
  return i;
}
export function kIndex(k: number): number {
  const i = (FORECAST_KS as readonly number[]).indexOf(k);
  if (i < 0) throw new Error(`K = ${k} is not a stored half-width (${FORECAST_KS.join(', ')})`);
  return i;
}
export function nuIndex(shape: NuShape, k: number, comp: NuComponent): number {
  return (NU_SHAPES.indexOf(shape) * N_KS + kIndex(k)) * NU_COMPONENTS.length + NU_COMPONENTS.indexOf(comp);
}

/** A row with every field NULL (NaN) and the given window second. */
export function emptyFeatureRow(windowSec: number): FeatureRow {
  return {
    windowSec,
    valid: false,
    spotTick: NaN,
    bestBidTick: NaN,
    bestBidQty: 0,
    bestAskTick: NaN,
    bestAskQty: 0,
    lastTradePriceInt: NaN,
    ofiE: 0,
    f: new Float64Array(N_SIGMAS).fill(NaN),
    fSlope: new Float64Array(N_SIGMAS).fill(NaN),
    nu: new Float64Array(N_NU).fill(NaN),
    kappaAsym: new Float64Array(N_KS).fill(NaN),
    waveEnergyNear: NaN,
    wallAboveTicks: NaN,
    wallBelowTicks: NaN,
    voidAboveTicks: NaN,
    voidBelowTicks: NaN,
  };
}

/** Set every field of a row back to NULL (NaN) for window `windowSec` (reuse without allocating). */
export function resetFeatureRow(r: FeatureRow, windowSec: number): void {
  r.windowSec = windowSec;
  r.valid = false;
  r.spotTick = NaN;
  r.bestBidTick = NaN;
  r.bestBidQty = 0;
  r.bestAskTick = NaN;
  r.bestAskQty = 0;
  r.lastTradePriceInt = NaN;
  r.ofiE = 0;
  r.f.fill(NaN);
  r.fSlope.fill(NaN);
  r.nu.fill(NaN);
  r.kappaAsym.fill(NaN);
  r.waveEnergyNear = NaN;
  r.wallAboveTicks = NaN;
  r.wallBelowTicks = NaN;
  r.voidAboveTicks = NaN;
  r.voidBelowTicks = NaN;
}

/** A copy that owns its arrays (rows handed out by the step are reused). */
export function cloneFeatureRow(r: FeatureRow): FeatureRow {
  return { ...r, f: r.f.slice(), fSlope: r.fSlope.slice(), nu: r.nu.slice(), kappaAsym: r.kappaAsym.slice() };
}
