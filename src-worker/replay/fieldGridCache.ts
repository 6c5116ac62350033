// Whole-session dense grids per field, kept in memory so a slab anywhere in the session is a
// copy of rows (a few ms) instead of a query over ~400 gold rows per window. A field's grid is
// built by one query the first time it is needed (or warmed when the window selects the
// field); bid and ask at one price are summed, as in slabs. Bounded: at most `maxFields`
// grids and only sessions up to `maxCells` windows × prices (larger ones use the SQL path).
import type { DuckDBConnection } from '@duckdb/node-api';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import type { HeatmapField } from '../../contracts/protocol';
import { forEachChunk, numericItems, sqlInt } from './duckColumns';
import type { ReplaySession } from './sessionInfo';
import { loadSnapshotColumns, type SnapshotColumns } from './snapshotColumns';

export interface FieldGridCacheOptions {
  /** windows × prices above which a session is not cached (default 16 M cells = 64 MB per field). */
  maxCells?: number;
  /** Grids kept (least recently used dropped first). */
  maxFields?: number;
}

export class FieldGridCache {
  readonly priceMinInt: bigint;
  readonly nPrices: number;
  readonly enabled: boolean;
  private snaps: Promise<SnapshotColumns> | null = null;
  private grids = new Map<HeatmapField, Promise<Float32Array>>();
  private readonly maxFields: number;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly session: ReplaySession,
    opts: FieldGridCacheOptions = {},
  ) {
    this.priceMinInt = BigInt(session.info.priceMinInt);
    const max = BigInt(session.info.priceMaxInt);
    this.nPrices = max > this.priceMinInt ? Number((max - this.priceMinInt) / session.tickInt) + 1 : 0;
    this.enabled = this.nPrices > 0 && this.nPrices * session.windowCount <= (opts.maxCells ?? 16 * 1024 * 1024);
    this.maxFields = opts.maxFields ?? 6;
  }

  /** Snapshot columns of the whole session (loaded once). */
  snapshots(): Promise<SnapshotColumns> {
    if (!this.snaps) {
      const p = loadSnapshotColumns(this.conn, this.session, 0, this.session.windowCount);
      p.catch(() => (this.snaps = null));
      this.snaps = p;
    }
    return this.snaps;
  }

  has(field: HeatmapField): boolean {
    return this.grids.has(field);
  }

  /** The field's grid (window-major, nPrices per window), built on first use. */
  grid(field: HeatmapField): Promise<Float32Array> {
    let p = this.grids.get(field);
    if (p) {
      this.grids.delete(field);
      this.grids.set(field, p);
      return p;
    }
    p = this.load(field);
    p.catch(() => this.grids.delete(field));
    this.grids.set(field, p);
    while (this.grids.size > this.maxFields) this.grids.delete(this.grids.keys().next().value!);
    return p;
  }

  private async load(field: HeatmapField): Promise<Float32Array> {
    const s = this.session;
    const n = this.nPrices;
    const out = new Float32Array(s.windowCount * n);
    const sql = `
      SELECT CAST((window_end_ts_ns - ${sqlInt(s.firstWindowEndNs)}) // 1000000000 AS INTEGER) * ${n}
               + CAST((price_int - ${sqlInt(this.priceMinInt)}) // ${sqlInt(s.tickInt)} AS INTEGER) AS cell,
             CAST(${field} AS FLOAT)
        FROM ${GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)} AND ${field} <> 0
         AND price_int BETWEEN ${sqlInt(this.priceMinInt)} AND ${sqlInt(this.priceMinInt + BigInt(n - 1) * s.tickInt)}`;
    await forEachChunk(this.conn, sql, (chunk, rows) => {
      const cell = numericItems(chunk.getColumnVector(0)) as Int32Array;
      const v = numericItems(chunk.getColumnVector(1)) as Float32Array;
      for (let r = 0; r < rows; r++) out[cell[r]] += v[r];
    });
    return out;
  }

  /**
   * Copies windows [start, start+nWindows) × prices [priceMinInt, +nPrices) of `field` into
   * `dst` (window-major). Prices outside the session range stay 0.
   */
  async copy(field: HeatmapField, start: number, nWindows: number, priceMinInt: bigint, nPrices: number, dst: Float32Array): Promise<void> {
    const src = await this.grid(field);
    const off = Number((priceMinInt - this.priceMinInt) / this.session.tickInt);
    const lo = Math.max(0, -off);
    const hi = Math.min(nPrices, this.nPrices - off);
    if (hi <= lo) return;
    for (let i = 0; i < nWindows; i++) {
      const s0 = (start + i) * this.nPrices + off + lo;
      dst.set(src.subarray(s0, s0 + (hi - lo)), i * nPrices + lo);
    }
  }
}
