import { tableFromIPC, type Table } from 'apache-arrow';
import type { FrameLayer, HeatmapField } from '../../contracts/protocol';
import type { GridFrameRow, SlabCellsFrameRow, SlabWindowsFrameRow, SnapFrameRow } from '../../contracts/generated/tables';

// Arrow IPC payloads → typed arrays (contracts/frames.ts). Columns are read as whole typed
// arrays (zero-copy for single-batch streams); no per-row objects.

export interface SnapRow {
  windowEndNs: bigint;
  spotRefInt: bigint | null;
  bestBidInt: bigint | null;
  bestAskInt: bigint | null;
  lastTradeInt: bigint | null;
  bookValid: boolean;
}

export interface DecodedFrame {
  snap: SnapRow;
  /** grid table: side, rel_ticks, price_int, depth_qty_end and every field. */
  grid: Table;
  rows: number;
  side: Uint8Array;
  relTicks: Int16Array;
  priceInt: BigInt64Array;
}

export interface DecodedSlab {
  windows: Table;
  windowEndNs: BigInt64Array;
  spotRefInt: (bigint | null)[];
  priceMinInt: bigint;
  tickInt: bigint | null;
  nPrices: number;
  nWindows: number;
  fields: Map<HeatmapField, Float32Array>;
}

/**
 * A column of a frame layer by its contract name: the name must be a column of the layer's
 * generated row type (contracts/frames.ts), so a renamed or dropped column fails the typecheck
 * here instead of reading `undefined` at run time.
 */
function col<Row>(t: Table, name: keyof Row & string) {
  return t.getChild(name);
}

function nullableI64(t: Table, name: keyof SnapFrameRow & keyof SlabWindowsFrameRow & string, row: number): bigint | null {
  const v = col<SnapFrameRow>(t, name)?.get(row);
  return v === null || v === undefined ? null : BigInt(v);
}

function snapOf(t: Table, row: number): SnapRow {
  return {
    windowEndNs: BigInt(col<SnapFrameRow>(t, 'window_end_ts_ns')!.get(row)),
    spotRefInt: nullableI64(t, 'spot_ref_price_int', row),
    bestBidInt: nullableI64(t, 'best_bid_price_int', row),
    bestAskInt: nullableI64(t, 'best_ask_price_int', row),
    lastTradeInt: nullableI64(t, 'last_trade_price_int', row),
    bookValid: Boolean(col<SnapFrameRow>(t, 'book_valid')?.get(row)),
  };
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** What a frame carries when the engine does not name its parts (engines before named layers). */
export const LEGACY_FRAME_LAYERS: readonly FrameLayer[] = ['snap', 'grid'];

/** A frame's payload parts by layer name (protocol `frame.layers`, in payload order). */
export type FrameParts = ReadonlyMap<FrameLayer, Uint8Array>;

/**
 * Names a frame's payload parts. A frame without `layers` is the older positional pair
 * [snap, grid]; a frame whose names and parts disagree is refused rather than guessed.
 */
export function framePartsByName(layers: readonly FrameLayer[] | undefined, parts: Uint8Array[]): FrameParts {
  const names = layers ?? LEGACY_FRAME_LAYERS;
  if (names.length !== parts.length) throw new PayloadError(`frame names ${names.length} layers (${names.join(', ')}) but carries ${parts.length} parts`);
  const out = new Map<FrameLayer, Uint8Array>();
  names.forEach((name, i) => {
    if (out.has(name)) throw new PayloadError(`frame names layer ${name} twice`);
    out.set(name, parts[i]);
  });
  return out;
}

/** The heatmap's part of a frame: the `snap` and `grid` layers. */
export function decodeFrame(parts: Uint8Array[] | FrameParts): DecodedFrame {
  const named = Array.isArray(parts) ? framePartsByName(undefined, parts) : (parts as FrameParts);
  const snapBytes = named.get('snap');
  const gridBytes = named.get('grid');
  if (!snapBytes || !gridBytes) throw new PayloadError(`frame has no ${snapBytes ? 'grid' : 'snap'} layer`);
  const snapT = tableFromIPC(snapBytes);
  const grid = tableFromIPC(gridBytes);
  if (snapT.numRows < 1) throw new PayloadError('frame snap batch is empty');
  return {
    snap: snapOf(snapT, 0),
    grid,
    rows: grid.numRows,
    side: col<GridFrameRow>(grid, 'side')!.toArray() as Uint8Array,
    relTicks: col<GridFrameRow>(grid, 'rel_ticks')!.toArray() as Int16Array,
    priceInt: col<GridFrameRow>(grid, 'price_int')!.toArray() as BigInt64Array,
  };
}

function meta(tables: Table[], key: string): string | undefined {
  for (const t of tables) {
    const v = t.schema.metadata.get(key);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function decodeSlab(parts: Uint8Array[], fields: HeatmapField[]): DecodedSlab {
  if (parts.length < 2) throw new PayloadError(`slab has ${parts.length} parts, expected windows and cells`);
  const windows = tableFromIPC(parts[0]);
  const cells = tableFromIPC(parts[1]);
  const nWindows = Number(meta([cells, windows], 'nWindows') ?? windows.numRows);
  const nPricesMeta = meta([cells, windows], 'nPrices');
  const nPrices = nPricesMeta !== undefined ? Number(nPricesMeta) : nWindows > 0 ? cells.numRows / nWindows : 0;
  const pm = meta([cells, windows], 'priceMinInt');
  if (pm === undefined && cells.numRows > 0) throw new PayloadError('slab has no priceMinInt metadata');
  const tick = meta([cells, windows], 'tickInt');
  const out = new Map<HeatmapField, Float32Array>();
  for (const f of fields) {
    const c = col<SlabCellsFrameRow>(cells, f);
    if (c) out.set(f, c.toArray() as Float32Array);
  }
  const spotCol = col<SlabWindowsFrameRow>(windows, 'spot_ref_price_int');
  const spotRefInt: (bigint | null)[] = [];
  for (let i = 0; i < windows.numRows; i++) {
    const v = spotCol?.get(i);
    spotRefInt.push(v === null || v === undefined ? null : BigInt(v));
  }
  return {
    windows,
    windowEndNs: col<SlabWindowsFrameRow>(windows, 'window_end_ts_ns')!.toArray() as BigInt64Array,
    spotRefInt,
    priceMinInt: BigInt(pm ?? '0'),
    tickInt: tick !== undefined ? BigInt(tick) : null,
    nPrices,
    nWindows,
    fields: out,
  };
}

/** Value of one field at an absolute price in a frame grid: bid + ask summed, like slabs. */
export function frameValueAt(f: DecodedFrame, field: HeatmapField, priceInt: bigint): number | null {
  const values = col<GridFrameRow>(f.grid, field);
  if (!values) return null;
  let v = 0;
  let found = false;
  for (let i = 0; i < f.rows; i++) {
    if (f.priceInt[i] === priceInt) {
      v += Number(values.get(i));
      found = true;
    }
  }
  return found ? v : null;
}
