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
import { GRID_FIELD, type WindowGrid } from './windowGrid';

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

// State regions inside GoldState.S, each 2 · span long ([side * span + (tick - base)]).
const R_E2 = 0;
const R_E8 = 1;
const R_E32 = 2;
const R_E128 = 3;
/** Three u regions rotate roles each window: u(t−1), u(t−2), and the current window's u. */
const R_UA = 4;
const N_REGIONS = 7;

export class GoldState {
  private readonly a2 = emaAlpha(2);
  private readonly a8 = emaAlpha(8);
  private readonly a32 = emaAlpha(32);
  private readonly a128 = emaAlpha(128);

  /** Absolute tick of index 0 and number of ticks covered (per side). */
  private base = 0;
  private span = 0;
  /**
   * All state in one array (one typed array per hot loop, see WindowGrid): region r at
   * [r · 2span, (r + 1) · 2span): the four EMAs of u, then three u buffers.
   */
  private S: Float64Array = new Float64Array(0);
  /** Region numbers of u(t−1), u(t−2) and the current u; rotated after every window. */
  private rU1 = R_UA;
  private rU2 = R_UA + 1;
  private rCur = R_UA + 2;

  constructor(private readonly params: GoldParams) {}

  /** Union of every ladder seen so far, as absolute ticks [actLo, actHi): the levels with state. */
  private actLo = 0;
  private actHi = 0;

  /**
   * Advance by one window. For a valid window, fill every gold array of the grid (and the
   * silver row flags, hasRow and rowCount, in the same pass over the cells).
   * One pass over the ladder's cells does u, the EMAs of those levels, the time derivatives and
   * the per-cell fields (each state value is loaded and stored once); another pass advances the
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
    const R = 2 * span;
    const a0 = this.actLo - this.base;
    const a1 = this.actHi - this.base;
    const { a2, a8, a32, a128, S } = this;
    const oE2 = R_E2 * R;
    const oE8 = R_E8 * R;
    const oE32 = R_E32 * R;
    const oE128 = R_E128 * R;
    const oCur = this.rCur * R;
    // Ladder offsets [l0, l1) of this window inside the tracked range (empty when invalid).
    const l0 = g.valid ? g.spotTick - half - this.base : a0;
    const l1 = g.valid ? l0 + W : a0;
    for (let side = 0; side < 2; side++) {
      const sb = side * span;
      // Off the ladder: u = 0 (the same update expression as on it, with u = 0).
      for (let k = 0; k < 2; k++) {
        const from = sb + (k === 0 ? a0 : l1);
        const to = sb + (k === 0 ? l0 : a1);
        for (let x = from; x < to; x++) {
          const u = 0;
          S[oCur + x] = u;
          let v = S[oE2 + x];
          S[oE2 + x] = v + a2 * (u - v);
          v = S[oE8 + x];
          S[oE8 + x] = v + a8 * (u - v);
          v = S[oE32 + x];
          S[oE32 + x] = v + a32 * (u - v);
          v = S[oE128 + x];
          S[oE128 + x] = v + a128 * (u - v);
        }
      }
    }
    if (g.valid) this.ladder(g, l0, span);
    // Rotate u history: u2 ← u1, u1 ← cur (the old u2 is overwritten next window).
    const r2 = this.rU2;
    this.rU2 = this.rU1;
    this.rU1 = this.rCur;
    this.rCur = r2;
    if (g.valid) {
      const buf = g.buf;
      const C = g.cells;
      for (let side = 0; side < 2; side++) {
        ladderDerivativesAt(buf, GRID_FIELD.liquidity_velocity * C + side * W, W, GRID_FIELD.du_dx * C + side * W, GRID_FIELD.d2u_dx2 * C + side * W);
        ladderDerivativesAt(buf, GRID_FIELD.nu * C + side * W, W, GRID_FIELD.dnu_dx * C + side * W, GRID_FIELD.d2nu_dx2 * C + side * W);
      }
      this.structures(g);
    }
  }

  /** The fused per-cell pass of a valid window: silver row flags, silver → u → EMAs → time derivatives → fields. */
  private ladder(g: WindowGrid, l0: number, span: number): void {
    const p = this.params;
    const nu0 = p.nu0;
    const nuRho = p.nu_rho;
    const nuPhi = p.nu_phi;
    const nuS = p.nu_s;
    const lamPhi = p.lambda_phi;
    const lamS = p.lambda_s;
    const { a2, a8, a32, a128, S } = this;
    const R = 2 * span;
    const oE2 = R_E2 * R;
    const oE8 = R_E8 * R;
    const oE32 = R_E32 * R;
    const oE128 = R_E128 * R;
    const oU1 = this.rU1 * R;
    const oU2 = this.rU2 * R;
    const oCur = this.rCur * R;
    const W = g.width;
    const B = g.buf;
    const C = g.cells;
    const F = GRID_FIELD;
    const gDS = F.depth_qty_start * C;
    const gDE = F.depth_qty_end * C;
    const gDR = F.depth_qty_rest * C;
    const gAQ = F.add_qty * C;
    const gPQ = F.pull_qty_total * C;
    const gFQ = F.fill_qty * C;
    const gAI = F.add_intensity * C;
    const gPI = F.pull_intensity * C;
    const gFI = F.fill_intensity * C;
    const gU = F.liquidity_velocity * C;
    const gDT = F.du_dt * C;
    const gDT2 = F.d2u_dt2 * C;
    const gE2 = F.u_ema_2 * C;
    const gE8 = F.u_ema_8 * C;
    const gE32 = F.u_ema_32 * C;
    const gE128 = F.u_ema_128 * C;
    const gRho = F.rho * C;
    const gPhi = F.phi_rest * C;
    const gKap = F.kappa * C;
    const gNu = F.nu * C;
    const gBF = F.u_band_fast * C;
    const gBM = F.u_band_mid * C;
    const gBS = F.u_band_slow * C;
    const gWE = F.u_wave_energy * C;
    const gPG = F.pressure_grad * C;
    const gWS = F.wall_strength * C;
    const gVS = F.void_strength * C;
    // Silver row flags ride along (the cells with one of the five quantities non-zero).
    const hasRow = g.hasRow;
    let rows = 0;
    for (let side = 0; side < 2; side++) {
      const c0 = side * W;
      // State index of cell c: x = xOff + c.
      const xOff = side * span + l0 - c0;
      const bid = side === 0;
      for (let c = c0; c < c0 + W; c++) {
        const x = xOff + c;
        // u from the window's silver (0 for quiet cells: add = pull = fill = 0 there). The
        // quantities are ≥ 0 and denom ≥ 1, so 0 / denom is exactly +0: skip the division.
        const ds = B[gDS + c];
        const denom = ds + 1;
        const aq = B[gAQ + c];
        const pq = B[gPQ + c];
        const fq = B[gFQ + c];
        const de = B[gDE + c];
        const has = ds !== 0 || de !== 0 || aq !== 0 || pq !== 0 || fq !== 0;
        hasRow[c] = has ? 1 : 0;
        if (has) rows++;
        const ai = aq !== 0 ? aq / denom : 0;
        const pi = pq !== 0 ? pq / denom : 0;
        const fi = fq !== 0 ? fq / denom : 0;
        const u = ai - pi - fi;
        B[gAI + c] = ai;
        B[gPI + c] = pi;
        B[gFI + c] = fi;
        B[gU + c] = u;
        S[oCur + x] = u;
        // EMAs of this level.
        let v = S[oE2 + x];
        const n2 = v + a2 * (u - v);
        S[oE2 + x] = n2;
        v = S[oE8 + x];
        const n8 = v + a8 * (u - v);
        S[oE8 + x] = n8;
        v = S[oE32 + x];
        const n32 = v + a32 * (u - v);
        S[oE32 + x] = n32;
        v = S[oE128 + x];
        const n128 = v + a128 * (u - v);
        S[oE128 + x] = n128;
        B[gE2 + c] = n2;
        B[gE8 + c] = n8;
        B[gE32 + c] = n32;
        B[gE128 + c] = n128;
        // Time derivatives against the two previous windows.
        const p1 = S[oU1 + x];
        B[gDT + c] = u - p1;
        B[gDT2 + c] = u - 2 * p1 + S[oU2 + x];
        // Per-cell fields.
        const small = de < LUT_SIZE;
        const rho = small ? LOG1P[de] : Math.log1p(de);
        const dr = B[gDR + c];
        const phi = dr !== 0 ? dr / (de + 1) : 0;
        const e32p = n32 > 0 ? n32 : 0;
        B[gRho + c] = rho;
        B[gPhi + c] = phi;
        B[gKap + c] = small ? KAPPA[de] : 1 / (1 + rho);
        B[gNu + c] = nu0 + nuRho * rho + nuPhi * phi + nuS * e32p;
        const fast = n2 - n8;
        const mid = n8 - n32;
        const slow = n32 - n128;
        B[gBF + c] = fast;
        B[gBM + c] = mid;
        B[gBS + c] = slow;
        // A sum of squares is never −0, and sqrt(+0) = +0: skip the root for quiet levels.
        const e2sum = fast * fast + mid * mid + slow * slow;
        B[gWE + c] = e2sum !== 0 ? Math.sqrt(e2sum) : 0;
        B[gPG + c] = bid ? n8 : -n8;
        B[gWS + c] = rho * (1 + lamPhi * phi) * (1 + lamS * e32p);
        B[gVS + c] = n8 < 0 ? -n8 : 0;
      }
    }
    g.rowCount = rows;
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
    const old = this.S;
    const oldR = 2 * this.span;
    const S = new Float64Array(N_REGIONS * 2 * span);
    if (this.span > 0) {
      for (let r = 0; r < N_REGIONS; r++) {
        // The current-u region is rewritten before it is read: nothing to move.
        if (r === this.rCur) continue;
        for (let side = 0; side < 2; side++) S.set(old.subarray(r * oldR + side * this.span, r * oldR + (side + 1) * this.span), r * 2 * span + side * span + shift);
      }
    }
    this.S = S;
    this.base = newLo;
    this.span = span;
  }
}

/** ladderDerivatives on one array holding the values and both outputs at the given offsets. */
function ladderDerivativesAt(a: Float64Array, v: number, n: number, d1: number, d2: number): void {
  const last = n - 1;
  a[d1] = a[v + 1] - a[v];
  a[d2] = 0;
  for (let c = 1; c < last; c++) {
    a[d1 + c] = (a[v + c + 1] - a[v + c - 1]) / 2;
    a[d2 + c] = a[v + c + 1] - 2 * a[v + c] + a[v + c - 1];
  }
  a[d1 + last] = a[v + last] - a[v + last - 1];
  a[d2 + last] = 0;
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
