// One live frame: the named layers of one window (contracts/frames.ts, protocol `frame`
// event), each one Arrow IPC stream, in the order of `layers`. `snap` then `grid` always come
// first (a window that decodes positionally keeps working); the forecast layers follow when
// the window has a forecast. A frame is cut either from a DuckDB chunk (replay of a stored
// build) or straight from the engine's WindowGrid (a build that is still running, a live feed).
import { GRID_FRAME_ARROW, SNAP_FRAME_ARROW } from '../../contracts/generated/arrow';
import { HEATMAP_FIELDS, type FrameLayer } from '../../contracts/protocol';
import { RawFrame, RawFrameFiller } from '../fields/frameRing';
import type { WindowGrid } from '../fields/windowGrid';
import { encodeBatch, type ColumnInput } from './arrowBatch';
import { gridLayout, type GridLayout } from './gridLayout';
import { SNAPSHOT_COLUMNS, emptySnapshotColumns, type SnapshotColumns } from './snapshotColumns';
import type { WindowChunk } from './windowChunk';

/** The snap columns of windows [i, i+n) of `s` as a ColumnInput map (shared with slab_windows). */
export function snapInputs(s: SnapshotColumns, i: number, n: number): Record<string, ColumnInput> {
  const sub = <T extends BigInt64Array | Uint32Array | Uint8Array>(a: T) => a.subarray(i, i + n) as T;
  const out: Record<string, ColumnInput> = {};
  for (const c of SNAPSHOT_COLUMNS) {
    const values = sub(s[c.values] as BigInt64Array | Uint32Array | Uint8Array);
    out[c.name] = c.valid ? { values, valid: sub(s[c.valid] as Uint8Array) } : { values };
  }
  return out;
}

export interface EncodedFrame {
  windowEndNs: bigint;
  /** Names of `parts`, in order: 'snap', 'grid', then the forecast layers when present. */
  layers: FrameLayer[];
  parts: Uint8Array[];
}

/** Append named layers (e.g. a window's forecast) to a frame. */
export function withLayers(f: EncodedFrame, extra: { layers: FrameLayer[]; parts: Uint8Array[] } | null): EncodedFrame {
  if (!extra || extra.layers.length === 0) return f;
  return { windowEndNs: f.windowEndNs, layers: [...f.layers, ...extra.layers], parts: [...f.parts, ...extra.parts] };
}

/** The `grid` batch of one window: prices on `spot` (0 = none yet), depth and fields per row. */
function encodeGrid(l: GridLayout, spot: bigint, tickInt: bigint, depth: Uint32Array, field: (k: number) => Float32Array): Uint8Array {
  const price = new BigInt64Array(l.rows);
  if (spot !== 0n) for (let r = 0; r < l.rows; r++) price[r] = spot + BigInt(l.relTicks[r]) * tickInt;
  const columns: Record<string, ColumnInput> = {
    side: { values: l.side },
    rel_ticks: { values: l.relTicks },
    price_int: { values: price },
    depth_qty_end: { values: depth },
  };
  HEATMAP_FIELDS.forEach((f, k) => {
    columns[f] = { values: field(k) };
  });
  return encodeBatch(GRID_FRAME_ARROW, l.rows, columns);
}

/** Encodes window `j` (0-based inside the chunk). Prices of an invalid window's grid use the last valid spot (0 before any). */
export function encodeFrame(chunk: WindowChunk, j: number, tickInt: bigint): EncodedFrame {
  if (j < 0 || j >= chunk.count) throw new RangeError(`window ${j} is outside the chunk (0…${chunk.count - 1})`);
  const l = chunk.layout;
  const snap = encodeBatch(SNAP_FRAME_ARROW, 1, snapInputs(chunk.snaps, j, 1));
  const spot = chunk.snaps.gridSpotValid[j] ? chunk.snaps.gridSpot[j] : 0n;
  const o = j * l.rows;
  const grid = encodeGrid(l, spot, tickInt, chunk.depthQtyEnd.subarray(o, o + l.rows), (k) => chunk.fields[k].subarray(o, o + l.rows));
  return { windowEndNs: chunk.snaps.windowEnd[j], layers: ['snap', 'grid'], parts: [snap, grid] };
}

/** The frame of one raw frame (fields/frameRing.ts): from the engine's grid or a live frame ring. */
export function encodeRawFrame(raw: RawFrame, tickInt: bigint): EncodedFrame {
  const layout = gridLayout(raw.half);
  const s = emptySnapshotColumns(0, 1);
  const [end, spot, bid, ask, last] = raw.i64;
  const [spotV, bidV, askV, lastV, bookV] = raw.valid;
  s.windowEnd[0] = end;
  s.spot[0] = spot;
  s.spotValid[0] = spotV;
  s.bestBid[0] = bid;
  s.bestBidValid[0] = bidV;
  s.bestBidQty[0] = raw.qty[0];
  s.bestAsk[0] = ask;
  s.bestAskValid[0] = askV;
  s.bestAskQty[0] = raw.qty[1];
  s.lastTrade[0] = last;
  s.lastTradeValid[0] = lastV;
  s.bookValid[0] = bookV;
  const snap = encodeBatch(SNAP_FRAME_ARROW, 1, snapInputs(s, 0, 1));
  const grid = encodeGrid(layout, raw.gridSpot, tickInt, raw.depth, (k) => raw.fields[k]);
  return { windowEndNs: end, layers: ['snap', 'grid'], parts: [snap, grid] };
}

/**
 * Frames straight from the engine: the same bytes `encodeFrame` cuts from the stored build of
 * the same window (engineFrames.real.test.ts checks it on the real ESH4 hour). Stateful only in
 * the grid spot an invalid window inherits (the last valid one), so feed it windows in order.
 * The values go through a RawFrame, as a live frame ring's do (one path for both).
 */
export class GridFrameEncoder {
  private readonly filler: RawFrameFiller;
  private raw: RawFrame | null = null;

  constructor(private readonly tickInt: bigint) {
    this.filler = new RawFrameFiller(Number(tickInt));
  }

  encode(g: WindowGrid): EncodedFrame {
    if (gridLayout(g.half).rows !== g.cells) throw new RangeError(`grid of ${g.cells} cells does not match half-width ${g.half}`);
    if (this.raw?.half !== g.half) this.raw = new RawFrame(g.half);
    this.filler.fill(g, this.raw);
    return encodeRawFrame(this.raw, this.tickInt);
  }
}
