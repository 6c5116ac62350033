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

  /**
   * Advance by one window. For a valid window, fill every gold array of the grid.
   * One pass over the ladder's cells does u, the EMAs of those levels, the time derivatives and
   * the per-cell fields (each state value is loaded and stored once); a second pass advances the
   * EMAs of the tracked levels off the ladder (u = 0 there). Same arithmetic, same order of
   * operations per value as the plain definition, so results are bit-identical.
   */
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
    const { a2, a8, a32, a128, e2, e8, e32, e128, u1, u2, cur } = this;
    // Ladder offsets [l0, l1) of this window inside the tracked range (empty when invalid).
    const l0 = g.valid ? g.spotTick - half - this.base : a0;
    const l1 = g.valid ? l0 + W : a0;
    for (let side = 0; side < 2; side++) {
      const sb = side * span;
      // Off the ladder: u = 0 (the same update expression as on it, with u = 0).
      for (let x = sb + a0; x < sb + l0; x++) {
        const u = 0;
        cur[x] = u;
        e2[x] = e2[x] + a2 * (u - e2[x]);
        e8[x] = e8[x] + a8 * (u - e8[x]);
        e32[x] = e32[x] + a32 * (u - e32[x]);
        e128[x] = e128[x] + a128 * (u - e128[x]);
      }
      for (let x = sb + l1; x < sb + a1; x++) {
        const u = 0;
        cur[x] = u;
        e2[x] = e2[x] + a2 * (u - e2[x]);
        e8[x] = e8[x] + a8 * (u - e8[x]);
        e32[x] = e32[x] + a32 * (u - e32[x]);
        e128[x] = e128[x] + a128 * (u - e128[x]);
      }
    }
    if (g.valid) this.ladder(g, l0, span);
    // Rotate u history: u2 ← u1, u1 ← cur (the old u2 is overwritten next window).
    this.u2 = u1;
    this.u1 = cur;
    this.cur = u2;
    if (g.valid) {
      const W2 = g.width;
      for (let side = 0; side < 2; side++) {
        ladderDerivatives(g.u, side * W2, W2, g.duDx, g.d2uDx2);
        ladderDerivatives(g.nu, side * W2, W2, g.dnuDx, g.d2nuDx2);
      }
      this.structures(g);
    }
  }

  /** The fused per-cell pass of a valid window: silver → u → EMAs → time derivatives → fields. */
  private ladder(g: WindowGrid, l0: number, span: number): void {
    const p = this.params;
    const nu0 = p.nu0;
    const nuRho = p.nu_rho;
    const nuPhi = p.nu_phi;
    const nuS = p.nu_s;
    const lamPhi = p.lambda_phi;
    const lamS = p.lambda_s;
    const { a2, a8, a32, a128, e2, e8, e32, e128, u1, u2, cur } = this;
    const W = g.width;
    const { depthStart, depthEnd, depthRest, addQty, pullQty, fillQty } = g;
    const { addIntensity, pullIntensity, fillIntensity, u: gu, duDt, d2uDt2, ema2, ema8, ema32, ema128 } = g;
    const { rho: gRho, phiRest, kappa, nu, bandFast, bandMid, bandSlow, waveEnergy, pressureGrad, wallStrength, voidStrength } = g;
    for (let side = 0; side < 2; side++) {
      const c0 = side * W;
      // State index of cell c: x = xOff + c.
      const xOff = side * span + l0 - c0;
      const sign = side === 0;
      for (let c = c0; c < c0 + W; c++) {
        const x = xOff + c;
        // u from the window's silver (0 for quiet cells: add = pull = fill = 0 there). The
        // quantities are ≥ 0 and denom ≥ 1, so 0 / denom is exactly +0: skip the division.
        const denom = depthStart[c] + 1;
        const aq = addQty[c];
        const pq = pullQty[c];
        const fq = fillQty[c];
        const ai = aq !== 0 ? aq / denom : 0;
        const pi = pq !== 0 ? pq / denom : 0;
        const fi = fq !== 0 ? fq / denom : 0;
        const u = ai - pi - fi;
        addIntensity[c] = ai;
        pullIntensity[c] = pi;
        fillIntensity[c] = fi;
        gu[c] = u;
        cur[x] = u;
        // EMAs of this level.
        let v = e2[x];
        const n2 = v + a2 * (u - v);
        e2[x] = n2;
        v = e8[x];
        const n8 = v + a8 * (u - v);
        e8[x] = n8;
        v = e32[x];
        const n32 = v + a32 * (u - v);
        e32[x] = n32;
        v = e128[x];
        const n128 = v + a128 * (u - v);
        e128[x] = n128;
        ema2[c] = n2;
        ema8[c] = n8;
        ema32[c] = n32;
        ema128[c] = n128;
        // Time derivatives against the two previous windows.
        const p1 = u1[x];
        duDt[c] = u - p1;
        d2uDt2[c] = u - 2 * p1 + u2[x];
        // Per-cell fields.
        const de = depthEnd[c];
        const small = de < LUT_SIZE;
        const rho = small ? LOG1P[de] : Math.log1p(de);
        const dr = depthRest[c];
        const phi = dr !== 0 ? dr / (de + 1) : 0;
        const e32p = n32 > 0 ? n32 : 0;
        gRho[c] = rho;
        phiRest[c] = phi;
        kappa[c] = small ? KAPPA[de] : 1 / (1 + rho);
        nu[c] = nu0 + nuRho * rho + nuPhi * phi + nuS * e32p;
        const fast = n2 - n8;
        const mid = n8 - n32;
        const slow = n32 - n128;
        bandFast[c] = fast;
        bandMid[c] = mid;
        bandSlow[c] = slow;
        // A sum of squares is never −0, and sqrt(+0) = +0: skip the root for quiet levels.
        const e2sum = fast * fast + mid * mid + slow * slow;
        waveEnergy[c] = e2sum !== 0 ? Math.sqrt(e2sum) : 0;
        pressureGrad[c] = sign ? n8 : -n8;
        wallStrength[c] = rho * (1 + lamPhi * phi) * (1 + lamS * e32p);
        voidStrength[c] = n8 < 0 ? -n8 : 0;
      }
    }
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
