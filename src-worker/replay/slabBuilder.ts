// History slab for scrubbing and zooming: windows [from, to] × chosen fields as a dense
// time × absolute-price grid (contracts/frames.ts `slab_windows` + `slab_cells`). The price
// axis spans the lowest spot − H ticks to the highest spot + H ticks of the range; bid and
// ask values at one price are summed. The cells come from ONE query whose first column is
// the flat cell index, filled straight from the result chunks' typed arrays.
import type { DuckDBConnection } from '@duckdb/node-api';
import { SLAB_CELLS_FRAME_ARROW, SLAB_WINDOWS_FRAME_ARROW } from '../../contracts/generated/arrow';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { encodeBatch, subsetSchema, type ColumnInput } from './arrowBatch';
import { forEachChunk, numericItems, sqlInt } from './duckColumns';
import { snapInputs } from './frameEncoder';
import type { FieldGridCache } from './fieldGridCache';
import { clampToWindowEnd, NS_PER_WINDOW } from './replayClock';
import type { ReplaySession } from './sessionInfo';
import { loadSnapshotColumns, sliceSnapshotColumns } from './snapshotColumns';

/** Upper bound on cells × fields in one slab (≈ 1 GB of Float32 would be a mistake, not a view). */
export const MAX_SLAB_VALUES = 64 * 1024 * 1024;

/** A slab builds missing session grids only when it spans this many windows … */
export const CACHE_MIN_WINDOWS = 120;
/** … and asks for at most this many fields. */
export const CACHE_MAX_FIELDS = 3;

export class SlabRequestError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'SlabRequestError';
  }
}

export interface SlabResult {
  fromWindowEndNs: bigint;
  toWindowEndNs: bigint;
  nWindows: number;
  nPrices: number;
  priceMinInt: bigint;
  parts: [slabWindows: Uint8Array, slabCells: Uint8Array];
  /** Rows read from DuckDB (for benchmarks). */
  rowsRead: number;
}

export async function buildSlab(
  conn: DuckDBConnection,
  s: ReplaySession,
  fromNs: bigint,
  toNs: bigint,
  fields: readonly HeatmapField[],
  cache?: FieldGridCache,
): Promise<SlabResult> {
  if (fields.length === 0) throw new SlabRequestError('a slab needs at least one field', 'ask for one or more heatmap fields');
  for (const f of fields) if (!HEATMAP_FIELDS.includes(f)) throw new SlabRequestError(`unknown field '${f}'`, `fields: ${HEATMAP_FIELDS.join(', ')}`);
  if (new Set(fields).size !== fields.length) throw new SlabRequestError('a field is requested twice', 'list each field once');
  // Clamped into the session and onto window ends.
  const clampNs = (ns: bigint) => clampToWindowEnd(s, ns);
  if (toNs < fromNs) throw new SlabRequestError('the slab range ends before it starts', 'swap from and to');
  const from = clampNs(fromNs);
  const to = clampNs(toNs);
  const start = Number((from - s.firstWindowEndNs) / NS_PER_WINDOW);
  const nWindows = Number((to - from) / NS_PER_WINDOW) + 1;

  const snaps = cache ? sliceSnapshotColumns(await cache.snapshots(), start, nWindows) : await loadSnapshotColumns(conn, s, start, nWindows);
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (let i = 0; i < nWindows; i++) {
    if (!snaps.gridSpotValid[i]) continue;
    const p = snaps.gridSpot[i];
    if (lo === null || p < lo) lo = p;
    if (hi === null || p > hi) hi = p;
  }
  const half = BigInt(s.layout.half) * s.tickInt;
  const priceMinInt = lo === null ? 0n : lo - half;
  const nPrices = lo === null || hi === null ? 0 : Number((hi + half - priceMinInt) / s.tickInt) + 1;
  if (nWindows * nPrices * fields.length > MAX_SLAB_VALUES) {
    throw new SlabRequestError(`a slab of ${nWindows} windows × ${nPrices} prices × ${fields.length} fields is too large`, 'request a shorter time range or fewer fields');
  }
  const cells = fields.map(() => new Float32Array(nWindows * nPrices));
  let rowsRead = 0;
  // Use the in-memory session grids when they exist, or when this slab is big enough to be
  // worth building them (a long view of a few fields). Short all-field slabs (the tooltip's
  // one-window reads) go to SQL, so they never evict or build 25 session grids.
  const useCache = !!cache?.enabled && fields.every((f) => cache.has(f) || (nWindows >= CACHE_MIN_WINDOWS && fields.length <= CACHE_MAX_FIELDS));
  if (nPrices > 0 && useCache) {
    // Whole-session grids in memory: the slab is row copies.
    await Promise.all(fields.map((f, k) => cache!.copy(f, start, nWindows, priceMinInt, nPrices, cells[k])));
  } else if (nPrices > 0) {
    const sql = `
      SELECT CAST((window_end_ts_ns - ${sqlInt(from)}) // 1000000000 AS INTEGER) * ${nPrices}
               + CAST((price_int - ${sqlInt(priceMinInt)}) // ${sqlInt(s.tickInt)} AS INTEGER) AS cell,
             ${fields.map((f) => `CAST(${f} AS FLOAT)`).join(', ')}
        FROM ${GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)}
         AND window_end_ts_ns BETWEEN ${sqlInt(from)} AND ${sqlInt(to)}
         AND price_int BETWEEN ${sqlInt(priceMinInt)} AND ${sqlInt(priceMinInt + BigInt(nPrices - 1) * s.tickInt)}`;
    rowsRead = await forEachChunk(conn, sql, (chunk, rows) => {
      const cell = numericItems(chunk.getColumnVector(0)) as Int32Array;
      for (let f = 0; f < fields.length; f++) {
        const src = numericItems(chunk.getColumnVector(1 + f)) as Float32Array;
        const dst = cells[f];
        for (let r = 0; r < rows; r++) dst[cell[r]] += src[r];
      }
    });
  }
  return encodeSlab({ tickInt: s.tickInt, from, to, nWindows, nPrices, priceMinInt, fields, cells, snaps, rowsRead });
}

/** A slab's cells (one array per field, window-major over nPrices) and windows as its two Arrow parts. */
export function encodeSlab(a: {
  tickInt: bigint;
  from: bigint;
  to: bigint;
  nWindows: number;
  nPrices: number;
  priceMinInt: bigint;
  fields: readonly HeatmapField[];
  cells: readonly Float32Array[];
  snaps: Parameters<typeof snapInputs>[0];
  rowsRead: number;
}): SlabResult {
  const { nWindows, nPrices } = a;
  const windowsBytes = encodeBatch(SLAB_WINDOWS_FRAME_ARROW, nWindows, snapInputs(a.snaps, 0, nWindows));
  const cellSchema = subsetSchema(SLAB_CELLS_FRAME_ARROW, a.fields, {
    priceMinInt: a.priceMinInt.toString(),
    tickInt: a.tickInt.toString(),
    nPrices: String(nPrices),
    nWindows: String(nWindows),
    fromWindowEndNs: a.from.toString(),
  });
  const cellInputs: Record<string, ColumnInput> = {};
  a.fields.forEach((f, k) => (cellInputs[f] = { values: a.cells[k] }));
  const cellsBytes = encodeBatch(cellSchema, nWindows * nPrices, cellInputs);
  return { fromWindowEndNs: a.from, toWindowEndNs: a.to, nWindows, nPrices, priceMinInt: a.priceMinInt, parts: [windowsBytes, cellsBytes], rowsRead: a.rowsRead };
}
