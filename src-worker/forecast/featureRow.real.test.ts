// The forecast feature row on real data (ESH4 2023-12-25, 18:00–19:00 New York):
// - written at ingest, identical whether the build runs in the worker thread or inline;
// - equal to a direct recomputation from the stored gold rows in DuckDB (SQL over
//   physics_surface_1s, book_snapshot_1s, walls_voids_1s);
// - batch = streaming: the engine fed in decoder batches or event by event gives identical
//   rows, equal to the stored ones; the same on a short simulated span.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, FORECAST_KS, FORECAST_SIGMAS } from '../../contracts/params';
import { readDbnFile } from '../dbn/reader';
import { emaAlpha } from '../fields/goldFields';
import { FuturesEngine } from '../pipeline/futuresEngine';
import { ingestFile } from '../pipeline/ingest';
import { simulateToFile } from '../sim/index';
import { closeDatabase, openDatabase, queryRows, type Database } from '../store/database';
import { cloneFeatureRow, nuIndex, type FeatureRow } from './featureRow';
import { readFeatureRows } from './featureRows';
import { ForecastFeatureStep } from './featureStep';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const START = 1703545200; // 18:00 New York
const dir = mkdtempSync(join(tmpdir(), 'spymaster-features-'));
const session = { start: '18:00', end: '19:00', tz: 'America/New_York' };
let inlineRows: FeatureRow[];
let workerRows: FeatureRow[];
let db: Database;
let datasetId: number;

beforeAll(async () => {
  const a = await ingestFile({ file: FILE, dbPath: join(dir, 'inline.duckdb'), ...session, bronze: false, threads: 'inline' });
  const b = await ingestFile({ file: FILE, dbPath: join(dir, 'worker.duckdb'), ...session, bronze: false, threads: 'worker' });
  expect(a.rows['gold.future_mbo.forecast_features_1s']).toBe(3600);
  expect(b.rows['gold.future_mbo.forecast_features_1s']).toBe(3600);
  const dbB = await openDatabase(join(dir, 'worker.duckdb'), { readOnly: true });
  workerRows = await readFeatureRows(dbB, b.datasetId);
  await closeDatabase(dbB);
  db = await openDatabase(join(dir, 'inline.duckdb'), { readOnly: true });
  datasetId = a.datasetId;
  inlineRows = await readFeatureRows(db, datasetId);
}, 180_000);
afterAll(async () => {
  if (db) await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

async function engineRows(file: string, cfg: { instrumentId: number; tickInt: number; startSec: number; endSec: number }, batchSize: number, oneByOne: boolean): Promise<FeatureRow[]> {
  const rows: FeatureRow[] = [];
  const engine = new FuturesEngine(
    { instrumentId: cfg.instrumentId, tickInt: cfg.tickInt, sessionStartSec: cfg.startSec, sessionEndSec: cfg.endSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
    [new ForecastFeatureStep((r) => rows.push(cloneFeatureRow(r)))],
  );
  for await (const ev of readDbnFile(file, { batchSize })) {
    if (ev.kind !== 'mbo' || engine.done) continue;
    if (oneByOne) for (let i = 0; i < ev.batch.count && !engine.done; i++) engine.pushBatch(ev.batch, i, i + 1);
    else engine.pushBatch(ev.batch);
  }
  engine.finish();
  return rows;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(a) + Math.abs(b));

describe('forecast feature rows, real ESH4 hour', () => {
  it('one row per session window; worker and inline builds store identical rows', () => {
    expect(inlineRows.length).toBe(3600);
    expect(inlineRows[0].windowSec).toBe(START);
    expect(inlineRows.filter((r) => r.valid).length).toBeGreaterThan(3000);
    expect(workerRows).toEqual(inlineRows);
  });

  it('equals a direct recomputation from the stored gold rows (SQL)', async () => {
    const ds = datasetId;
    const a8 = emaAlpha(8);
    const sig = FORECAST_SIGMAS.map((s) => `sum(exp(-(d*d)/(2.0*${s}*${s})) * pressure_grad) AS f${s}, sum(exp(-(d*d)/(2.0*${s}*${s})) * sgn * ${a8 / (1 - a8)} * (liquidity_velocity - u_ema_8)) AS fs${s}`);
    const nus = FORECAST_KS.map(
      (k) =>
        `sum(CASE WHEN d <= ${k} THEN rho END) / ${2 * (k + 1)} AS rho${k}, sum(CASE WHEN d <= ${k} THEN phi_rest END) / ${2 * (k + 1)} AS phi${k}, sum(CASE WHEN d <= ${k} THEN greatest(u_ema_32, 0) END) / ${2 * (k + 1)} AS s${k},` +
        ` sum(CASE WHEN d <= ${k} THEN rho * (${k + 1} - d) END) / ${(k + 1) * (k + 2)} AS rhot${k}`,
    );
    const fieldRows = await queryRows(
      db,
      `WITH c AS (SELECT window_end_ts_ns AS w, CASE WHEN side = 'B' THEN -rel_ticks ELSE rel_ticks END AS d, CASE WHEN side = 'B' THEN 1 ELSE -1 END AS sgn, *
                  FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = ${ds} AND ((side = 'B' AND rel_ticks <= 0) OR (side = 'A' AND rel_ticks >= 0)))
       SELECT w, ${sig.join(', ')}, ${nus.join(', ')}, sum(CASE WHEN d <= 5 THEN u_wave_energy END) / 12 AS wave FROM c GROUP BY w`,
    );
    const kap = await queryRows(
      db,
      `SELECT window_end_ts_ns AS w, ${FORECAST_KS.map(
        (k) => `1 + coalesce(sum(CASE WHEN side = 'A' AND rel_ticks_side BETWEEN 0 AND ${k - 1} THEN kappa - 1 END), 0) / ${k} - 1 - coalesce(sum(CASE WHEN side = 'B' AND rel_ticks_side BETWEEN -${k - 1} AND 0 THEN kappa - 1 END), 0) / ${k} AS k${k}`,
      ).join(', ')}
       FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = ${ds} GROUP BY window_end_ts_ns`,
    );
    const walls = await queryRows(
      db,
      `SELECT window_end_ts_ns AS w, kind, direction, CASE WHEN direction = 'U' THEN rel_ticks ELSE -rel_ticks END AS dist FROM gold.future_mbo__walls_voids_1s WHERE dataset_id = ${ds} AND rank = 1`,
    );
    const snap = await queryRows(
      db,
      `SELECT window_end_ts_ns AS w, book_valid AS v, best_bid_price_int / 250000000 AS pb, best_bid_qty AS qb, best_ask_price_int / 250000000 AS pa, best_ask_qty AS qa,
              lag(book_valid) OVER o AS v0, lag(best_bid_price_int) OVER o / 250000000 AS pb0, lag(best_bid_qty) OVER o AS qb0, lag(best_ask_price_int) OVER o / 250000000 AS pa0, lag(best_ask_qty) OVER o AS qa0
       FROM silver.future_mbo__book_snapshot_1s WHERE dataset_id = ${ds} WINDOW o AS (ORDER BY window_end_ts_ns)`,
    );
    const byW = new Map(inlineRows.map((r) => [BigInt(r.windowSec + 1) * 1_000_000_000n, r]));
    let checked = 0;
    for (const q of fieldRows) {
      const r = byW.get(q.w as bigint)!;
      expect(r.valid).toBe(true);
      FORECAST_SIGMAS.forEach((s, i) => {
        expect(close(r.f[i], Number(q[`f${s}`]))).toBe(true);
        expect(close(r.fSlope[i], Number(q[`fs${s}`]))).toBe(true);
      });
      for (const k of FORECAST_KS) {
        expect(close(r.nu[nuIndex('flat', k, 'rho')], Number(q[`rho${k}`] ?? 0))).toBe(true);
        expect(close(r.nu[nuIndex('flat', k, 'phi')], Number(q[`phi${k}`] ?? 0))).toBe(true);
        expect(close(r.nu[nuIndex('flat', k, 's')], Number(q[`s${k}`] ?? 0))).toBe(true);
        expect(close(r.nu[nuIndex('triangular', k, 'rho')], Number(q[`rhot${k}`] ?? 0))).toBe(true);
        expect(close(r.nu[nuIndex('flat', k, 's1')], 1)).toBe(true);
        expect(close(r.nu[nuIndex('triangular', k, 's1')], 1)).toBe(true);
        expect(r.nu[nuIndex('flat', k, 'opt')]).toBe(0);
      }
      expect(close(r.waveEnergyNear, Number(q.wave ?? 0))).toBe(true);
      checked++;
    }
    expect(checked).toBe(inlineRows.filter((r) => r.valid).length);
    for (const q of kap) {
      const r = byW.get(q.w as bigint)!;
      FORECAST_KS.forEach((k, i) => expect(close(r.kappaAsym[i], Number(q[`k${k}`]))).toBe(true));
    }
    const nearest = new Map<string, number>();
    for (const q of walls) nearest.set(`${q.w}/${q.kind}${q.direction}`, Number(q.dist));
    let withWall = 0;
    for (const r of inlineRows) {
      if (!r.valid) continue;
      const w = BigInt(r.windowSec + 1) * 1_000_000_000n;
      const get = (key: string) => nearest.get(`${w}/${key}`) ?? NaN;
      expect([r.wallAboveTicks, r.wallBelowTicks, r.voidAboveTicks, r.voidBelowTicks]).toEqual([get('WU'), get('WD'), get('VU'), get('VD')]);
      if (r.wallAboveTicks === r.wallAboveTicks) withWall++;
    }
    expect(withWall).toBeGreaterThan(100);
    let nonZeroOfi = 0;
    for (const q of snap) {
      const r = byW.get(q.w as bigint)!;
      expect(r.valid).toBe(q.v);
      let e = 0;
      if (q.v && q.v0) {
        const [pb, qb, pa, qa, pb0, qb0, pa0, qa0] = [q.pb, q.qb, q.pa, q.qa, q.pb0, q.qb0, q.pa0, q.qa0].map(Number);
        e = (pb >= pb0 ? qb : 0) - (pb <= pb0 ? qb0 : 0) - (pa <= pa0 ? qa : 0) + (pa >= pa0 ? qa0 : 0);
      }
      expect(r.ofiE).toBe(e);
      if (e !== 0) nonZeroOfi++;
    }
    expect(nonZeroOfi).toBeGreaterThan(500);
  }, 60_000);

  it('batch = streaming: batches of 8192 and event by event give identical rows, equal to the stored ones', async () => {
    const cfg = { instrumentId: 17077, tickInt: 250_000_000, startSec: START, endSec: START + 3600 };
    const batch = await engineRows(FILE, cfg, 8192, false);
    const stream = await engineRows(FILE, cfg, 777, true);
    expect(stream).toEqual(batch);
    expect(batch).toEqual(inlineRows);
  }, 120_000);

  it('batch = streaming on a short simulated span', async () => {
    const file = join(dir, 'sim.dbn');
    const s = await simulateToFile({ out: file, symbol: 'ESH6', date: '2026-01-06', start: '09:25', end: '09:33', seed: 11, intensity: 0.1 });
    const startSec = Date.UTC(2026, 0, 6, 14, 29) / 1000; // 09:29 New York
    const cfg = { instrumentId: s.instrumentId, tickInt: 250_000_000, startSec, endSec: startSec + 180 };
    const batch = await engineRows(file, cfg, 4096, false);
    const stream = await engineRows(file, cfg, 333, true);
    expect(batch.length).toBe(180);
    expect(batch.filter((r) => r.valid && r.f[2] !== 0).length).toBeGreaterThan(100);
    expect(stream).toEqual(batch);
  }, 120_000);
});
