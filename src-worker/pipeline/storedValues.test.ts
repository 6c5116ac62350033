// What the database returns for every gold column equals what the engine computed, to the last
// bit: physics_surface_1s is a view over the stored cells (silver.future_mbo__cells_1s), and the
// columns it computes when read (intensities, phi_rest, kappa, the bands,
// wave energy, pressure_grad, void_strength) use the engine's own IEEE operations in the same
// order, so they are exact too. Bronze rtype (a VIRTUAL column) reads 160.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { goldFuturePhysicsSurface1s } from '../../contracts/tables/gold';
import { readDbnFile } from '../dbn/reader';
import { closeDatabase, openDatabase, queryColumns, queryRows } from '../store/database';
import { FuturesEngine } from './futuresEngine';
import { ingestFile } from './ingest';
import type { WindowGrid } from '../fields/windowGrid';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-stored-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Contract column → WindowGrid array.
const FIELD: Record<string, keyof WindowGrid> = {
  add_intensity: 'addIntensity', pull_intensity: 'pullIntensity', fill_intensity: 'fillIntensity', liquidity_velocity: 'u',
  rho: 'rho', phi_rest: 'phiRest', kappa: 'kappa', nu: 'nu', u_ema_2: 'ema2', u_ema_8: 'ema8', u_ema_32: 'ema32', u_ema_128: 'ema128',
  u_band_fast: 'bandFast', u_band_mid: 'bandMid', u_band_slow: 'bandSlow', u_wave_energy: 'waveEnergy', du_dt: 'duDt', d2u_dt2: 'd2uDt2',
  du_dx: 'duDx', d2u_dx2: 'd2uDx2', dnu_dx: 'dnuDx', d2nu_dx2: 'd2nuDx2', pressure_grad: 'pressureGrad', wall_strength: 'wallStrength', void_strength: 'voidStrength',
};

describe('gold values in DuckDB vs the engine', () => {
  it('every gold column read through the view is bit-identical to the engine, stored or computed', async () => {
    const dbPath = join(dir, 'g.duckdb');
    const s = await ingestFile({ file: REAL, dbPath, start: '18:00', end: '18:03', tz: 'America/New_York' });
    const fields = goldFuturePhysicsSurface1s.columns.slice(7);
    expect(fields.map((c) => c.name).sort()).toEqual(Object.keys(FIELD).sort());
    const generated = new Set(fields.filter((c) => c.generated).map((c) => c.name));
    expect([...generated].sort()).toEqual([
      'add_intensity', 'fill_intensity', 'kappa', 'phi_rest', 'pressure_grad', 'pull_intensity',
      'u_band_fast', 'u_band_mid', 'u_band_slow', 'u_wave_energy', 'void_strength',
    ]);

    // The engine alone over the same file, rows in write order (window, bid cells then ask cells).
    const want: Record<string, number[]> = Object.fromEntries(fields.map((c) => [c.name, []]));
    const engine = new FuturesEngine(
      {
        instrumentId: s.instrumentId,
        tickInt: s.tickInt,
        sessionStartSec: Number(BigInt(s.sessionStartNs) / 1_000_000_000n),
        sessionEndSec: Number(BigInt(s.sessionEndNs) / 1_000_000_000n),
        gridHalfWidthTicks: 200,
        restThresholdMs: 500,
        params: DEFAULT_PARAMS,
      },
      (g) => {
        if (!g.valid) return;
        for (let c = 0; c < g.cells; c++) if (g.hasRow[c]) for (const f of fields) want[f.name].push((g[FIELD[f.name]] as Float64Array)[c]);
      },
    );
    for await (const ev of readDbnFile(REAL)) {
      if (ev.kind !== 'mbo') continue;
      engine.pushBatch(ev.batch);
      if (engine.done) break;
    }
    engine.finish();

    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const got = await queryColumns(
        db,
        `SELECT ${fields.map((c) => c.name).join(', ')} FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = ${s.datasetId}
          ORDER BY window_end_ts_ns, side = 'A', rel_ticks`,
      );
      expect(got.rowCount).toBe(want.rho.length);
      expect(got.rowCount).toBeGreaterThan(50_000);
      for (const f of fields) {
        const g = got.columns[f.name] as Float64Array;
        const w = want[f.name];
        let bad = 0;
        let first = -1;
        for (let i = 0; i < w.length; i++) {
          const ok = Object.is(g[i], w[i]);
          if (!ok && bad++ === 0) first = i;
        }
        expect(bad, `${f.name}: ${bad} differ, first at ${first}: db ${g[first]} engine ${w[first]}`).toBe(0);
      }
      const rt = await queryRows(db, `SELECT min(rtype) AS lo, max(rtype) AS hi, count(*) AS n FROM bronze.future_mbo__mbo`);
      expect(rt[0]).toEqual({ lo: 160, hi: 160, n: BigInt(s.rows['bronze.future_mbo.mbo']) });
      // Bronze: every stored value equals the decoded record's, in file order.
      const br = await queryColumns(
        db,
        `SELECT seq_in_file, ts_recv, ts_event, publisher_id, instrument_id, action::VARCHAR AS action, side::VARCHAR AS side, coalesce(price, 9223372036854775807) AS price, size, channel_id, order_id, flags, ts_in_delta, sequence
           FROM bronze.future_mbo__mbo WHERE dataset_id = ${s.datasetId} ORDER BY seq_in_file`,
      );
      const C = br.columns;
      const u64 = (hi: number, lo: number) => (BigInt(hi) << 32n) | BigInt(lo);
      let k = 0;
      let mismatch = '';
      for await (const ev of readDbnFile(REAL)) {
        if (ev.kind !== 'mbo' || k >= br.rowCount) continue;
        const b = ev.batch;
        for (let i = 0; i < b.count && k < br.rowCount; i++) {
          if (b.instrumentId[i] !== s.instrumentId) continue;
          const got = [C.seq_in_file[k], C.ts_recv[k], C.ts_event[k], C.publisher_id[k], C.instrument_id[k], C.action[k], C.side[k], C.price[k], C.size[k], C.channel_id[k], C.order_id[k], C.flags[k], C.ts_in_delta[k], C.sequence[k]];
          const want = [
            BigInt(b.recordIndex[i]), u64(b.tsRecvHi[i], b.tsRecvLo[i]), u64(b.tsEventHi[i], b.tsEventLo[i]), b.publisherId[i], b.instrumentId[i],
            String.fromCharCode(b.action[i]), String.fromCharCode(b.side[i]), b.price[i] === b.price[i] ? BigInt(b.price[i]) : 9223372036854775807n,
            b.size[i], b.channelId[i], u64(b.orderIdHi[i], b.orderIdLo[i]), b.flags[i], b.tsInDelta[i], b.sequence[i],
          ];
          if (!mismatch && got.some((g, j) => g !== want[j])) mismatch = `row ${k}: ${got.join(',')} ≠ ${want.join(',')}`;
          k++;
        }
      }
      expect(k).toBe(br.rowCount);
      expect(mismatch).toBe('');
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);
});
