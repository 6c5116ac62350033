import { charEnum, col, type TableDecl } from '../columns';

// Silver: book reconstruction and physically meaningful primitives, one row per 1-s window
// (book_snapshot_1s) or per window × side × price level (depth_and_flow_1s). SPEC §3.

export const silverFutureBookSnapshot1s: TableDecl = {
  stage: 'silver',
  product: 'future_mbo',
  name: 'book_snapshot_1s',
  meaning: 'book state at each 1-s window start inside the session window',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_start_ts_ns', 'ts_ns', 'ns', 'window start k·1e9 (UTC, by ts_recv)'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    col('best_bid_price_int', 'price_int', '1e-9 USD', 'best bid at window start', true),
    col('best_bid_qty', 'u32', 'contracts', 'resting quantity at the best bid at window start'),
    col('best_ask_price_int', 'price_int', '1e-9 USD', 'best ask at window start', true),
    col('best_ask_qty', 'u32', 'contracts', 'resting quantity at the best ask at window start'),
    col('mid_price', 'f64', 'USD', '(best bid + best ask) / 2 at window start', true),
    col('last_trade_price_int', 'price_int', '1e-9 USD', 'price of the most recent T before window start', true),
    col('spot_ref_price_int', 'price_int', '1e-9 USD', 'reference price for the window grid (SPEC §3); NULL when the book is invalid', true),
    col('book_valid', 'bool', '', 'both sides present and best bid < best ask at window start'),
  ],
  key: ['dataset_id', 'window_end_ts_ns'],
};

const flowColumns = () => [
  col('depth_qty_start', 'u32', 'contracts', 'resting quantity at the level at window start'),
  col('depth_qty_end', 'u32', 'contracts', 'resting quantity at the level at window end'),
  col('add_qty', 'u32', 'contracts', 'quantity that arrived at the level (A, M into the level, M size increase)'),
  col('pull_qty_total', 'u32', 'contracts', 'quantity withdrawn not by trading (C beyond pending fill, M away, M size decrease)'),
  col('pull_qty_rest', 'u32', 'contracts', 'part of pull_qty_total withdrawn from orders older than the resting threshold'),
  col('fill_qty', 'u32', 'contracts', 'quantity traded against resting orders at the level'),
  col('depth_qty_rest', 'u32', 'contracts', 'quantity at window end in orders older than the resting threshold'),
];

/** The key of a grid cell: window × side × price level, with its place on the ladder (the stored cells and both views). */
export const cellKeyColumns = () => [
  col('dataset_id', 'u32', '', 'catalog.datasets row'),
  col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
  charEnum('side', ['A', 'B'], 'B bid, A ask'),
  col('price_int', 'price_int', '1e-9 USD', 'absolute price of the level'),
  col('spot_ref_price_int', 'price_int', '1e-9 USD', 'spot_ref of the window'),
  col('rel_ticks', 'i32', 'ticks', '(price − spot_ref) / tick'),
  col('rel_ticks_side', 'i32', 'ticks', 'bids: (price − best bid) / tick; asks: (price − best ask) / tick, at window start'),
];

/**
 * Why the per-cell grid is one stored table with two views over it: silver depth_and_flow_1s and
 * gold physics_surface_1s have exactly the same rows, and DuckDB's write cost is per stored value.
 */
export const CELL_STORE_NOTE =
  'Stored once per cell and read through two VIEWS with the same rows: silver `depth_and_flow_1s` and gold ' +
  '`physics_surface_1s`. Why: DuckDB\'s write cost is per stored value (on the 2-core VM ~20 ns per integer, ~50 ns per ' +
  'DOUBLE, and VIRTUAL generated columns are evaluated on every append). The real ESH4 hour (1.44 M cells) used to store ' +
  '14 silver + 24 gold values per cell in two tables, plus 8 VIRTUAL gold columns; now 28 values in one table without ' +
  'generated columns. Paired on this VM: the cell write alone (bench/cellStore.ts: INSERT … SELECT, one thread, median ' +
  'of 5, at 27 values) 3.19 → 1.29 CPU-s; a whole build (CLI ingest) DuckDB write 2.9 → 1.5 s and 6.0 → 4.4 CPU-s ' +
  '(medians of 5); file 158 → 133 MB. liquidity_velocity is stored although the row determines it: it is the default ' +
  'field, and computed in the view a 900-window slab of it read 21 → 28 ms CPU, for ~48 ms of write saved. Reads of ' +
  'the other computed columns cost about the same as before (paired bench:replay). ' +
  'Writers fill this table and deletes go here; queries use the views.';

export const CELL_VIEW_NOTE =
  'A VIEW over `silver.future_mbo__cells_1s` (why: see there). It reads like a table with exactly these columns, types ' +
  'and values; columns marked (computed) are evaluated when read with the engine\'s own IEEE operations (the ' +
  'intensities and phi_rest are one division of two integers each), so they equal the engine\'s values bit for bit.';

// One row per grid cell (window × side × price level with any of the five quantities non-zero):
// what depth_and_flow_1s and physics_surface_1s show, stored once. The gold values here are the
// ones that depend on other rows (EMAs, derivatives) or on the parameter file (nu,
// wall_strength), and rho, kept as the engine's Math.log1p (DuckDB's ln/log1p may differ in the
// last ulp). No generated columns: DuckDB would evaluate them on every append.
export const silverFutureCells1s: TableDecl = {
  stage: 'silver',
  product: 'future_mbo',
  name: 'cells_1s',
  meaning:
    'the stored per-cell grid (window × side × price level within ±grid half-width of spot_ref): silver quantities and the gold values not computable from the row; read it through depth_and_flow_1s and physics_surface_1s',
  columns: [
    ...cellKeyColumns(),
    ...flowColumns(),
    // Stored although the row determines it: it is the window's default field, and computing it
    // in the view made the replay's slab reads ~35 % slower (bench/cellStore.ts) for ~48 ms of write.
    col('liquidity_velocity', 'f64', '1/s', 'u = add − pull − fill intensity, as the engine computed it'),
    col('rho', 'f64', '', 'density log1p(depth_qty_end), as the engine computed it'),
    col('nu', 'f64', '', 'viscosity nu0 + nu_rho·rho + nu_phi·phi_rest + nu_s·max(0, u_ema_32) (weights from the parameter file)'),
    col('u_ema_2', 'f64', '1/s', 'causal EMA of u, τ = 2 s'),
    col('u_ema_8', 'f64', '1/s', 'causal EMA of u, τ = 8 s'),
    col('u_ema_32', 'f64', '1/s', 'causal EMA of u, τ = 32 s'),
    col('u_ema_128', 'f64', '1/s', 'causal EMA of u, τ = 128 s'),
    col('du_dt', 'f64', '1/s²', 'u(t) − u(t−1)'),
    col('d2u_dt2', 'f64', '1/s³', 'u(t) − 2u(t−1) + u(t−2)'),
    col('du_dx', 'f64', '1/(s·tick)', 'central difference of u along the side’s ladder (one-sided at the edges)'),
    col('d2u_dx2', 'f64', '1/(s·tick²)', 'second difference of u along the ladder (0 at the edges)'),
    col('dnu_dx', 'f64', '1/tick', 'central difference of nu along the ladder'),
    col('d2nu_dx2', 'f64', '1/tick²', 'second difference of nu along the ladder'),
    col('wall_strength', 'f64', '', 'O = rho·(1 + λφ·phi_rest)·(1 + λs·max(0, u_ema_32))'),
  ],
  key: ['dataset_id', 'window_end_ts_ns', 'side', 'price_int'],
  storageNote: CELL_STORE_NOTE,
};

export const silverFutureDepthAndFlow1s: TableDecl = {
  stage: 'silver',
  product: 'future_mbo',
  name: 'depth_and_flow_1s',
  meaning: 'per window × side × price level within ±grid half-width of spot_ref: depth and the flows that changed it',
  columns: [...cellKeyColumns(), ...flowColumns()],
  key: ['dataset_id', 'window_end_ts_ns', 'side', 'price_int'],
  viewOf: silverFutureCells1s,
  storageNote: CELL_VIEW_NOTE,
};

export const silverOptionDepthAndFlow1s: TableDecl = {
  stage: 'silver',
  product: 'future_option_mbo',
  name: 'depth_and_flow_1s',
  meaning: 'per window × strike bucket × right × side: option depth and flows summed over the instruments of the bucket',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    col('strike_price_int', 'price_int', '1e-9 USD', 'strike bucket ($5 grid)'),
    charEnum('right', ['C', 'P'], 'C call, P put'),
    charEnum('side', ['A', 'B'], 'B bid, A ask'),
    col('spot_ref_price_int', 'price_int', '1e-9 USD', 'futures spot_ref of the window'),
    col('rel_ticks', 'i32', 'futures ticks', '(strike − spot_ref) / futures tick'),
    ...flowColumns(),
  ],
  key: ['dataset_id', 'window_end_ts_ns', 'strike_price_int', 'right', 'side'],
};
