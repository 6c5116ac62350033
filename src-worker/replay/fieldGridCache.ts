// Whole-session dense grids per field, kept in memory so a slab anywhere in the session is a
// copy of rows (a few ms) instead of a query over ~400 gold rows per window. A field's grid is
// built by one query the first time it is needed (or warmed when the window selects the
// field); bid and ask at one price are summed, as in slabs. Bounded: at most `maxFields`
// grids and only sessions up to `maxCells` windows × prices (larger ones use the SQL path).
//
// A trader flips fields constantly (issue 13: ≤ 150 ms from the click to the new field drawn),
// so when every field's grid fits in `allFieldsMaxCells` the cache keeps them all: after the
// first grid is built, the others follow in the background, a few fields per scan of gold (one scan reads every column at once: 25 per-field queries took 5.2 s on the
// real ESH4 hour, one 25-column scan 2.7 s, same loaded VM). A field asked for before its
// turn is loaded alone at once.
import type { DuckDBConnection } from '@duckdb/node-api';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { forEachChunk, numericItems, sqlInt } from './duckColumns';
import type { ReplaySession } from './sessionInfo';
import { loadSnapshotColumns, type SnapshotColumns } from './snapshotColumns';

export interface FieldGridCacheOptions {
  /** windows × prices above which a session is not cached (default 16 M cells = 64 MB per field). */
  maxCells?: number;
  /** Grids kept (least recently used dropped first) when not every field fits. */
  maxFields?: number;
  /** windows × prices × fields up to which every field's grid is built and kept (default 48 M cells = 192 MB). */
  allFieldsMaxCells?: number;
}

/** Fields per background scan: small enough that other history queries (overlays, the tooltip) wait ≤ ~0.5 s behind one. */
export const REST_FIELDS_PER_QUERY = 6;
/** The first scan is shorter: the fields next in the selector are what a trader (and the
 *  window's prefetch, 2 fields a request) asks for first, right after the session opens. */
export const FIRST_REST_FIELDS = 2;

interface Deferred {
  resolve(g: Float32Array): void;
  reject(e: unknown): void;
}

export class FieldGridCache {
  readonly priceMinInt: bigint;
  readonly nPrices: number;
  readonly enabled: boolean;
  private snaps: Promise<SnapshotColumns> | null = null;
  private grids = new Map<HeatmapField, Promise<Float32Array>>();
  private readonly maxFields: number;
  /** Every field's grid fits: they are all built and none is dropped. */
  readonly keepsAll: boolean;
  /** Fields waiting for their background scan (their promise is already in `grids`). */
  private queued = new Map<HeatmapField, Deferred>();
  private restStarted = false;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly session: ReplaySession,
    opts: FieldGridCacheOptions = {},
  ) {
    this.priceMinInt = BigInt(session.info.priceMinInt);
    const max = BigInt(session.info.priceMaxInt);
    this.nPrices = max > this.priceMinInt ? Number((max - this.priceMinInt) / session.tickInt) + 1 : 0;
    this.enabled = this.nPrices > 0 && this.nPrices * session.windowCount <= (opts.maxCells ?? 16 * 1024 * 1024);
    this.keepsAll = this.enabled && this.nPrices * session.windowCount * HEATMAP_FIELDS.length <= (opts.allFieldsMaxCells ?? 48 * 1024 * 1024);
    this.maxFields = this.keepsAll ? HEATMAP_FIELDS.length : (opts.maxFields ?? 6);
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
      const waiting = this.queued.get(field);
      if (waiting) {
        // Wanted before its background scan: load it alone now (behind the scan in flight).
        this.queued.delete(field);
        this.load([field]).then(([g]) => waiting.resolve(g), waiting.reject);
      }
      this.grids.delete(field);
      this.grids.set(field, p);
      return p;
    }
    p = this.load([field]).then(([g]) => g);
    this.remember(field, p);
    if (this.keepsAll && !this.restStarted) {
      this.restStarted = true;
      p.then(
        () => void this.loadRest(),
        () => (this.restStarted = false),
      );
    }
    return p;
  }

  /** Grids whose background scan has not run yet (tests). */
  get pendingFields(): number {
    return this.queued.size;
  }

  private remember(field: HeatmapField, p: Promise<Float32Array>): void {
    p.catch(() => {
      if (this.grids.get(field) === p) this.grids.delete(field);
    });
    this.grids.set(field, p);
    while (this.grids.size > this.maxFields) this.grids.delete(this.grids.keys().next().value!);
  }

  /** Every field not held yet, REST_FIELDS_PER_QUERY per scan, in the selector's order. */
  private async loadRest(): Promise<void> {
    for (const f of HEATMAP_FIELDS) {
      if (this.grids.has(f)) continue;
      let d!: Deferred;
      const p = new Promise<Float32Array>((resolve, reject) => (d = { resolve, reject }));
      this.queued.set(f, d);
      this.remember(f, p);
    }
    for (let scan = 0; this.queued.size > 0; scan++) {
      const batch = [...this.queued.keys()].slice(0, scan === 0 ? FIRST_REST_FIELDS : REST_FIELDS_PER_QUERY);
      const waiting = batch.map((f) => this.queued.get(f)!);
      for (const f of batch) this.queued.delete(f);
      try {
        const grids = await this.load(batch);
        batch.forEach((_, k) => waiting[k].resolve(grids[k]));
      } catch (e) {
        for (const w of waiting) w.reject(e);
      }
    }
  }

  /** One scan of gold filling the grids of `fields` (bid and ask at a price summed). */
  private async load(fields: readonly HeatmapField[]): Promise<Float32Array[]> {
    const s = this.session;
    const n = this.nPrices;
    const outs = fields.map(() => new Float32Array(s.windowCount * n));
    // One field: only its non-zero rows; several: every row once, every column read.
    const nonZero = fields.length === 1 ? ` AND ${fields[0]} <> 0` : '';
    const sql = `
      SELECT CAST((window_end_ts_ns - ${sqlInt(s.firstWindowEndNs)}) // 1000000000 AS INTEGER) * ${n}
               + CAST((price_int - ${sqlInt(this.priceMinInt)}) // ${sqlInt(s.tickInt)} AS INTEGER) AS cell,
             ${fields.map((f) => `CAST(${f} AS FLOAT)`).join(', ')}
        FROM ${GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)}${nonZero}
         AND price_int BETWEEN ${sqlInt(this.priceMinInt)} AND ${sqlInt(this.priceMinInt + BigInt(n - 1) * s.tickInt)}`;
    await forEachChunk(this.conn, sql, (chunk, rows) => {
      const cell = numericItems(chunk.getColumnVector(0)) as Int32Array;
      for (let k = 0; k < fields.length; k++) {
        const v = numericItems(chunk.getColumnVector(1 + k)) as Float32Array;
        const out = outs[k];
        for (let r = 0; r < rows; r++) out[cell[r]] += v[r];
      }
    });
    return outs;
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
