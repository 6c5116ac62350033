// Colour range and palettes (SPEC §7): percentile clipping, a symmetric range for signed
// fields (green building / red eroding), a sequential palette for magnitudes, optional log.

export interface ColorRange {
  lo: number;
  hi: number;
  signed: boolean;
  log: boolean;
}

function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/**
 * Range from sampled values: [p_lo, p_hi] for magnitudes; for signed fields a symmetric
 * ±(p_hi of |v|) so zero stays neutral. Never a zero-width range.
 */
export function percentileRange(values: Float32Array, signed: boolean, log: boolean, pLo = 0.01, pHi = 0.99): ColorRange {
  // Exact zeros are "nothing happened here" (quiet levels, empty book); on a quiet market they
  // are most cells and would squash the range, so percentiles are taken over the active cells.
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (signed) {
    const abs = finite.map(Math.abs).sort();
    let m = quantile(abs, pHi);
    if (!(m > 0)) m = abs.length ? abs[abs.length - 1] || 1 : 1;
    return { lo: -m, hi: m, signed, log };
  }
  const s = finite.slice().sort();
  let lo = quantile(s, pLo);
  let hi = quantile(s, pHi);
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1);
  return { lo, hi, signed, log };
}

/**
 * True when `next` would recolour no cell visibly: same kind (signed, log) and both ends moved
 * by less than `tol` of the range's width. Playing refreshes the percentiles every 20 frames;
 * keeping a range that barely drifted spares re-colouring every visible cell.
 */
export function nearlySameRange(a: ColorRange, next: ColorRange, tol = 0.02): boolean {
  if (a.signed !== next.signed || a.log !== next.log) return false;
  const w = Math.max(a.hi - a.lo, next.hi - next.lo);
  return Math.abs(a.lo - next.lo) <= tol * w && Math.abs(a.hi - next.hi) <= tol * w;
}

/** Value → [0, 1] palette coordinate (the shader mirrors this; used on the CPU fallback and in tests). */
export function normalise(v: number, r: ColorRange): number {
  if (r.signed) {
    const m = r.hi;
    let t = Math.max(-1, Math.min(1, v / m));
    if (r.log) t = Math.sign(t) * Math.log1p(Math.abs(t) * 1000) / Math.log1p(1000);
    return 0.5 + 0.5 * t;
  }
  let t = Math.max(0, Math.min(1, (v - r.lo) / (r.hi - r.lo)));
  if (r.log) t = Math.log1p(t * 1000) / Math.log1p(1000);
  return t;
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
