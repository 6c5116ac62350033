// One live frame: the `snap` and `grid` record batches of one window (contracts/frames.ts)
// as two Arrow IPC streams, the payload parts of a `frame` event.
import { GRID_FRAME_ARROW, SNAP_FRAME_ARROW } from '../../contracts/generated/arrow';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { encodeBatch, type ColumnInput } from './arrowBatch';
import { GRID_REL_TICKS, GRID_ROWS, GRID_SIDE } from './gridLayout';
import type { SnapshotColumns } from './snapshotColumns';
import type { WindowChunk } from './windowChunk';

/** The snap columns of windows [i, i+n) of `s` as a ColumnInput map (shared with slab_windows). */
export function snapInputs(s: SnapshotColumns, i: number, n: number): Record<string, ColumnInput> {
  const sub = <T extends BigInt64Array | Uint32Array | Uint8Array>(a: T) => a.subarray(i, i + n) as T;
  return {
    window_end_ts_ns: { values: sub(s.windowEnd) },
    spot_ref_price_int: { values: sub(s.spot), valid: sub(s.spotValid) },
    best_bid_price_int: { values: sub(s.bestBid), valid: sub(s.bestBidValid) },
    best_bid_qty: { values: sub(s.bestBidQty) },
    best_ask_price_int: { values: sub(s.bestAsk), valid: sub(s.bestAskValid) },
    best_ask_qty: { values: sub(s.bestAskQty) },
    last_trade_price_int: { values: sub(s.lastTrade), valid: sub(s.lastTradeValid) },
    book_valid: { values: sub(s.bookValid) },
  };
}

export interface EncodedFrame {
  windowEndNs: bigint;
  parts: [snap: Uint8Array, grid: Uint8Array];
}

/** Encodes window `j` (0-based inside the chunk). Prices of an invalid window's grid use the last valid spot (0 before any). */
export function encodeFrame(chunk: WindowChunk, j: number, tickInt: bigint): EncodedFrame {
  if (j < 0 || j >= chunk.count) throw new RangeError(`window ${j} is outside the chunk (0…${chunk.count - 1})`);
  const snap = encodeBatch(SNAP_FRAME_ARROW, 1, snapInputs(chunk.snaps, j, 1));
  const spot = chunk.snaps.gridSpotValid[j] ? chunk.snaps.gridSpot[j] : 0n;
  const price = new BigInt64Array(GRID_ROWS);
  if (spot !== 0n) for (let r = 0; r < GRID_ROWS; r++) price[r] = spot + BigInt(GRID_REL_TICKS[r]) * tickInt;
  const o = j * GRID_ROWS;
  const columns: Record<string, ColumnInput> = {
    side: { values: GRID_SIDE },
    rel_ticks: { values: GRID_REL_TICKS },
    price_int: { values: price },
    depth_qty_end: { values: chunk.depthQtyEnd.subarray(o, o + GRID_ROWS) },
  };
  HEATMAP_FIELDS.forEach((f, k) => {
    columns[f] = { values: chunk.fields[k].subarray(o, o + GRID_ROWS) };
  });
  const grid = encodeBatch(GRID_FRAME_ARROW, GRID_ROWS, columns);
  return { windowEndNs: chunk.snaps.windowEnd[j], parts: [snap, grid] };
}
