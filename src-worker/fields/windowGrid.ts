// One closed 1-s window, dense over the ±half-width ladder of both sides (SPEC §3).
// Cell c = side * width + (rel_ticks + half), side 0 = bid, 1 = ask. The engine reuses one
// instance: consumers (DuckDB writer, frames, tests) must copy what they keep before the
// next window closes.
//
// Every per-cell float array is a view into one Float64Array (`buf`, field k at k · cells).
// Consumers read the named arrays; the engine's hot loops index `buf` with the offsets in
// GRID_FIELD (in V8 each distinct typed array touched in a loop costs its own base and length
// checks: one array for 32 fields makes the gold pass ≈ 4× cheaper).

/**
 * Position of each float field in WindowGrid.buf (field k occupies [k · cells, (k + 1) · cells)),
 * keyed by the contract's column name (silver cells_1s / gold physics_surface_1s), so a heatmap
 * field (HEATMAP_FIELDS, gold's column names) indexes it directly. The engine's named arrays
 * (g.u, g.ema8, …) are views at these offsets.
 */
export const GRID_FIELD = {
  depth_qty_start: 0,
  depth_qty_end: 1,
  add_qty: 2,
  pull_qty_total: 3,
  pull_qty_rest: 4,
  fill_qty: 5,
  depth_qty_rest: 6,
  add_intensity: 7,
  pull_intensity: 8,
  fill_intensity: 9,
  liquidity_velocity: 10,
  rho: 11,
  phi_rest: 12,
  kappa: 13,
  nu: 14,
  u_ema_2: 15,
  u_ema_8: 16,
  u_ema_32: 17,
  u_ema_128: 18,
  u_band_fast: 19,
  u_band_mid: 20,
  u_band_slow: 21,
  u_wave_energy: 22,
  du_dt: 23,
  d2u_dt2: 24,
  du_dx: 25,
  d2u_dx2: 26,
  dnu_dx: 27,
  d2nu_dx2: 28,
  pressure_grad: 29,
  wall_strength: 30,
  void_strength: 31,
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
    this.depthStart = f(F.depth_qty_start);
    this.depthEnd = f(F.depth_qty_end);
    this.addQty = f(F.add_qty);
    this.pullQty = f(F.pull_qty_total);
    this.pullRest = f(F.pull_qty_rest);
    this.fillQty = f(F.fill_qty);
    this.depthRest = f(F.depth_qty_rest);
    this.hasRow = new Uint8Array(cells);
    this.addIntensity = f(F.add_intensity);
    this.pullIntensity = f(F.pull_intensity);
    this.fillIntensity = f(F.fill_intensity);
    this.u = f(F.liquidity_velocity);
    this.rho = f(F.rho);
    this.phiRest = f(F.phi_rest);
    this.kappa = f(F.kappa);
    this.nu = f(F.nu);
    this.ema2 = f(F.u_ema_2);
    this.ema8 = f(F.u_ema_8);
    this.ema32 = f(F.u_ema_32);
    this.ema128 = f(F.u_ema_128);
    this.bandFast = f(F.u_band_fast);
    this.bandMid = f(F.u_band_mid);
    this.bandSlow = f(F.u_band_slow);
    this.waveEnergy = f(F.u_wave_energy);
    this.duDt = f(F.du_dt);
    this.d2uDt2 = f(F.d2u_dt2);
    this.duDx = f(F.du_dx);
    this.d2uDx2 = f(F.d2u_dx2);
    this.dnuDx = f(F.dnu_dx);
    this.d2nuDx2 = f(F.d2nu_dx2);
    this.pressureGrad = f(F.pressure_grad);
    this.wallStrength = f(F.wall_strength);
    this.voidStrength = f(F.void_strength);
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
