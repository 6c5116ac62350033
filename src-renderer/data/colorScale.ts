// Colour range and palettes (SPEC §7): robust percentiles of the active cells, a symmetric
// range for signed fields (green building / red eroding), a sequential palette for
// magnitudes, a true log scale (symmetric log for signed fields) and a contrast (gamma).

export interface ColorRange {
  lo: number;
  hi: number;
  signed: boolean;
  log: boolean;
  /**
   * Contrast (Bookmap's most used control): the palette position t becomes t^gamma (|u|^gamma
   * around zero for signed fields). Below 1 lifts the many small values of a heavy-tailed field
   * out of the background; 1 is linear. Absent: 1.
   */
  gamma?: number;
  /** The gamma chosen from the data (autoGamma) before the user's contrast was applied. */
  autoGamma?: number;
  /**
   * Log scale's lower reference: magnitudes are drawn on log(v / floor) / log(hi / floor);
   * signed fields on a symmetric log that is linear below `floor`. Absent: hi / 1000.
   */
  floor?: number;
}

/**
 * Auto contrast: the gamma that puts the median active cell at this palette position (from
 * the neutral middle for signed fields), so a heavy-tailed flow field shows its ordinary cells
 * and a field that is already spread (density ρ, a log) stays near linear.
 */
const MEDIAN_AT = 0.4;
const GAMMA_MIN = 0.2;
const GAMMA_MAX = 1.5;
export const DEFAULT_GAMMA = 1;

export function autoGamma(medianPosition: number): number {
  if (!(medianPosition > 0 && medianPosition < 1)) return 1;
  return Math.max(0.3, Math.min(1, Math.log(MEDIAN_AT) / Math.log(medianPosition)));
}

/** Effective gamma: the data's auto gamma divided by the user's contrast (1 = as chosen). */
export function contrastGamma(auto: number, contrast: number): number {
  return Math.max(GAMMA_MIN, Math.min(GAMMA_MAX, auto / contrast));
}
/** Percentiles of the active (non-zero) cells that set the range. */
export const P_LO = 0.02;
export const P_HI = 0.95;
/** Widest ratio a log scale spans (hi / floor). */
const LOG_DECADES = 4;

function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/**
 * Range from sampled values: [p_lo, p_hi] of the active cells for magnitudes; for signed
 * fields a symmetric ±(p_hi of |v|) so zero stays neutral. Never a zero-width range. The high
 * percentile is 95 %, not 99 %: flow fields are heavy-tailed (on ESH4 and the demo the 99th
 * percentile of |u| is ~100× its median) and a range set by rare new-level adds draws every
 * ordinary cell black.
 */
export function percentileRange(values: Float32Array, signed: boolean, log: boolean, contrast = 1, pLo = P_LO, pHi = P_HI): ColorRange {
  const r = linearRange(values, signed, log, pLo, pHi);
  // Where the median active cell lands at gamma 1: from the neutral middle for signed fields.
  const t = r.median === undefined ? NaN : normalise(r.median, r.range);
  const auto = autoGamma(signed ? Math.abs(2 * t - 1) : t);
  return { ...r.range, gamma: contrastGamma(auto, contrast), autoGamma: auto };
}

function linearRange(values: Float32Array, signed: boolean, log: boolean, pLo: number, pHi: number): { range: ColorRange; median?: number } {
  // Exact zeros are "nothing happened here" (quiet levels, empty book); on a quiet market they
  // are most cells and would squash the range, so percentiles are taken over the active cells.
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (signed) {
    const abs = finite.map(Math.abs).sort();
    let m = quantile(abs, pHi);
    if (!(m > 0)) m = abs.length ? abs[abs.length - 1] || 1 : 1;
    // The symmetric log is linear up to the typical small value (the p_lo-th |v|).
    const floor = Math.max(quantile(abs, 0.1), m * Math.pow(10, -LOG_DECADES));
    return { range: { lo: -m, hi: m, signed, log, floor: floor > 0 && floor < m ? floor : m / 1000 }, median: abs.length ? quantile(abs, 0.5) : undefined };
  }
  const s = finite.slice().sort();
  let lo = quantile(s, pLo);
  let hi = quantile(s, pHi);
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1);
  const floor = Math.max(lo, hi * Math.pow(10, -LOG_DECADES));
  return { range: { lo, hi, signed, log, floor: floor > 0 && floor < hi ? floor : hi / 1000 }, median: s.length ? quantile(s, 0.5) : undefined };
}

/**
 * True when `next` would recolour no cell visibly: same kind (signed, log, contrast) and both
 * ends moved by less than `tol` of the range's width. Playing refreshes the percentiles every
 * 20 frames; keeping a range that barely drifted spares re-colouring every visible cell.
 */
export function nearlySameRange(a: ColorRange, next: ColorRange, tol = 0.02): boolean {
  if (a.signed !== next.signed || a.log !== next.log || (a.gamma ?? 1) !== (next.gamma ?? 1)) return false;
  const w = Math.max(a.hi - a.lo, next.hi - next.lo);
  return Math.abs(a.lo - next.lo) <= tol * w && Math.abs(a.hi - next.hi) <= tol * w;
}

/** The log scale's floor for a range (see ColorRange.floor). */
export function logFloor(r: ColorRange): number {
  // Magnitudes: never below the range's low end (the colour table starts there).
  const least = r.signed ? 0 : r.lo;
  const f = Math.max(r.floor ?? r.hi / 1000, least);
  return f > 0 && f < r.hi ? f : Math.max(least, r.hi / 1000);
}

/** Value → [0, 1] palette coordinate (the colour table mirrors this; also the legend's ticks). */
export function normalise(v: number, r: ColorRange): number {
  const g = r.gamma ?? 1;
  if (r.signed) {
    const m = r.hi;
    let u = Math.max(-1, Math.min(1, v / m));
    if (r.log) {
      const c = logFloor(r) / m;
      u = (Math.sign(u) * Math.log1p(Math.abs(u) / c)) / Math.log1p(1 / c);
    }
    if (g !== 1) u = Math.sign(u) * Math.pow(Math.abs(u), g);
    return 0.5 + 0.5 * u;
  }
  let t: number;
  if (r.log) {
    const f = logFloor(r);
    t = Math.log(Math.max(v, f) / f) / Math.log(r.hi / f);
  } else t = (v - r.lo) / (r.hi - r.lo);
  t = Math.max(0, Math.min(1, t));
  if (g !== 1) t = Math.pow(t, g);
  return t;
}

/** Value at palette coordinate t (the inverse of normalise; the legend places its ticks with it). */
export function valueAt(t: number, r: ColorRange): number {
  const g = r.gamma ?? 1;
  if (r.signed) {
    let u = Math.max(-1, Math.min(1, 2 * t - 1));
    u = Math.sign(u) * Math.pow(Math.abs(u), 1 / g);
    if (r.log) {
      const c = logFloor(r) / r.hi;
      u = Math.sign(u) * c * Math.expm1(Math.abs(u) * Math.log1p(1 / c));
    }
    return u * r.hi;
  }
  const x = Math.pow(Math.max(0, Math.min(1, t)), 1 / g);
  if (r.log) {
    const f = logFloor(r);
    return f * Math.pow(r.hi / f, x);
  }
  return r.lo + x * (r.hi - r.lo);
}

type Stop = [number, [number, number, number]];

function ramp(stops: Stop[], n = 256): Uint8Array {
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1][0]) k++;
    const [t0, c0] = stops[k];
    const [t1, c1] = stops[k + 1];
    const u = Math.max(0, Math.min(1, (t - t0) / (t1 - t0 || 1)));
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(c0[c] + (c1[c] - c0[c]) * u);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Red (eroding) ← dark neutral → green (building). */
export const DIVERGING = ramp([
  [0, [255, 92, 92]],
  [0.2, [196, 38, 48]],
  [0.42, [58, 16, 22]],
  [0.5, [14, 17, 23]],
  [0.58, [10, 52, 34]],
  [0.8, [22, 170, 92]],
  [1, [150, 255, 170]],
]);

/** Dark → indigo → magenta → amber → pale yellow (inferno-like) for magnitudes. */
export const SEQUENTIAL = ramp([
  [0, [14, 17, 23]],
  [0.15, [34, 22, 74]],
  [0.4, [120, 28, 109]],
  [0.65, [212, 72, 66]],
  [0.85, [250, 160, 40]],
  [1, [252, 240, 160]],
]);
