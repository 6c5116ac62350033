import { col, type ColumnDecl, type FrameDecl } from './columns';
import { FIELD_INFO, HEATMAP_FIELDS } from './protocol';

// Arrow IPC frames sent from the engine to the window (SPEC §6). Each is one record batch;
// its columns are declared here once and generated into contracts/generated/arrow.ts.
// Envelope payload parts (contracts/envelope.ts):
//   frame → parts named by its `layers`: snap, grid, then forecast, forecast_inputs when the
//           window has a forecast            one live 1-s window
//   slab  → [slab_windows, slab_cells]  many windows for scrubbing / zooming
//   overlays → [walls_voids?, trades?]  per requested overlay kind, for a range of windows
//   forecasts → [forecast]         forecasts made at many windows (history, fetch_forecasts)

const fieldColumns = (): ColumnDecl[] =>
  HEATMAP_FIELDS.map((f) => col(f, 'f32', '', `${FIELD_INFO[f].label} (gold.${f}); 0 where the cell has no row`));

const snapColumns = (): ColumnDecl[] => [
  col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9'),
  col('spot_ref_price_int', 'price_int', '1e-9 USD', 'spot_ref of the window; null when the book is invalid', true),
  col('best_bid_price_int', 'price_int', '1e-9 USD', 'best bid at window start', true),
  col('best_bid_qty', 'u32', 'contracts', 'quantity at the best bid'),
  col('best_ask_price_int', 'price_int', '1e-9 USD', 'best ask at window start', true),
  col('best_ask_qty', 'u32', 'contracts', 'quantity at the best ask'),
  col('last_trade_price_int', 'price_int', '1e-9 USD', 'most recent trade price', true),
  col('book_valid', 'bool', '', 'both sides present and not crossed/locked'),
];

/** Forecasts made at the close of a window: one row per family × horizon (contracts/forecast.ts). */
const forecastColumns = (): ColumnDecl[] => [
  col('window_end_ts_ns', 'ts_ns', 'ns', 'window at whose close the forecast was made (its spot is the origin)'),
  col('family', 'u8', '', 'index into FORECAST_FAMILIES (particle, perm_derivative, no_change, queue_imbalance, microprice, ofi)'),
  col('horizon_s', 'u8', 's', 'seconds ahead, 1…30'),
  col('spot_tick', 'f64', 'ticks', 'spot_ref / tick at the origin window'),
  col('predicted_tick', 'f64', 'ticks', 'predicted spot (absolute tick, fractional)'),
  col('band_lo_tick', 'f64', 'ticks', 'lower edge of the confidence band'),
  col('band_hi_tick', 'f64', 'ticks', 'upper edge of the confidence band'),
  col('direction', 'i8', '', 'sign of predicted − spot: −1, 0, +1'),
  col('confidence', 'f32', '', 'family-specific confidence (particle: |F| / (nu_local + ε)); 0 when none'),
  col('prob_up', 'f32', '', 'probability the move is up, where the family gives one', true),
];

/** What drove a forecast, for the margin's tooltip: one row per family × input. */
const forecastInputColumns = (): ColumnDecl[] => [
  col('window_end_ts_ns', 'ts_ns', 'ns', 'window at whose close the forecast was made'),
  col('family', 'u8', '', 'index into FORECAST_FAMILIES'),
  col('name', 'utf8', '', "input name, e.g. 'F_near', 'F_far', 'nu_local', 'z', 'dz'"),
  col('value', 'f64', '', 'input value'),
];

export const FRAMES: FrameDecl[] = [
  { name: 'snap', meaning: 'one row: spot, best bid/ask and last trade of the window', columns: snapColumns() },
  {
    name: 'grid',
    meaning:
      'dense field grid of one window: 2·(2·half-width+1) rows, bids then asks, rel_ticks ascending from −half-width to +half-width',
    columns: [
      col('side', 'u8', '', "ASCII 'B' (66) bid or 'A' (65) ask"),
      col('rel_ticks', 'i16', 'ticks', '(price − spot_ref) / tick'),
      col('price_int', 'price_int', '1e-9 USD', 'absolute price of the level'),
      col('depth_qty_end', 'u32', 'contracts', 'resting quantity at window end'),
      ...fieldColumns(),
    ],
  },
  { name: 'forecast', meaning: 'forecast paths: one row per window × family × horizon, ordered by window, family, horizon', columns: forecastColumns() },
  { name: 'forecast_inputs', meaning: 'the inputs behind each family\'s forecast at a window (tooltip)', columns: forecastInputColumns() },
  { name: 'slab_windows', meaning: 'one row per window of a history slab, oldest first', columns: snapColumns() },
  {
    name: 'slab_cells',
    meaning:
      'dense time × price grid of a history slab: row = window_index·n_prices + price_index, price ascending from the schema metadata priceMinInt in steps of tickInt; only the requested field columns are present; bid and ask values at one price are summed',
    columns: fieldColumns(),
  },
  {
    name: 'walls_voids',
    meaning:
      'rows of gold.future_mbo.walls_voids_1s for a range of windows, ordered by window, kind, direction, rank',
    columns: [
      col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9'),
      col('kind', 'u8', '', "ASCII 'W' (87) wall or 'V' (86) void"),
      col('direction', 'u8', '', "ASCII 'U' (85) above spot (ask side) or 'D' (68) below spot (bid side)"),
      col('rank', 'u8', '', '1 = nearest to spot'),
      col('price_int', 'price_int', '1e-9 USD', 'absolute price of the level'),
      col('rel_ticks', 'i32', 'ticks', '(price − spot_ref) / tick'),
      col('strength', 'f64', '', 'wall_strength O or void_strength V of the level'),
    ],
  },
  {
    name: 'trades',
    meaning:
      "bronze T records of a range of windows aggregated per (window, price, aggressor side), ordered by window, price, side",
    columns: [
      col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9 of the trades (by ts_recv)'),
      col('price_int', 'price_int', '1e-9 USD', 'trade price'),
      col('side', 'u8', '', "aggressor side of the T record: ASCII 'B' (66) buy aggressor (lifted the ask), 'A' (65) sell aggressor (hit the bid), 'N' (78) unknown"),
      col('volume', 'u32', 'contracts', 'summed size of the trades'),
      col('trade_count', 'u32', '', 'number of T records'),
    ],
  },
];
