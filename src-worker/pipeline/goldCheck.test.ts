// The independent SPEC §3 check follows the build: a dataset built on a ±30-tick ladder (ingest
// accepts any half-width) is checked on that ladder — edges, walls/voids search and the front
// window — not on the default ±200, and every gold value column the contract declares is
// compared.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { GOLD_VALUE_COLUMNS } from '../../contracts/tables/gold';
import { simulateToFile } from '../sim/index';
import { closeDatabase, openDatabase, queryRows } from '../store/database';
import { checkDataset } from './goldCheck';
import { ingestFile } from './ingest';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-goldcheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkDataset', () => {
  it('checks a ±30-tick build on its own ladder, every declared gold column', async () => {
    const file = join(dir, 'sim.dbn');
    const dbPath = join(dir, 'narrow.duckdb');
    await simulateToFile({ out: file, symbol: 'ESH6', date: '2026-01-06', start: '09:29', end: '09:32', seed: 3, intensity: 0.15 });
    const s = await ingestFile({ file, dbPath, date: '2026-01-06', start: '09:30', end: '09:31', tz: 'America/New_York', gridHalfWidthTicks: 30 });
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const edge = await queryRows(db, `SELECT min(rel_ticks) AS lo, max(rel_ticks) AS hi FROM silver.future_mbo__depth_and_flow_1s WHERE dataset_id = ${s.datasetId}`);
      expect(edge[0]).toEqual({ lo: -30, hi: 30 });
      const r = await checkDataset(db, s.datasetId, s.tickInt, DEFAULT_PARAMS);
      expect(r.windows).toBe(60);
      expect(r.validWindows).toBe(60);
      expect(r.goldValuesCompared).toBe(GOLD_VALUE_COLUMNS.length * r.silverRows);
      expect(GOLD_VALUE_COLUMNS).toContain('liquidity_velocity');
      expect(GOLD_VALUE_COLUMNS).not.toContain('price_int');
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);
});
