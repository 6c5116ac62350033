// Per-window snapshot columns (spot, BBO, last trade) for a run of consecutive windows, dense:
// a window without a snapshot row reads as an invalid book. `gridSpot` is the spot_ref the
// window's grid is laid out on: the window's own, or the last valid one before it (an
// invalid window has no gold rows, but the window still needs prices for its empty grid).
import type { DuckDBConnection } from '@duckdb/node-api';
import { SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S } from '../../contracts/generated/tables';
import { forEachChunk, sqlInt } from './duckColumns';
import { NS_PER_WINDOW } from './replayClock';
import type { ReplaySession } from './sessionInfo';

export interface SnapshotColumns {
  start: number;
  count: number;
  windowEnd: BigInt64Array;
  spot: BigInt64Array;
  spotValid: Uint8Array;
  bestBid: BigInt64Array;
  bestBidValid: Uint8Array;
  bestBidQty: Uint32Array;
  bestAsk: BigInt64Array;
  bestAskValid: Uint8Array;
  bestAskQty: Uint32Array;
  lastTrade: BigInt64Array;
  lastTradeValid: Uint8Array;
  bookValid: Uint8Array;
  gridSpot: BigInt64Array;
  gridSpotValid: Uint8Array;
}

export function emptySnapshotColumns(start: number, count: number): SnapshotColumns {
  return {
    start,
    count,
    windowEnd: new BigInt64Array(count),
    spot: new BigInt64Array(count),
    spotValid: new Uint8Array(count),
    bestBid: new BigInt64Array(count),
    bestBidValid: new Uint8Array(count),
    bestBidQty: new Uint32Array(count),
    bestAsk: new BigInt64Array(count),
    bestAskValid: new Uint8Array(count),
    bestAskQty: new Uint32Array(count),
    lastTrade: new BigInt64Array(count),
    lastTradeValid: new Uint8Array(count),
    bookValid: new Uint8Array(count),
    gridSpot: new BigInt64Array(count),
    gridSpotValid: new Uint8Array(count),
  };
}

export async function loadSnapshotColumns(conn: DuckDBConnection, s: ReplaySession, start: number, count: number): Promise<SnapshotColumns> {
  const out = emptySnapshotColumns(start, count);
  const from = s.firstWindowEndNs + BigInt(start) * NS_PER_WINDOW;
  const to = from + BigInt(count - 1) * NS_PER_WINDOW;
  for (let i = 0; i < count; i++) out.windowEnd[i] = from + BigInt(i) * NS_PER_WINDOW;
  const sql = `
    WITH s AS (
      SELECT window_end_ts_ns, spot_ref_price_int, best_bid_price_int, best_bid_qty, best_ask_price_int,
             best_ask_qty, last_trade_price_int, book_valid,
             last_value(spot_ref_price_int IGNORE NULLS) OVER (ORDER BY window_end_ts_ns ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grid_spot
        FROM ${SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)} AND window_end_ts_ns <= ${sqlInt(to)})
    SELECT window_end_ts_ns, spot_ref_price_int, best_bid_price_int, CAST(best_bid_qty AS UINTEGER),
           best_ask_price_int, CAST(best_ask_qty AS UINTEGER), last_trade_price_int, book_valid, grid_spot
      FROM s WHERE window_end_ts_ns >= ${sqlInt(from)} ORDER BY window_end_ts_ns`;
  const put = (arr: BigInt64Array, valid: Uint8Array, i: number, v: unknown) => {
    if (v === null || v === undefined) return;
    arr[i] = v as bigint;
    valid[i] = 1;
  };
  await forEachChunk(conn, sql, (chunk, rows) => {
    const c = Array.from({ length: 9 }, (_, k) => chunk.getColumnVector(k));
    for (let r = 0; r < rows; r++) {
      const i = Number(((c[0].getItem(r) as bigint) - from) / NS_PER_WINDOW);
      if (i < 0 || i >= count) continue;
      put(out.spot, out.spotValid, i, c[1].getItem(r));
      put(out.bestBid, out.bestBidValid, i, c[2].getItem(r));
      out.bestBidQty[i] = (c[3].getItem(r) as number | null) ?? 0;
      put(out.bestAsk, out.bestAskValid, i, c[4].getItem(r));
      out.bestAskQty[i] = (c[5].getItem(r) as number | null) ?? 0;
      put(out.lastTrade, out.lastTradeValid, i, c[6].getItem(r));
      out.bookValid[i] = c[7].getItem(r) ? 1 : 0;
      put(out.gridSpot, out.gridSpotValid, i, c[8].getItem(r));
    }
  });
  // Windows with no snapshot row inherit the grid spot of the window before them.
  for (let i = 1; i < count; i++) {
    if (!out.gridSpotValid[i] && out.gridSpotValid[i - 1]) {
      out.gridSpot[i] = out.gridSpot[i - 1];
      out.gridSpotValid[i] = 1;
    }
  }
  return out;
}

/** Windows [start, start+count) of a session-wide SnapshotColumns (views, no copy). */
export function sliceSnapshotColumns(all: SnapshotColumns, start: number, count: number): SnapshotColumns {
  const o = start - all.start;
  const v = <T extends BigInt64Array | Uint32Array | Uint8Array>(a: T) => a.subarray(o, o + count) as T;
  return {
    start,
    count,
    windowEnd: v(all.windowEnd),
    spot: v(all.spot),
    spotValid: v(all.spotValid),
    bestBid: v(all.bestBid),
    bestBidValid: v(all.bestBidValid),
    bestBidQty: v(all.bestBidQty),
    bestAsk: v(all.bestAsk),
    bestAskValid: v(all.bestAskValid),
    bestAskQty: v(all.bestAskQty),
    lastTrade: v(all.lastTrade),
    lastTradeValid: v(all.lastTradeValid),
    bookValid: v(all.bookValid),
    gridSpot: v(all.gridSpot),
    gridSpotValid: v(all.gridSpotValid),
  };
}
