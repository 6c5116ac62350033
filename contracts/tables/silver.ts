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

export const silverFutureDepthAndFlow1s: TableDecl = {
  stage: 'silver',
  product: 'future_mbo',
  name: 'depth_and_flow_1s',
  meaning: 'per window × side × price level within ±grid half-width of spot_ref: depth and the flows that changed it',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    charEnum('side', ['A', 'B'], 'B bid, A ask'),
    col('price_int', 'price_int', '1e-9 USD', 'absolute price of the level'),
    col('spot_ref_price_int', 'price_int', '1e-9 USD', 'spot_ref of the window'),
    col('rel_ticks', 'i32', 'ticks', '(price − spot_ref) / tick'),
    col('rel_ticks_side', 'i32', 'ticks', 'bids: (price − best bid) / tick; asks: (price − best ask) / tick, at window start'),
    ...flowColumns(),
  ],
  key: ['dataset_id', 'window_end_ts_ns', 'side', 'price_int'],
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
