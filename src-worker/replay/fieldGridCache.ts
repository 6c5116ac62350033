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
// turn is loaded alone at once. The background scans run in slices of the session, behind any
// query the window waits for (duckColumns.ts lanes): a switch right after a session opens
// waits for one slice, not a whole scan.
import type { DuckDBConnection } from '@duckdb/node-api';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { forEachChunk, numericItems, sqlInt, type QueryPriority } from './duckColumns';
import { NS_PER_WINDOW } from './replayClock';
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
/** Windows per background query: a background scan runs in slices of the session so a slab the
 *  window waits for (a field switch right after the session opens) starts after one slice, not
 *  after a whole scan (a 6-field scan of the ESH4 hour took 0.3–0.6 s on the loaded VM). */
export const BACKGROUND_SLICE_WINDOWS = 600;

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
  /** Fields whose whole grid is being loaded on its own (a slab waits for it rather than queue behind it). */
  private loadingAlone = new Set<HeatmapField>();
  /** Grid promises that have resolved. */
  private built = new WeakSet<Promise<Float32Array>>();
  private readonly maxFields: number;
  /** Every field's grid fits: they are all built and none is dropped. */
  readonly keepsAll: boolean;
  /** Fields waiting for their background scan (their promise is already in `grids`). */
  private queued = new Map<HeatmapField, Deferred>();
  private restStarted = false;
  /** Fields of the background scan running now; asked for meanwhile, its slices go first. */
  private scanning: { fields: Set<HeatmapField>; urgent: boolean } | null = null;

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

  /** The field's grid is built (a copy from it needs no query). */
  ready(field: HeatmapField): boolean {
    const p = this.grids.get(field);
    return !!p && this.built.has(p);
  }

  /** The field's grid (window-major, nPrices per window), built on first use. */
  grid(field: HeatmapField): Promise<Float32Array> {
    let p = this.grids.get(field);
    if (p) {
      const waiting = this.queued.get(field);
      if (this.scanning?.fields.has(field)) this.scanning.urgent = true;
      if (waiting) {
        // Wanted before its background scan: load it alone now (behind the scan in flight).
        this.queued.delete(field);
        this.loadAlone(field).then(waiting.resolve, waiting.reject);
      }
      this.grids.delete(field);
      this.grids.set(field, p);
      return p;
    }
    p = this.loadAlone(field);
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

  private loadAlone(field: HeatmapField): Promise<Float32Array> {
    this.loadingAlone.add(field);
    const p = this.load([field]).then(([g]) => g);
    p.then(
      () => this.loadingAlone.delete(field),
      () => this.loadingAlone.delete(field),
    );
    return p;
  }

  /** Grids whose background scan has not run yet (tests). */
  get pendingFields(): number {
    return this.queued.size;
  }

  private remember(field: HeatmapField, p: Promise<Float32Array>): void {
    p.then(() => this.built.add(p), () => undefined);
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
      const running = (this.scanning = { fields: new Set(batch), urgent: false });
      try {
        const outs = batch.map(() => new Float32Array(this.session.windowCount * this.nPrices));
        for (let w0 = 0; w0 < this.session.windowCount; w0 += BACKGROUND_SLICE_WINDOWS) {
          await this.scan(batch, outs, w0, Math.min(this.session.windowCount, w0 + BACKGROUND_SLICE_WINDOWS) - 1, running.urgent ? 'now' : 'background');
        }
        batch.forEach((_, k) => waiting[k].resolve(outs[k]));
      } catch (e) {
        for (const w of waiting) w.reject(e);
      } finally {
        this.scanning = null;
      }
    }
  }

  /** One scan of gold filling the grids of `fields` (bid and ask at a price summed). */
  private async load(fields: readonly HeatmapField[]): Promise<Float32Array[]> {
    const outs = fields.map(() => new Float32Array(this.session.windowCount * this.nPrices));
    await this.scan(fields, outs, null, null, 'now');
    return outs;
  }

  /** Adds the gold rows of windows [w0, w1] (null: the whole session) of `fields` into their grids `outs`. */
  private scan(fields: readonly HeatmapField[], outs: Float32Array[], w0: number | null, w1: number | null, priority: QueryPriority): Promise<void> {
    const whole = w0 === null || w1 === null;
    return this.scanInto(fields, outs, { origin: 0, w0: whole ? 0 : w0, w1: whole ? null : w1, priceMinInt: this.priceMinInt, nPrices: this.nPrices }, priority);
  }

  /**
   * Adds the gold rows of `fields` in windows [at.w0, at.w1] (w1 null: to the session's end, no
   * time filter) and prices [at.priceMinInt, +at.nPrices) ∩ the session's into `outs`, laid out
   * window-major from window at.origin and price at.priceMinInt, at.nPrices per window.
   */
  private async scanInto(
    fields: readonly HeatmapField[],
    outs: Float32Array[],
    at: { origin: number; w0: number; w1: number | null; priceMinInt: bigint; nPrices: number },
    priority: QueryPriority,
  ): Promise<void> {
    const s = this.session;
    const tick = s.tickInt;
    const sessionMax = this.priceMinInt + BigInt(this.nPrices - 1) * tick;
    const pLo = at.priceMinInt > this.priceMinInt ? at.priceMinInt : this.priceMinInt;
    const atMax = at.priceMinInt + BigInt(at.nPrices - 1) * tick;
    const pHi = atMax < sessionMax ? atMax : sessionMax;
    if (pHi < pLo) return;
    // One field: only its non-zero rows; several: every row once, every column read.
    const nonZero = fields.length === 1 ? ` AND ${fields[0]} <> 0` : '';
    const windows =
      at.w1 === null
        ? ''
        : ` AND window_end_ts_ns BETWEEN ${sqlInt(s.firstWindowEndNs + BigInt(at.w0) * NS_PER_WINDOW)} AND ${sqlInt(s.firstWindowEndNs + BigInt(at.w1) * NS_PER_WINDOW)}`;
    const sql = `
      SELECT CAST((window_end_ts_ns - ${sqlInt(s.firstWindowEndNs + BigInt(at.origin) * NS_PER_WINDOW)}) // 1000000000 AS INTEGER) * ${at.nPrices}
               + CAST((price_int - ${sqlInt(at.priceMinInt)}) // ${sqlInt(tick)} AS INTEGER) AS cell,
             ${fields.map((f) => `CAST(${f} AS FLOAT)`).join(', ')}
        FROM ${GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name}
       WHERE dataset_id = ${sqlInt(s.datasetId)}${nonZero}${windows}
         AND price_int BETWEEN ${sqlInt(pLo)} AND ${sqlInt(pHi)}`;
    await forEachChunk(this.conn, sql, (chunk, rows) => {
      const cell = numericItems(chunk.getColumnVector(0)) as Int32Array;
      for (let k = 0; k < fields.length; k++) {
        const v = numericItems(chunk.getColumnVector(1 + k)) as Float32Array;
        const out = outs[k];
        for (let r = 0; r < rows; r++) out[cell[r]] += v[r];
      }
    }, priority);
  }

  /**
   * Copies windows [start, start+nWindows) × prices [priceMinInt, +nPrices) of `field` into
   * `dst` (window-major). Prices outside the session range stay 0.
   */
  async copy(field: HeatmapField, start: number, nWindows: number, priceMinInt: bigint, nPrices: number, dst: Float32Array): Promise<void> {
    if (!this.ready(field) && !this.loadingAlone.has(field)) {
      // Not built yet (a switch right after the session opened): read only these windows now,
      // ahead of the background scans (a view is ~1/4 of the ESH4 hour: ~0.1 s instead of the
      // whole field's 0.1–0.4 s); the field's grid comes with its background scan, or is built
      // after this read when the cache does not keep every field.
      await this.scanInto([field], [dst], { origin: start, w0: start, w1: start + nWindows - 1, priceMinInt, nPrices }, 'now');
      if (!this.grids.has(field)) this.grid(field).catch(() => undefined);
      return;
    }
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
