// ForecastFeatureStep: the engine step (after gold) that turns each closed window's grid into
// one FeatureRow (SPEC §4 inputs, contracts/tables/forecast.ts). Incremental: its only state
// is the previous window's BBO (for the OFI term), so batch and streaming give identical rows.
//
// Geometry: signed distance x from spot, bids below (bid levels rel_ticks ≤ 0, d = −rel),
// asks above (ask levels rel_ticks ≥ 0, d = rel); both sides count at d = 0. Field terms read
// the window's gold rows only (a level without a row is an empty level: rho = phi_rest = 0,
// kappa = 1, no u_ema terms), so the row equals a recomputation from the stored gold table.
import { FORECAST_KS, FORECAST_SIGMAS } from '../../contracts/params';
import { NU_COMPONENTS, WAVE_NEAR_TICKS } from '../../contracts/tables/forecast';
import { emaAlpha } from '../fields/goldFields';
import { GRID_FIELD, type WindowGrid } from '../fields/windowGrid';
import type { WindowStep } from '../fields/windowStep';
import { emptyFeatureRow, N_KS, N_SIGMAS, resetFeatureRow, type FeatureRow } from './featureRow';

const A8 = emaAlpha(8);
/** Per-window change of u_ema_8 from this window's values: α(u − ema_t−1) = α(u − ema_t)/(1 − α). */
const SLOPE8 = A8 / (1 - A8);
// Module-local copies: an imported binding read in a hot loop is a property load through the
// module namespace (a getter under esbuild/tsx), ~3× the cost of this whole step.
const NC = NU_COMPONENTS.length;
const KS: readonly number[] = [...FORECAST_KS];
const NK = N_KS;
const NS = N_SIGMAS;
const MAX_K = Math.max(...KS);
const WAVE_D = WAVE_NEAR_TICKS;

/** Gaussian kernel weights exp(−d²/2σ²) per σ, d = 0…half. */
function kernelTable(half: number): Float64Array {
  const t = new Float64Array(N_SIGMAS * (half + 1));
  FORECAST_SIGMAS.forEach((s, i) => {
    for (let d = 0; d <= half; d++) t[i * (half + 1) + d] = Math.exp(-(d * d) / (2 * s * s));
  });
  return t;
}

/** Viscosity weights per cell at distance d ≤ K (two cells per d), normalised to sum 1. */
export function nuWeight(shape: 'flat' | 'triangular', k: number, d: number): number {
  return shape === 'flat' ? 1 / (2 * (k + 1)) : (k + 1 - d) / ((k + 1) * (k + 2));
}

export class ForecastFeatureStep implements WindowStep {
  readonly name = 'forecast_features';
  private kernel: Float64Array | null = null;
  private kernelHalf = -1;
  private prevValid = false;
  private prevBid = 0;
  private prevBidQty = 0;
  private prevAsk = 0;
  private prevAskQty = 0;
  /** The last row made (also handed to onRow). Reused by the next window: copy what you keep (cloneFeatureRow). */
  last: FeatureRow | null = null;
  private readonly row: FeatureRow = emptyFeatureRow(0);
  /** nuWeight(shape, K, d) for every shape × K × d ≤ K, at (sh · N_KS + ki) · (MAX_K + 1) + d. */
  private readonly nuW: Float64Array;
  /** Scratch of the F pass: per active distance, the pressure and slope sums (both sides). */
  private gScratch = new Float64Array(0);
  private sScratch = new Float64Array(0);
  private active = new Int32Array(0);

  /** `onRow` gets the window's row, reused by the next window (like the engine's grid): copy what you keep. */
  constructor(private readonly onRow: (row: FeatureRow) => void = () => undefined) {
    this.nuW = new Float64Array(2 * N_KS * (MAX_K + 1));
    for (let sh = 0; sh < 2; sh++)
      for (let ki = 0; ki < N_KS; ki++)
        for (let d = 0; d <= FORECAST_KS[ki]; d++) this.nuW[(sh * N_KS + ki) * (MAX_K + 1) + d] = nuWeight(sh === 0 ? 'flat' : 'triangular', FORECAST_KS[ki], d);
  }

  onWindow(g: WindowGrid): void {
    const row = this.row;
    resetFeatureRow(row, g.windowSec);
    row.bestBidTick = g.bestBidTick;
    row.bestBidQty = g.bestBidQty;
    row.bestAskTick = g.bestAskTick;
    row.bestAskQty = g.bestAskQty;
    row.lastTradePriceInt = g.lastTradePriceInt;
    if (g.valid) {
      row.valid = true;
      row.spotTick = g.spotTick;
      if (this.prevValid) row.ofiE = ofiTerm(this.prevBid, this.prevBidQty, this.prevAsk, this.prevAskQty, g.bestBidTick, g.bestBidQty, g.bestAskTick, g.bestAskQty);
      this.fieldTerms(g, row);
    }
    this.prevValid = g.valid;
    this.prevBid = g.bestBidTick;
    this.prevBidQty = g.bestBidQty;
    this.prevAsk = g.bestAskTick;
    this.prevAskQty = g.bestAskQty;
    this.last = row;
    this.onRow(row);
  }

  private fieldTerms(g: WindowGrid, row: FeatureRow): void {
    const half = g.half;
    const W = g.width;
    const C = g.cells;
    if (this.kernelHalf !== half) {
      this.kernel = kernelTable(half);
      this.kernelHalf = half;
      this.gScratch = new Float64Array(half + 1);
      this.sScratch = new Float64Array(half + 1);
      this.active = new Int32Array(half + 1);
    }
    const kern = this.kernel!;
    const H1 = half + 1;
    const buf = g.buf;
    const has = g.hasRow;
    const oPg = GRID_FIELD.pressure_grad * C;
    const oU = GRID_FIELD.liquidity_velocity * C;
    const oE8 = GRID_FIELD.u_ema_8 * C;
    const oE32 = GRID_FIELD.u_ema_32 * C;
    const oRho = GRID_FIELD.rho * C;
    const oPhi = GRID_FIELD.phi_rest * C;
    const oWave = GRID_FIELD.u_wave_energy * C;
    const oKap = GRID_FIELD.kappa * C;

    // ---- F and its slope per σ: per-distance sums first, then one scalar accumulator per σ ----
    const f = row.f;
    const fs = row.fSlope;
    const gd = this.gScratch;
    const sd = this.sScratch;
    const act = this.active;
    let na = 0;
    for (let d = 0; d <= half; d++) {
      const cb = half - d;
      const ca = W + half + d;
      let gs = 0;
      let ss = 0;
      if (has[cb] !== 0) {
        gs += buf[oPg + cb];
        ss += SLOPE8 * (buf[oU + cb] - buf[oE8 + cb]);
      }
      if (has[ca] !== 0) {
        gs += buf[oPg + ca];
        ss -= SLOPE8 * (buf[oU + ca] - buf[oE8 + ca]);
      }
      if (gs === 0 && ss === 0) continue;
      gd[na] = gs;
      sd[na] = ss;
      act[na++] = d;
    }
    for (let s = 0; s < NS; s++) {
      const k0 = s * H1;
      let acc = 0;
      let accS = 0;
      for (let j = 0; j < na; j++) {
        const w = kern[k0 + act[j]];
        acc += w * gd[j];
        accS += w * sd[j];
      }
      f[s] = acc;
      fs[s] = accS;
    }

    // ---- nu_local components per shape × K (cells within K of spot on their side) ----
    const nu = row.nu.fill(0);
    const nuW = this.nuW;
    const lim = Math.min(MAX_K, half);
    for (let d = 0; d <= lim; d++) {
      const cb = half - d;
      const ca = W + half + d;
      const rho = buf[oRho + cb] + buf[oRho + ca];
      const phi = buf[oPhi + cb] + buf[oPhi + ca];
      let s = 0;
      if (has[cb] !== 0 && buf[oE32 + cb] > 0) s += buf[oE32 + cb];
      if (has[ca] !== 0 && buf[oE32 + ca] > 0) s += buf[oE32 + ca];
      for (let ki = 0; ki < NK; ki++) {
        const k = KS[ki];
        if (d > k) continue;
        for (let sh = 0; sh < 2; sh++) {
          const w = nuW[(sh * NK + ki) * (MAX_K + 1) + d];
          const o = (sh * NK + ki) * NC;
          nu[o] += 2 * w;
          nu[o + 1] += w * rho;
          nu[o + 2] += w * phi;
          nu[o + 3] += w * s;
          // o + 4: S_opt stays 0 until option books exist.
        }
      }
    }

    // ---- kappa asymmetry: the K levels out from each touch ----
    const relAsk = g.bestAskTick - g.spotTick;
    const relBid = g.bestBidTick - g.spotTick;
    for (let ki = 0; ki < NK; ki++) {
      const k = KS[ki];
      let sa = 0;
      let na = 0;
      let sb = 0;
      let nb = 0;
      for (let j = 0; j < k; j++) {
        const ra = relAsk + j;
        if (ra <= half) {
          sa += buf[oKap + W + half + ra];
          na++;
        }
        const rb = relBid - j;
        if (rb >= -half) {
          sb += buf[oKap + half + rb];
          nb++;
        }
      }
      row.kappaAsym[ki] = na > 0 && nb > 0 ? sa / na - sb / nb : NaN;
    }

    // ---- wave energy near spot ----
    let we = 0;
    let n = 0;
    for (let d = 0; d <= Math.min(WAVE_D, half); d++) {
      const cb = half - d;
      const ca = W + half + d;
      if (has[cb] !== 0) we += buf[oWave + cb];
      if (has[ca] !== 0) we += buf[oWave + ca];
      n += 2;
    }
    row.waveEnergyNear = we / n;

    // ---- nearest wall / void (gold's rank 1) ----
    row.wallAboveTicks = g.wallsAbove[0] >= 0 ? g.relOf(g.wallsAbove[0]) : NaN;
    row.wallBelowTicks = g.wallsBelow[0] >= 0 ? 0 - g.relOf(g.wallsBelow[0]) : NaN;
    row.voidAboveTicks = g.voidsAbove[0] >= 0 ? g.relOf(g.voidsAbove[0]) : NaN;
    row.voidBelowTicks = g.voidsBelow[0] >= 0 ? 0 - g.relOf(g.voidsBelow[0]) : NaN;
  }
}

/**
 * Cont, Kukanov & Stoikov (2014) order-flow imbalance term between two consecutive BBOs
 * (prices as ticks): e = 1{Pb ≥ Pb'}·qb − 1{Pb ≤ Pb'}·qb' − 1{Pa ≤ Pa'}·qa + 1{Pa ≥ Pa'}·qa'.
 */
export function ofiTerm(pb0: number, qb0: number, pa0: number, qa0: number, pb: number, qb: number, pa: number, qa: number): number {
  return (pb >= pb0 ? qb : 0) - (pb <= pb0 ? qb0 : 0) - (pa <= pa0 ? qa : 0) + (pa >= pa0 ? qa0 : 0);
}
