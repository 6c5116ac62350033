// A simulated ES day (pre-open + the RTH open) through the whole pipeline: the same SPEC §3
// checks as on real data, plus the simulator's guarantees seen from our side (no skipped or
// unknown-order events, never a crossed book at F_LAST, R before the snapshot handled).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { simulateToFile } from '../sim/index';
import { closeDatabase, listDatasets, openDatabase, queryRows } from '../store/database';
import { checkDataset } from './goldCheck';
import { ingestFile } from './ingest';
import type { IngestSummary } from './ingestApi';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-sim-'));
const file = join(dir, 'sim.dbn.zst');
const dbPath = join(dir, 'sim.duckdb');
const params = { ...DEFAULT_PARAMS, nu_rho: 0.5, walls_top_n: 2 };
let summary: IngestSummary;

beforeAll(async () => {
  await simulateToFile({ out: file, symbol: 'ESH6', date: '2026-01-06', start: '09:20', end: '09:36', seed: 7, intensity: 0.15, clearBeforeSnapshot: true });
  summary = await ingestFile({ file, dbPath, date: '2026-01-06', start: '09:28', end: '09:34', tz: 'America/New_York', params });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest of a simulated ES session across the 09:30 open', () => {
  it('applies every event without skips and never sees a crossed book', async () => {
    expect(summary.symbol).toBe('ESH6');
    expect(summary.events.skipped).toEqual({});
    expect(summary.rows['silver.future_mbo.book_snapshot_1s']).toBe(6 * 60);
    expect(summary.events.processed).toBeGreaterThan(10_000);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const cfg = JSON.parse(String((await queryRows(db, 'SELECT config_json FROM catalog.datasets'))[0].config_json));
      expect(cfg.book.crossedEvents).toBe(0);
      expect(cfg.book.modifyUnknownAdded).toBe(0);
      expect(cfg.params.nu_rho).toBe(0.5);
    } finally {
      await closeDatabase(db);
    }
  });

  it('silver invariants and gold recomputation hold on every row (non-default parameters)', async () => {
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const r = await checkDataset(db, summary.datasetId, summary.tickInt, params);
      expect(r.validWindows).toBe(r.windows);
      expect(r.silverRows).toBeGreaterThan(r.windows * 100);
      const walls = await queryRows(db, `SELECT max(rank) AS top FROM gold.future_mbo__walls_voids_1s WHERE kind = 'W'`);
      expect(walls[0].top).toBe(2);
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);

  it('a different parameter file is a different dataset; the same one is a cache hit', async () => {
    const same = await ingestFile({ file, dbPath, date: '2026-01-06', start: '09:28', end: '09:34', params });
    expect(same.cacheHit).toBe(true);
    const other = await ingestFile({ file, dbPath, date: '2026-01-06', start: '09:28', end: '09:34' });
    expect(other.cacheHit).toBe(false);
    expect(other.datasetId).not.toBe(summary.datasetId);
  }, 120_000);

  it('--force rebuilds under a new id and removes the old build entirely', async () => {
    const forced = await ingestFile({ file, dbPath, date: '2026-01-06', start: '09:28', end: '09:34', params, force: true });
    expect(forced.cacheHit).toBe(false);
    expect(forced.rows).toEqual(summary.rows);
    expect(forced.datasetId).toBeGreaterThan(summary.datasetId);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const ids = (await listDatasets(db, { all: true })).map((d) => d.datasetId);
      expect(ids).toContain(forced.datasetId);
      expect(ids).not.toContain(summary.datasetId);
      const left = await queryRows(db, `SELECT count(*) AS n FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = ${summary.datasetId}`);
      expect(left[0].n).toBe(0n);
      const r = await checkDataset(db, forced.datasetId, forced.tickInt, params);
      expect(r.silverRows).toBe(summary.rows['silver.future_mbo.depth_and_flow_1s']);
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);
});
