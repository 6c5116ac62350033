// Gold fields (SPEC §3) computed from one closed window's silver grid plus the state carried
// from the previous windows. Pure and incremental: `step(grid)` is the only way state moves,
// once per window (valid or not), so a batch build and a live stream give identical values.
//
// State per (side, absolute price level): the four EMAs of u and u(t−1), u(t−2) for the time
// derivatives. It lives in dense arrays over absolute ticks covering every ladder seen so far,
// and every level of that range is advanced every window (u = 0 when quiet or outside the
// ladder): a level that leaves and re-enters the ladder keeps its history. Levels that never
// had a non-zero u stay exactly 0, so this equals "state for levels that have had u ≠ 0".
//
// Choices where SPEC is silent (documented in the gold contract):
// - nu, rho, phi_rest, kappa are evaluated on every ladder cell (depth 0 where no row), so
//   dnu_dx / d2nu_dx2 see the baseline viscosity of empty levels, not a hole of 0.
// - Walls above spot are ask-side cells with rel_ticks ≥ 0, walls below are bid-side cells with
//   rel_ticks ≤ 0 (the liquidity price must cross); same for voids. Nearest first, up to N,
//   among cells whose strength reaches the parameter's minimum.
// - Front: the largest |du_dx| over both sides within front_near_ticks of spot; the flag is set
//   when it reaches front_threshold.
import type { GoldParams } from '../../contracts/params';
import type { WindowGrid } from '../pipeline/windowGrid';

export const EMA_TAUS = [2, 8, 32, 128] as const;

// rho = log1p(depth) and kappa = 1 / (1 + rho) for integer depths, tabulated once with the same
// Math calls (bit-identical results, no log per cell per window).
const LUT_SIZE = 1 << 14;
const LOG1P = new Float64Array(LUT_SIZE);
const KAPPA = new Float64Array(LUT_SIZE);
for (let d = 0; d < LUT_SIZE; d++) {
  LOG1P[d] = Math.log1p(d);
  KAPPA[d] = 1 / (1 + LOG1P[d]);
}
export const emaAlpha = (tau: number): number => 1 - Math.exp(-1 / tau);

export class GoldState {
  private readonly a2 = emaAlpha(2);
  private readonly a8 = emaAlpha(8);
  private readonly a32 = emaAlpha(32);
  private readonly a128 = emaAlpha(128);

  /** Absolute tick of index 0 and number of ticks covered (per side). */
  private base = 0;
  private span = 0;
  // [side * span + (tick - base)]
  private e2: Float64Array = new Float64Array(0);
  private e8: Float64Array = new Float64Array(0);
  private e32: Float64Array = new Float64Array(0);
  private e128: Float64Array = new Float64Array(0);
  private u1: Float64Array = new Float64Array(0);
  private u2: Float64Array = new Float64Array(0);
  private cur: Float64Array = new Float64Array(0);

  constructor(private readonly params: GoldParams) {}

  /** Union of every ladder seen so far, as absolute ticks [actLo, actHi): the levels with state. */
  private actLo = 0;
  private actHi = 0;

  /** Advance by one window. For a valid window, fill every gold array of the grid. */
  step(g: WindowGrid): void {
    const W = g.width;
    const half = g.half;
    if (g.valid) {
      const lo = g.spotTick - half;
      const hi = g.spotTick + half + 1;
      this.cover(lo, hi);
      if (this.actHi === this.actLo) {
        this.actLo = lo;
        this.actHi = hi;
      } else {
        if (lo < this.actLo) this.actLo = lo;
        if (hi > this.actHi) this.actHi = hi;
      }
    }
    if (this.actHi === this.actLo) return; // no valid window yet: all state is 0
    const span = this.span;
    const a0 = this.actLo - this.base;
    const a1 = this.actHi - this.base;
    const cur = this.cur;
    cur.fill(0, a0, a1);
    cur.fill(0, span + a0, span + a1);
    // u on the ladder (0 for quiet cells: add = pull = fill = 0 there).
    const off0 = g.valid ? g.spotTick - half - this.base : 0;
    if (g.valid) {
      for (let c = 0; c < g.cells; c++) {
        const bid = c < W;
        const denom = g.depthStart[c] + 1;
        const ai = g.addQty[c] / denom;
        const pi = g.pullQty[c] / denom;
        const fi = g.fillQty[c] / denom;
        const u = ai - pi - fi;
        g.addIntensity[c] = ai;
        g.pullIntensity[c] = pi;
        g.fillIntensity[c] = fi;
        g.u[c] = u;
        cur[bid ? off0 + c : span + off0 + c - W] = u;
      }
    }
    // EMAs for every tracked level (u = 0 off the ladder).
    const { a2, a8, a32, a128, e2, e8, e32, e128, u1, u2 } = this;
    for (let side = 0; side < 2; side++) {
      const end = side * span + a1;
      for (let x = side * span + a0; x < end; x++) {
        const u = cur[x];
        e2[x] = e2[x] + a2 * (u - e2[x]);
        e8[x] = e8[x] + a8 * (u - e8[x]);
        e32[x] = e32[x] + a32 * (u - e32[x]);
        e128[x] = e128[x] + a128 * (u - e128[x]);
      }
    }
    if (g.valid) {
      const dt1 = g.duDt;
      const dt2 = g.d2uDt2;
      for (let c = 0; c < g.cells; c++) {
        const x = c < W ? off0 + c : span + off0 + c - W;
        const u = cur[x];
        const p1 = u1[x];
        dt1[c] = u - p1;
        dt2[c] = u - 2 * p1 + u2[x];
        g.ema2[c] = e2[x];
        g.ema8[c] = e8[x];
        g.ema32[c] = e32[x];
        g.ema128[c] = e128[x];
      }
    }
    // Rotate u history: u2 ← u1, u1 ← cur (the old u2 is cleared and reused next window).
    this.u2 = u1;
    this.u1 = cur;
    this.cur = u2;
    if (g.valid) this.fields(g);
  }

  /** Per-cell fields and ladder derivatives of a valid window. */
  private fields(g: WindowGrid): void {
    const p = this.params;
    const W = g.width;
    for (let c = 0; c < g.cells; c++) {
      const de = g.depthEnd[c];
      const small = de < LUT_SIZE;
      const rho = small ? LOG1P[de] : Math.log1p(de);
      const phi = g.depthRest[c] / (de + 1);
      const e8 = g.ema8[c];
      const e32 = g.ema32[c];
      const e32p = e32 > 0 ? e32 : 0;
      g.rho[c] = rho;
      g.phiRest[c] = phi;
      g.kappa[c] = small ? KAPPA[de] : 1 / (1 + rho);
      g.nu[c] = p.nu0 + p.nu_rho * rho + p.nu_phi * phi + p.nu_s * e32p;
      const fast = g.ema2[c] - e8;
      const mid = e8 - e32;
      const slow = e32 - g.ema128[c];
      g.bandFast[c] = fast;
      g.bandMid[c] = mid;
      g.bandSlow[c] = slow;
      g.waveEnergy[c] = Math.sqrt(fast * fast + mid * mid + slow * slow);
      g.pressureGrad[c] = c < W ? e8 : -e8;
      g.wallStrength[c] = rho * (1 + p.lambda_phi * phi) * (1 + p.lambda_s * e32p);
      g.voidStrength[c] = e8 < 0 ? -e8 : 0;
    }
    for (let side = 0; side < 2; side++) {
      ladderDerivatives(g.u, side * W, W, g.duDx, g.d2uDx2);
      ladderDerivatives(g.nu, side * W, W, g.dnuDx, g.d2nuDx2);
    }
    this.structures(g);
  }

  private structures(g: WindowGrid): void {
    const p = this.params;
    const W = g.width;
    const half = g.half;
    // Above spot: ask cells rel 0..half, nearest first; below: bid cells rel 0..−half.
    pickNearest(g.wallStrength, W + half, 1, half + 1, p.wall_min_strength, p.walls_top_n, g.wallsAbove);
    pickNearest(g.wallStrength, half, -1, half + 1, p.wall_min_strength, p.walls_top_n, g.wallsBelow);
    pickNearest(g.voidStrength, W + half, 1, half + 1, p.void_min_strength, p.voids_top_n, g.voidsAbove);
    pickNearest(g.voidStrength, half, -1, half + 1, p.void_min_strength, p.voids_top_n, g.voidsBelow);
    let best = -1;
    let bestCell = -1;
    const k = Math.min(p.front_near_ticks, half);
    for (let side = 0; side < 2; side++) {
      for (let r = -k; r <= k; r++) {
        const c = side * W + half + r;
        const v = Math.abs(g.duDx[c]);
        if (v > best) {
          best = v;
          bestCell = c;
        }
      }
    }
    g.frontStrength = best < 0 ? 0 : best;
    g.frontCell = bestCell;
    g.front = best >= p.front_threshold;
  }

  /** Grow the tracked range so it covers [lo, hi) absolute ticks (values move with it). */
  private cover(lo: number, hi: number): void {
    if (this.span > 0 && lo >= this.base && hi <= this.base + this.span) return;
    const newLo = this.span === 0 ? lo - 1024 : Math.min(this.base, lo - 1024);
    const newHi = this.span === 0 ? hi + 1024 : Math.max(this.base + this.span, hi + 1024);
    const span = newHi - newLo;
    const shift = this.base - newLo;
    const move = (a: Float64Array): Float64Array => {
      const b = new Float64Array(2 * span);
      for (let side = 0; side < 2; side++) if (this.span > 0) b.set(a.subarray(side * this.span, (side + 1) * this.span), side * span + shift);
      return b;
    };
    this.e2 = move(this.e2);
    this.e8 = move(this.e8);
    this.e32 = move(this.e32);
    this.e128 = move(this.e128);
    this.u1 = move(this.u1);
    this.u2 = move(this.u2);
    this.cur = new Float64Array(2 * span);
    this.base = newLo;
    this.span = span;
  }
}

/** du/dx (central, one-sided at the edges) and d²u/dx² (0 at the edges) along one ladder. */
export function ladderDerivatives(v: Float64Array, start: number, n: number, d1: Float64Array, d2: Float64Array): void {
  const end = start + n - 1;
  d1[start] = v[start + 1] - v[start];
  d2[start] = 0;
  for (let c = start + 1; c < end; c++) {
    d1[c] = (v[c + 1] - v[c - 1]) / 2;
    d2[c] = v[c + 1] - 2 * v[c] + v[c - 1];
  }
  d1[end] = v[end] - v[end - 1];
  d2[end] = 0;
}

/** Cells from `from` stepping by `dir` (count cells), whose strength ≥ min, nearest first, up to n; rest -1. */
function pickNearest(strength: Float64Array, from: number, dir: number, count: number, min: number, n: number, out: Int32Array): void {
  out.fill(-1);
  let k = 0;
  for (let i = 0; i < count && k < n; i++) {
    const c = from + dir * i;
    if (strength[c] >= min && strength[c] > 0) out[k++] = c;
  }
}
