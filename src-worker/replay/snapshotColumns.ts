// Per-window snapshot columns (spot, BBO, last trade) for a run of consecutive windows, dense:
// a window without a snapshot row reads as an invalid book. `gridSpot` is the spot_ref the
// window's grid is laid out on: the window's own, or the last valid one before it (an
// invalid window has no gold rows, but the window still needs prices for its empty grid).
//
// The columns are declared once (SNAPSHOT_COLUMNS): the `snap` / `slab_windows` frame columns,
// named as silver.book_snapshot_1s names them, and the typed arrays that hold them. The SQL
// read, the frame encoder and the slicing all walk that list.
import type { DuckDBConnection } from '@duckdb/node-api';
import { SNAP_FRAME_ARROW } from '../../contracts/generated/arrow';
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

type ArrayKey = Exclude<keyof SnapshotColumns, 'start' | 'count'>;
type Kind = 'i64' | 'u32' | 'bool';

interface SnapshotColumn {
  /** Frame column = silver.book_snapshot_1s column. */
  name: string;
  kind: Kind;
  values: ArrayKey;
  valid?: ArrayKey;
}

/** The snap frame's columns in frame order, with the arrays that hold them. */
export const SNAPSHOT_COLUMNS: readonly SnapshotColumn[] = [
  { name: 'window_end_ts_ns', kind: 'i64', values: 'windowEnd' },
  { name: 'spot_ref_price_int', kind: 'i64', values: 'spot', valid: 'spotValid' },
  { name: 'best_bid_price_int', kind: 'i64', values: 'bestBid', valid: 'bestBidValid' },
  { name: 'best_bid_qty', kind: 'u32', values: 'bestBidQty' },
  { name: 'best_ask_price_int', kind: 'i64', values: 'bestAsk', valid: 'bestAskValid' },
  { name: 'best_ask_qty', kind: 'u32', values: 'bestAskQty' },
  { name: 'last_trade_price_int', kind: 'i64', values: 'lastTrade', valid: 'lastTradeValid' },
  { name: 'book_valid', kind: 'bool', values: 'bookValid' },
];
/** Not a frame column: the spot an invalid window's grid is laid out on. */
const GRID_SPOT: SnapshotColumn = { name: 'grid_spot', kind: 'i64', values: 'gridSpot', valid: 'gridSpotValid' };
const ALL = [...SNAPSHOT_COLUMNS, GRID_SPOT];

// The declaration above must be the frame contract's, column for column (contracts/frames.ts).
{
  const frame = SNAP_FRAME_ARROW.fields.map((f) => f.name).join(',');
  const here = SNAPSHOT_COLUMNS.map((c) => c.name).join(',');
  if (frame !== here) throw new Error(`snapshot columns (${here}) differ from the snap frame (${frame})`);
}

const ARRAYS: Record<Kind, (n: number) => BigInt64Array | Uint32Array | Uint8Array> = {
  i64: (n) => new BigInt64Array(n),
  u32: (n) => new Uint32Array(n),
  bool: (n) => new Uint8Array(n),
};

export function emptySnapshotColumns(start: number, count: number): SnapshotColumns {
  const out: Record<string, unknown> = { start, count };
  for (const c of ALL) {
    out[c.values] = ARRAYS[c.kind](count);
    if (c.valid) out[c.valid] = new Uint8Array(count);
  }
  return out as unknown as SnapshotColumns;
}

/** SELECT expression of a column (qty columns are widened in the table; the frame is u32). */
const selectOf = (c: SnapshotColumn) => (c.kind === 'u32' ? `CAST(${c.name} AS UINTEGER)` : c.name);

export async function loadSnapshotColumns(conn: DuckDBConnection, s: ReplaySession, start: number, count: number): Promise<SnapshotColumns> {
  const out = emptySnapshotColumns(start, count);
  const from = s.firstWindowEndNs + BigInt(start) * NS_PER_WINDOW;
  const to = from + BigInt(count - 1) * NS_PER_WINDOW;
  for (let i = 0; i < count; i++) out.windowEnd[i] = from + BigInt(i) * NS_PER_WINDOW;
  const sql = `
    WITH s AS (
      SELECT ${SNAPSHOT_COLUMNS.map((c) => c.name).join(', ')},
             last_value(spot_ref_price_int IGNORE NULLS) OVER (ORDER BY window_end_ts_ns ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grid_spot
        FROM ${SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)} AND window_end_ts_ns <= ${sqlInt(to)})
    SELECT ${ALL.map(selectOf).join(', ')}
      FROM s WHERE window_end_ts_ns >= ${sqlInt(from)} ORDER BY window_end_ts_ns`;
  const arrays = out as unknown as Record<ArrayKey, BigInt64Array | Uint32Array | Uint8Array>;
  await forEachChunk(conn, sql, (chunk, rows) => {
    const vec = ALL.map((_, k) => chunk.getColumnVector(k));
    for (let r = 0; r < rows; r++) {
      const i = Number(((vec[0].getItem(r) as bigint) - from) / NS_PER_WINDOW);
      if (i < 0 || i >= count) continue;
      for (let k = 1; k < ALL.length; k++) {
        const c = ALL[k];
        const v = vec[k].getItem(r);
        if (c.kind === 'bool') arrays[c.values][i] = v ? 1 : 0;
        else if (c.kind === 'u32') arrays[c.values][i] = (v as number | null) ?? 0;
        else if (v !== null && v !== undefined) {
          arrays[c.values][i] = v as bigint;
          arrays[c.valid!][i] = 1;
        }
      }
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
  const out: Record<string, unknown> = { start, count };
  const src = all as unknown as Record<ArrayKey, BigInt64Array | Uint32Array | Uint8Array>;
  for (const c of ALL) {
    out[c.values] = src[c.values].subarray(o, o + count);
    if (c.valid) out[c.valid] = src[c.valid].subarray(o, o + count);
  }
  return out as unknown as SnapshotColumns;
}
