// The forecast families (SPEC §4, issue 11), each a pure function of its inputs so a hand
// computation can check it. State that spans windows (previous spot, rolling z-scores, OFI
// history) lives in ForecastRunner (runner.ts); these functions see one window's inputs.
//
// Common: h = 1…FORECAST_MAX_HORIZON_S, ticks are absolute (fractional), direction is the sign
// of the predicted move, bands are symmetric around the prediction.
//
// Output is columnar (no object per point: a session's forecasts are ~650 k points per hour):
// each family writes its 30 points into `out` from `off`, POINT_FIELDS values per horizon
// (predicted, band lo, band hi, direction, confidence, P(up)), and returns its inputs.
// block.ts turns a block into the seam's objects (types.ts) where a consumer wants them.
import { FORECAST_MAX_HORIZON_S } from '../../contracts/forecast';
import type { ParamsFile } from '../../contracts/params';

const H = FORECAST_MAX_HORIZON_S;
/** Values per horizon: predictedTick, bandLoTick, bandHiTick, direction, confidence, probUp. */
export const POINT_FIELDS = 6;
export const FAMILY_STRIDE = H * POINT_FIELDS;
export const P_PRED = 0;
export const P_LO = 1;
export const P_HI = 2;
export const P_DIR = 3;
export const P_CONF = 4;
export const P_PROB = 5;

const sign = (x: number): -1 | 0 | 1 => (x > 1e-12 ? 1 : x < -1e-12 ? -1 : 0);

function point(out: Float64Array, off: number, h: number, origin: number, predicted: number, half: number, confidence: number, probUp: number): void {
  const o = off + (h - 1) * POINT_FIELDS;
  out[o] = predicted;
  out[o + 1] = predicted - half;
  out[o + 2] = predicted + half;
  out[o + 3] = sign(predicted - origin);
  out[o + 4] = confidence;
  out[o + 5] = probUp;
}

/** A flat path: the same move at every horizon, band ± band_ticks·√h. */
function flat(out: Float64Array, off: number, origin: number, move: number, p: ParamsFile, confidence: number, probUp: number): void {
  for (let h = 1; h <= H; h++) point(out, off, h, origin, origin + move, p.band_ticks * Math.sqrt(h), confidence, probUp);
}

export type Inputs = Record<string, number>;

// ---------------------------------------------------------------------------------- particle

export interface ParticleInputs {
  /** Spot tick now and the last window's move s(t) − s(t−1). */
  spotTick: number;
  v0: number;
  fNear: number;
  fFar: number;
  /** Slopes per s of F_near and F_far (slope extrapolation). */
  fNearSlope: number;
  fFarSlope: number;
  /** nu_local before the nu_min bound (already weighted: Σ weights × components). */
  nuLocalRaw: number;
}

/**
 * SPEC §4: F = F_near + λ_far·F_far; nu_local = max(nu_min, ·);
 * v(h) = clamp(1 − γ·nu_local, 0, 1)·v(h−1) + β·F(h−1), x(h) = x(h−1) + v(h), 30 steps, with
 * F frozen or F(h−1) = F + (h−1)·clip(F_slope, ±slope_clip); confidence |F(h−1)| / (nu_local + ε);
 * band ± band_ticks·√h·(½ + ½/(1 + confidence)).
 */
export function particleForecast(i: ParticleInputs, p: ParamsFile, out: Float64Array, off: number): Inputs {
  const F0 = i.fNear + p.lambda_far * i.fFar;
  const slopeRaw = i.fNearSlope + p.lambda_far * i.fFarSlope;
  const slope = p.extrapolation === 'slope' ? Math.max(-p.slope_clip, Math.min(p.slope_clip, slopeRaw)) : 0;
  const nuLocal = Math.max(p.nu_min, i.nuLocalRaw);
  const damp = Math.max(0, Math.min(1, 1 - p.gamma * nuLocal));
  let v = i.v0;
  let x = i.spotTick;
  for (let h = 1; h <= H; h++) {
    const F = F0 + (h - 1) * slope;
    v = damp * v + p.beta * F;
    x += v;
    const conf = Math.abs(F) / (nuLocal + p.epsilon);
    point(out, off, h, i.spotTick, x, p.band_ticks * Math.sqrt(h) * (0.5 + 0.5 / (1 + conf)), conf, NaN);
  }
  return { F_near: i.fNear, F_far: i.fFar, F: F0, F_slope: slope, nu_local: nuLocal, v0: i.v0, damping: damp, warming_up: 0 };
}

// ------------------------------------------------------------------------- perm_derivative

/** z and its last three differences (NaN while warming up). */
export interface PermInputs {
  spotTick: number;
  asym: number;
  z: number;
  dz: number;
  d2z: number;
  d3z: number;
}

/** score = w1·Δz + w2·Δ²z + w3·Δ³z; move(h) = perm_drift_ticks·tanh(score)·√h; confidence |score|. */
export function permForecast(i: PermInputs, p: ParamsFile, out: Float64Array, off: number): Inputs {
  const ready = i.d3z === i.d3z;
  const score = ready ? p.perm_w1 * i.dz + p.perm_w2 * i.d2z + p.perm_w3 * i.d3z : 0;
  const t = Math.tanh(score);
  for (let h = 1; h <= H; h++) point(out, off, h, i.spotTick, i.spotTick + p.perm_drift_ticks * t * Math.sqrt(h), p.band_ticks * Math.sqrt(h), Math.abs(score), NaN);
  return { kappa_asym: i.asym, z: i.z, dz: i.dz, d2z: i.d2z, d3z: i.d3z, score, warming_up: ready ? 0 : 1 };
}

// -------------------------------------------------------------------------------- baselines

export interface TouchInputs {
  spotTick: number;
  bidTick: number;
  bidQty: number;
  askTick: number;
  askQty: number;
}

export function noChangeForecast(spotTick: number, p: ParamsFile, out: Float64Array, off: number): Inputs {
  flat(out, off, spotTick, 0, p, 0, NaN);
  return {};
}

/** Gould & Bonart (2016): I = (q_b − q_a)/(q_b + q_a); move sign(I)·qi_step_ticks; P(up) = (1 + I)/2. */
export function queueImbalanceForecast(i: TouchInputs, p: ParamsFile, out: Float64Array, off: number): Inputs {
  const q = i.bidQty + i.askQty;
  const I = q > 0 ? (i.bidQty - i.askQty) / q : 0;
  flat(out, off, i.spotTick, sign(I) * p.qi_step_ticks, p, Math.abs(I), (1 + I) / 2);
  return { imbalance: I, bid_qty: i.bidQty, ask_qty: i.askQty };
}

/** Stoikov (2018), first order: micro = (p_b·q_a + p_a·q_b)/(q_a + q_b); move = micro − mid. */
export function micropriceForecast(i: TouchInputs, p: ParamsFile, out: Float64Array, off: number): Inputs {
  const q = i.bidQty + i.askQty;
  const mid = (i.bidTick + i.askTick) / 2;
  const micro = q > 0 ? (i.bidTick * i.askQty + i.askTick * i.bidQty) / q : mid;
  const halfSpread = (i.askTick - i.bidTick) / 2;
  flat(out, off, i.spotTick, micro - mid, p, halfSpread > 0 ? Math.abs(micro - mid) / halfSpread : 0, NaN);
  return { microprice_tick: micro, mid_tick: mid };
}

/**
 * Cont, Kukanov & Stoikov (2014): OFI over the last k windows divided by the mean touch depth;
 * move = clamp(ofi_coef·x, ±ofi_max_ticks); P(up) = logistic(ofi_prob_scale·x).
 */
export function ofiForecast(spotTick: number, ofi: number, depth: number, p: ParamsFile, out: Float64Array, off: number): Inputs {
  const x = ofi / Math.max(1, depth);
  const move = Math.max(-p.ofi_max_ticks, Math.min(p.ofi_max_ticks, p.ofi_coef * x));
  flat(out, off, spotTick, move, p, Math.abs(x), 1 / (1 + Math.exp(-p.ofi_prob_scale * x)));
  return { ofi, depth, ofi_per_depth: x };
}
