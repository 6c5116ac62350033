// One closed 1-s window, dense over the ±half-width ladder of both sides (SPEC §3).
// Cell c = side * width + (rel_ticks + half), side 0 = bid, 1 = ask. The engine reuses one
// instance: consumers (DuckDB writer, frames, tests) must copy what they keep before the
// next window closes.
//
// Every per-cell float array is a view into one Float64Array (`buf`, field k at k · cells).
// Consumers read the named arrays; the engine's hot loops index `buf` with the offsets in
// GRID_FIELD (in V8 each distinct typed array touched in a loop costs its own base and length
// checks: one array for 32 fields makes the gold pass ≈ 4× cheaper).

/** Position of each float field in WindowGrid.buf (field k occupies [k · cells, (k + 1) · cells)). */
export const GRID_FIELD = {
  depthStart: 0,
  depthEnd: 1,
  addQty: 2,
  pullQty: 3,
  pullRest: 4,
  fillQty: 5,
  depthRest: 6,
  addIntensity: 7,
  pullIntensity: 8,
  fillIntensity: 9,
  u: 10,
  rho: 11,
  phiRest: 12,
  kappa: 13,
  nu: 14,
  ema2: 15,
  ema8: 16,
  ema32: 17,
  ema128: 18,
  bandFast: 19,
  bandMid: 20,
  bandSlow: 21,
  waveEnergy: 22,
  duDt: 23,
  d2uDt2: 24,
  duDx: 25,
  d2uDx2: 26,
  dnuDx: 27,
  d2nuDx2: 28,
  pressureGrad: 29,
  wallStrength: 30,
  voidStrength: 31,
} as const;
const N_FIELDS = 32;

export class WindowGrid {
  readonly half: number;
  /** Ladder width per side (2·half + 1). */
  readonly width: number;
  readonly cells: number;

  /** Window start in whole UTC seconds (k); window_end_ts_ns = (k + 1)·1e9. */
  windowSec = 0;
  valid = false;
  /** Book at window start; ticks are absolute tick indices (price / tick), NaN when absent. */
  bestBidTick = NaN;
  bestBidQty = 0;
  bestAskTick = NaN;
  bestAskQty = 0;
  /** Price (1e-9 units) of the most recent T before window start; NaN when none. */
  lastTradePriceInt = NaN;
  /** spot_ref as an absolute tick (NaN when the window is invalid). */
  spotTick = NaN;

  /** All float fields, field k at [k · cells, (k + 1) · cells) (see GRID_FIELD). */
  readonly buf: Float64Array;

  // ---- silver, per cell ----
  readonly depthStart: Float64Array;
  readonly depthEnd: Float64Array;
  readonly addQty: Float64Array;
  readonly pullQty: Float64Array;
  readonly pullRest: Float64Array;
  readonly fillQty: Float64Array;
  readonly depthRest: Float64Array;
  /** 1 when the cell has a silver/gold row (one of the five quantities is non-zero). */
  readonly hasRow: Uint8Array;
  rowCount = 0;

  // ---- gold, per cell ----
  readonly addIntensity: Float64Array;
  readonly pullIntensity: Float64Array;
  readonly fillIntensity: Float64Array;
  readonly u: Float64Array;
  readonly rho: Float64Array;
  readonly phiRest: Float64Array;
  readonly kappa: Float64Array;
  readonly nu: Float64Array;
  readonly ema2: Float64Array;
  readonly ema8: Float64Array;
  readonly ema32: Float64Array;
  readonly ema128: Float64Array;
  readonly bandFast: Float64Array;
  readonly bandMid: Float64Array;
  readonly bandSlow: Float64Array;
  readonly waveEnergy: Float64Array;
  readonly duDt: Float64Array;
  readonly d2uDt2: Float64Array;
  readonly duDx: Float64Array;
  readonly d2uDx2: Float64Array;
  readonly dnuDx: Float64Array;
  readonly d2nuDx2: Float64Array;
  readonly pressureGrad: Float64Array;
  readonly wallStrength: Float64Array;
  readonly voidStrength: Float64Array;

  // ---- per-window structures (walls / voids above and below spot, front) ----
  /** Cells of the nearest walls above (ask side) / below (bid side), nearest first; -1 = none. */
  readonly wallsAbove: Int32Array;
  readonly wallsBelow: Int32Array;
  readonly voidsAbove: Int32Array;
  readonly voidsBelow: Int32Array;
  front = false;
  /** max |du_dx| near the touch and the cell where it occurs (-1 when the window is invalid). */
  frontStrength = 0;
  frontCell = -1;

  constructor(half: number, topN: number) {
    this.half = half;
    this.width = 2 * half + 1;
    this.cells = 2 * this.width;
    const cells = this.cells;
    this.buf = new Float64Array(N_FIELDS * cells);
    const f = (k: number) => this.buf.subarray(k * cells, (k + 1) * cells);
    const F = GRID_FIELD;
    this.depthStart = f(F.depthStart);
    this.depthEnd = f(F.depthEnd);
    this.addQty = f(F.addQty);
    this.pullQty = f(F.pullQty);
    this.pullRest = f(F.pullRest);
    this.fillQty = f(F.fillQty);
    this.depthRest = f(F.depthRest);
    this.hasRow = new Uint8Array(cells);
    this.addIntensity = f(F.addIntensity);
    this.pullIntensity = f(F.pullIntensity);
    this.fillIntensity = f(F.fillIntensity);
    this.u = f(F.u);
    this.rho = f(F.rho);
    this.phiRest = f(F.phiRest);
    this.kappa = f(F.kappa);
    this.nu = f(F.nu);
    this.ema2 = f(F.ema2);
    this.ema8 = f(F.ema8);
    this.ema32 = f(F.ema32);
    this.ema128 = f(F.ema128);
    this.bandFast = f(F.bandFast);
    this.bandMid = f(F.bandMid);
    this.bandSlow = f(F.bandSlow);
    this.waveEnergy = f(F.waveEnergy);
    this.duDt = f(F.duDt);
    this.d2uDt2 = f(F.d2uDt2);
    this.duDx = f(F.duDx);
    this.d2uDx2 = f(F.d2uDx2);
    this.dnuDx = f(F.dnuDx);
    this.d2nuDx2 = f(F.d2nuDx2);
    this.pressureGrad = f(F.pressureGrad);
    this.wallStrength = f(F.wallStrength);
    this.voidStrength = f(F.voidStrength);
    const n = Math.max(topN, 1);
    this.wallsAbove = new Int32Array(n).fill(-1);
    this.wallsBelow = new Int32Array(n).fill(-1);
    this.voidsAbove = new Int32Array(n).fill(-1);
    this.voidsBelow = new Int32Array(n).fill(-1);
  }

  /** Side (0 bid, 1 ask) of a cell. */
  sideOf(c: number): number {
    return c < this.width ? 0 : 1;
  }
  /** rel_ticks of a cell. */
  relOf(c: number): number {
    return (c < this.width ? c : c - this.width) - this.half;
  }
  /** Absolute tick of a cell (valid windows only). */
  tickOf(c: number): number {
    return this.spotTick + this.relOf(c);
  }
}

/**
 * The grid's public output, by name: what consumers may read after a window closes. Digests
 * (golden tests, bench/engineCompute --digest) walk exactly these, so internal fields can be
 * added without changing what "identical output" means.
 */
export const GRID_OUTPUT_KEYS = [
  'addIntensity', 'addQty', 'bandFast', 'bandMid', 'bandSlow', 'bestAskQty', 'bestAskTick', 'bestBidQty', 'bestBidTick', 'cells',
  'd2nuDx2', 'd2uDt2', 'd2uDx2', 'depthEnd', 'depthRest', 'depthStart', 'dnuDx', 'duDt', 'duDx', 'ema128', 'ema2', 'ema32', 'ema8',
  'fillIntensity', 'fillQty', 'front', 'frontCell', 'frontStrength', 'half', 'hasRow', 'kappa', 'lastTradePriceInt', 'nu', 'phiRest',
  'pressureGrad', 'pullIntensity', 'pullQty', 'pullRest', 'rho', 'rowCount', 'spotTick', 'u', 'valid', 'voidStrength', 'voidsAbove',
  'voidsBelow', 'wallStrength', 'wallsAbove', 'wallsBelow', 'waveEnergy', 'width', 'windowSec',
] as const;

/** Feed a window's whole output to a hash: scalars as `name=value;`, arrays as their bytes. */
export function hashGridOutput(g: WindowGrid, update: (data: string | Uint8Array) => void): void {
  const rec = g as unknown as Record<string, unknown>;
  for (const k of GRID_OUTPUT_KEYS) {
    const v = rec[k];
    if (ArrayBuffer.isView(v)) update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else update(`${k}=${String(v)};`);
  }
}
