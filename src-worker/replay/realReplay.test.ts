// Frames and slabs from a real ingest of ESH4 2023-12-25 (first trading hour, 18:00–19:00
// New York): encode → decode round trips compared value by value with the gold rows in DuckDB.
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import type { IngestSummary } from '../pipeline/ingestApi';
import { queryRows, type Database } from '../store/database';
import { FieldGridCache } from './fieldGridCache';
import { encodeFrame } from './frameEncoder';
import { GRID_ROWS, LEVELS_PER_SIDE } from './gridLayout';
import type { ReplaySession } from './sessionInfo';
import { useRealEsh4Session } from './testing/realEsh4Session';
import { buildSlab } from './slabBuilder';
import { loadWindowChunk } from './windowChunk';

const SEC = 1_000_000_000n;
let db: Database;
let summary: IngestSummary;
let session: ReplaySession;
useRealEsh4Session('spymaster-replay-', (r) => ({ db, summary, session } = r));

describe('replay of the real ESH4 session', () => {
  it('describes the session: 3600 windows from 23:00:01 UTC, ES tick, prices around 4800', () => {
    expect(session.windowCount).toBe(3600);
    expect(session.info.firstWindowEndNs).toBe((BigInt(summary.sessionStartNs) + SEC).toString());
    expect(session.info.symbol).toBe('ESH4');
    expect(session.info.timeZone).toBe('America/New_York');
    expect(session.info.tickInt).toBe(250_000_000);
    const lo = Number(BigInt(session.info.priceMinInt)) / 1e9;
    const hi = Number(BigInt(session.info.priceMaxInt)) / 1e9;
    expect(lo).toBeGreaterThan(4700);
    expect(hi).toBeLessThan(4900);
  });

  it('a live frame round-trips every gold value and the depth of its window exactly (Float32)', async () => {
    const index = 1800; // 18:30 New York
    const chunk = await loadWindowChunk(db.conn, session, 1790, 60);
    const frame = encodeFrame(chunk, index - 1790, session.tickInt);
    const windowEnd = session.firstWindowEndNs + BigInt(index) * SEC;
    expect(frame.windowEndNs).toBe(windowEnd);
    const snap = tableFromIPC(frame.parts[0]).get(0)!.toJSON();
    const grid = tableFromIPC(frame.parts[1]);
    expect(grid.numRows).toBe(GRID_ROWS);
    const [s] = await queryRows(db, `SELECT * FROM silver.future_mbo__book_snapshot_1s WHERE dataset_id = ${summary.datasetId} AND window_end_ts_ns = ${windowEnd}`);
    expect(snap.spot_ref_price_int).toBe(s.spot_ref_price_int);
    expect(snap.best_bid_price_int).toBe(s.best_bid_price_int);
    expect(snap.best_ask_qty).toBe(s.best_ask_qty);
    expect(snap.book_valid).toBe(s.book_valid);
    const gold = await queryRows(
      db,
      `SELECT g.*, d.depth_qty_end FROM gold.future_mbo__physics_surface_1s g
         LEFT JOIN silver.future_mbo__depth_and_flow_1s d USING (dataset_id, window_end_ts_ns, side, price_int)
        WHERE g.dataset_id = ${summary.datasetId} AND g.window_end_ts_ns = ${windowEnd}`,
    );
    expect(gold.length).toBeGreaterThan(100);
    const price = grid.getChild('price_int')!.toArray() as BigInt64Array;
    const depth = grid.getChild('depth_qty_end')!.toArray() as Uint32Array;
    const cols = HEATMAP_FIELDS.map((f) => grid.getChild(f)!.toArray() as Float32Array);
    let nonzero = 0;
    for (const g of gold) {
      const row = (g.side === 'B' ? 0 : LEVELS_PER_SIDE) + Number(g.rel_ticks) + 200;
      expect(price[row]).toBe(g.price_int);
      expect(depth[row]).toBe(Number(g.depth_qty_end ?? 0));
      HEATMAP_FIELDS.forEach((f, k) => {
        expect(cols[k][row]).toBe(Math.fround(Number(g[f])));
        if (cols[k][row] !== 0) nonzero++;
      });
    }
    expect(nonzero).toBeGreaterThan(gold.length); // real, varied values, not an empty grid
  });

  it('a 15-minute slab agrees with the frames cell by cell (bid + ask summed per price)', async () => {
    const from = session.firstWindowEndNs + 600n * SEC;
    const to = from + 899n * SEC;
    const t0 = performance.now();
    const slab = await buildSlab(db.conn, session, from, to, ['liquidity_velocity', 'rho']);
    const ms = performance.now() - t0;
    expect(slab.nWindows).toBe(900);
    const cells = tableFromIPC(slab.parts[1]);
    const windows = tableFromIPC(slab.parts[0]);
    expect(windows.numRows).toBe(900);
    const nPrices = Number(cells.schema.metadata.get('nPrices'));
    const pMin = BigInt(cells.schema.metadata.get('priceMinInt')!);
    expect(cells.numRows).toBe(900 * nPrices);
    const rho = cells.getChild('rho')!.toArray() as Float32Array;
    // Compare three windows of the slab with the same windows' frames.
    for (const i of [0, 450, 899]) {
      const index = 600 + i;
      const chunk = await loadWindowChunk(db.conn, session, index, 1);
      const grid = tableFromIPC(encodeFrame(chunk, 0, session.tickInt).parts[1]);
      const fp = grid.getChild('price_int')!.toArray() as BigInt64Array;
      const fr = grid.getChild('rho')!.toArray() as Float32Array;
      const expected = new Map<bigint, number>();
      for (let r = 0; r < GRID_ROWS; r++) if (fr[r] !== 0) expected.set(fp[r], (expected.get(fp[r]) ?? 0) + fr[r]);
      expect(expected.size).toBeGreaterThan(50);
      for (const [p, v] of expected) {
        const cell = rho[i * nPrices + Number((p - pMin) / session.tickInt)];
        expect(cell).toBeCloseTo(v, 4);
      }
    }
    // The in-memory session grid gives the same slab as the SQL path, cell for cell.
    const cache = new FieldGridCache(db.conn, session);
    const cached = await buildSlab(db.conn, session, from, to, ['liquidity_velocity', 'rho'], cache);
    expect(cached.nPrices).toBe(nPrices);
    const cc = tableFromIPC(cached.parts[1]);
    for (const f of ['liquidity_velocity', 'rho']) {
      const a = cells.getChild(f)!.toArray() as Float32Array;
      const b = cc.getChild(f)!.toArray() as Float32Array;
      let maxDiff = 0;
      for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      expect(maxDiff).toBeLessThan(1e-5);
    }
    expect(tableFromIPC(cached.parts[0]).getChild('spot_ref_price_int')!.toArray()).toEqual(windows.getChild('spot_ref_price_int')!.toArray());
    console.log(`slab 900 windows × ${nPrices} prices × 2 fields: ${slab.rowsRead} gold rows, ${ms.toFixed(1)} ms (query + fill + encode)`);
  });
});
