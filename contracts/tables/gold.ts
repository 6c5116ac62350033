import { charEnum, col, virtualCol, type TableDecl } from '../columns';
import { CELL_VIEW_NOTE, cellKeyColumns, silverFutureCells1s } from './silver';

// Gold: normalised fields on the futures grid, per window × side × level (SPEC §3).
// Every value is computable incrementally from the previous window's state.
// Rows: exactly the cells of silver depth_and_flow_1s (a level whose five quantities are all
// zero has no row; its u is 0). EMA and u history are kept per (side, absolute price level).
// nu, rho, phi_rest and kappa are evaluated on every ladder cell (depth 0 where no row) for the
// nu ladder derivatives.
//
// physics_surface_1s is a VIEW over the stored cells (silver.future_mbo__cells_1s). Computed
// here, when read: what is an exact function of the row. The intensities and phi_rest are one
// IEEE division of two integers each (the engine divides the same doubles, so the view's value
// is bit-identical); liquidity_velocity is stored (the default field: read often); the rest are
// today's formulas over the stored doubles.

/** qty / (depth_qty_start + 1) in doubles, exactly as the engine divides. */
const perDepth = (qty: string) => `CAST("${qty}" AS DOUBLE) / (CAST("depth_qty_start" AS DOUBLE) + 1)`;
const ADD_INTENSITY = perDepth('add_qty');
const PULL_INTENSITY = perDepth('pull_qty_total');
const FILL_INTENSITY = perDepth('fill_qty');
const band = (a: string, b: string) => `("${a}" - "${b}")`;
/** Columns the view passes through from the stored cells, declared once there. */
const stored = (...names: string[]) =>
  names.map((n) => {
    const c = silverFutureCells1s.columns.find((x) => x.name === n);
    if (!c) throw new Error(`cells_1s has no column ${n}`);
    return c;
  });

export const goldFuturePhysicsSurface1s: TableDecl = {
  stage: 'gold',
  product: 'future_mbo',
  name: 'physics_surface_1s',
  meaning: 'liquidity fields per window × side × price level on the ±grid half-width ladder',
  columns: [
    ...cellKeyColumns(),
    virtualCol('add_intensity', 'f64', '1/s', 'add_qty / (depth_qty_start + 1)', ADD_INTENSITY),
    virtualCol('pull_intensity', 'f64', '1/s', 'pull_qty_total / (depth_qty_start + 1)', PULL_INTENSITY),
    virtualCol('fill_intensity', 'f64', '1/s', 'fill_qty / (depth_qty_start + 1)', FILL_INTENSITY),
    col('liquidity_velocity', 'f64', '1/s', 'u = add − pull − fill intensity (building > 0, eroding < 0)'),
    col('rho', 'f64', '', 'density log1p(depth_qty_end)'),
    virtualCol('phi_rest', 'f64', '', 'persistence depth_qty_rest / (depth_qty_end + 1)', 'CAST("depth_qty_rest" AS DOUBLE) / (CAST("depth_qty_end" AS DOUBLE) + 1)'),
    virtualCol('kappa', 'f64', '', 'permeability 1 / (1 + rho)', '1.0 / (1.0 + "rho")'),
    ...stored('nu', 'u_ema_2', 'u_ema_8', 'u_ema_32', 'u_ema_128'),
    virtualCol('u_band_fast', 'f64', '1/s', 'u_ema_2 − u_ema_8', band('u_ema_2', 'u_ema_8')),
    virtualCol('u_band_mid', 'f64', '1/s', 'u_ema_8 − u_ema_32', band('u_ema_8', 'u_ema_32')),
    virtualCol('u_band_slow', 'f64', '1/s', 'u_ema_32 − u_ema_128', band('u_ema_32', 'u_ema_128')),
    virtualCol(
      'u_wave_energy',
      'f64',
      '1/s',
      'sqrt(fast² + mid² + slow²)',
      `sqrt(${band('u_ema_2', 'u_ema_8')} * ${band('u_ema_2', 'u_ema_8')} + ${band('u_ema_8', 'u_ema_32')} * ${band('u_ema_8', 'u_ema_32')} + ${band('u_ema_32', 'u_ema_128')} * ${band('u_ema_32', 'u_ema_128')})`,
    ),
    ...stored('du_dt', 'd2u_dt2', 'du_dx', 'd2u_dx2', 'dnu_dx', 'd2nu_dx2'),
    virtualCol('pressure_grad', 'f64', '1/s', '+u_ema_8 on bids, −u_ema_8 on asks', `CASE WHEN "side" = 'B' THEN "u_ema_8" ELSE -"u_ema_8" END`),
    ...stored('wall_strength'),
    virtualCol('void_strength', 'f64', '1/s', 'V = −min(0, u_ema_8)', 'CASE WHEN "u_ema_8" < 0 THEN -"u_ema_8" ELSE 0.0 END'),
  ],
  key: ['dataset_id', 'window_end_ts_ns', 'side', 'price_int'],
  viewOf: silverFutureCells1s,
  storageNote: CELL_VIEW_NOTE,
};

/**
 * The gold fields a window can show, in the field selector's order, with their display label
 * and colouring (signed → diverging around 0). The protocol's HEATMAP_FIELDS / FIELD_INFO are
 * this object; the check below keeps it equal to the view's per-cell value columns.
 */
export const GOLD_FIELD_DISPLAY = {
  liquidity_velocity: { label: 'Liquidity velocity u (building / eroding)', signed: true },
  u_wave_energy: { label: 'Wave energy', signed: false },
  nu: { label: 'Viscosity ν', signed: false },
  pressure_grad: { label: 'Pressure gradient', signed: true },
  rho: { label: 'Density ρ = log1p(depth)', signed: false },
  kappa: { label: 'Permeability κ', signed: false },
  phi_rest: { label: 'Persistence φ (resting share)', signed: false },
  add_intensity: { label: 'Add intensity', signed: false },
  pull_intensity: { label: 'Pull intensity', signed: false },
  fill_intensity: { label: 'Fill intensity', signed: false },
  u_ema_2: { label: 'u EMA 2 s', signed: true },
  u_ema_8: { label: 'u EMA 8 s', signed: true },
  u_ema_32: { label: 'u EMA 32 s', signed: true },
  u_ema_128: { label: 'u EMA 128 s', signed: true },
  u_band_fast: { label: 'Band fast (EMA2 − EMA8)', signed: true },
  u_band_mid: { label: 'Band mid (EMA8 − EMA32)', signed: true },
  u_band_slow: { label: 'Band slow (EMA32 − EMA128)', signed: true },
  du_dt: { label: 'du/dt', signed: true },
  d2u_dt2: { label: 'd²u/dt²', signed: true },
  du_dx: { label: 'du/dx', signed: true },
  d2u_dx2: { label: 'd²u/dx²', signed: true },
  dnu_dx: { label: 'dν/dx', signed: true },
  d2nu_dx2: { label: 'd²ν/dx²', signed: true },
  wall_strength: { label: 'Wall strength O', signed: false },
  void_strength: { label: 'Void strength V', signed: false },
} as const satisfies Record<string, { label: string; signed: boolean }>;

/** The gold view's per-cell value columns (every column but the cell key), in declaration order. */
export const GOLD_VALUE_COLUMNS: readonly string[] = (() => {
  const keys = new Set(cellKeyColumns().map((c) => c.name));
  return goldFuturePhysicsSurface1s.columns.filter((c) => !keys.has(c.name)).map((c) => c.name);
})();

{
  const values = [...GOLD_VALUE_COLUMNS].sort();
  const shown = Object.keys(GOLD_FIELD_DISPLAY).sort();
  if (values.join(',') !== shown.join(',')) throw new Error(`GOLD_FIELD_DISPLAY (${shown.join(',')}) differs from the gold view's value columns (${values.join(',')})`);
}

// Per-window structures on the ladder: the nearest walls and voids above and below spot.
// Above spot = ask-side levels with rel_ticks ≥ 0, below = bid-side levels with rel_ticks ≤ 0
// (the liquidity price has to cross); a level qualifies when its strength reaches the
// parameter file's minimum; rank 1 is the nearest.
export const goldFutureWallsVoids1s: TableDecl = {
  stage: 'gold',
  product: 'future_mbo',
  name: 'walls_voids_1s',
  meaning: 'per valid window: the nearest top-N walls (wall_strength) and voids (void_strength) above and below spot_ref',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    charEnum('kind', ['V', 'W'], 'W wall, V void'),
    charEnum('direction', ['D', 'U'], 'U above spot (ask side), D below spot (bid side)'),
    col('rank', 'u8', '', '1 = nearest to spot'),
    charEnum('side', ['A', 'B'], 'B bid, A ask'),
    col('price_int', 'price_int', '1e-9 USD', 'absolute price of the level'),
    col('rel_ticks', 'i32', 'ticks', '(price − spot_ref) / tick'),
    col('strength', 'f64', '', 'wall_strength O or void_strength V of the level'),
  ],
  key: ['dataset_id', 'window_end_ts_ns', 'kind', 'direction', 'rank'],
};

// Per-window front: where liquidity velocity changes sharply along the ladder near the touch.
export const goldFutureFront1s: TableDecl = {
  stage: 'gold',
  product: 'future_mbo',
  name: 'front_1s',
  meaning: 'per valid window: the largest |du_dx| within front_near_ticks of spot_ref and whether it is a front',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    col('spot_ref_price_int', 'price_int', '1e-9 USD', 'spot_ref of the window'),
    col('front', 'bool', '', 'front_strength ≥ front_threshold'),
    col('front_strength', 'f64', '1/(s·tick)', 'max |du_dx| over both sides within front_near_ticks of spot'),
    charEnum('front_side', ['A', 'B'], 'side of the level where the maximum occurs (B bid, A ask)'),
    col('front_rel_ticks', 'i32', 'ticks', 'rel_ticks of that level'),
  ],
  key: ['dataset_id', 'window_end_ts_ns'],
};
