// Real data: ESH4 2023-12-25, first trading hour (18:00–19:00 America/New_York), through the
// whole pipeline into a real DuckDB file, then checked against SPEC §3 from the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { closeDatabase, listDatasets, openDatabase, queryRows } from '../store/database';
import { checkDataset } from './goldCheck';
import { ingestFile } from './ingest';
import type { IngestSummary } from './ingestApi';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-real-'));
const dbPath = join(dir, 'real.duckdb');
const session = { start: '18:00', end: '19:00', tz: 'America/New_York' };
let summary: IngestSummary;

beforeAll(async () => {
  summary = await ingestFile({ file: FILE, dbPath, ...session });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest of real ESH4 2023-12-25, 18:00–19:00 New York', () => {
  it('builds a ready dataset with the expected shape', async () => {
    expect(summary.cacheHit).toBe(false);
    expect(summary.symbol).toBe('ESH4');
    expect(summary.sessionDate).toBe('2023-12-25');
    expect(summary.sessionStartNs).toBe('1703545200000000000'); // 23:00 UTC
    expect(summary.rows['silver.future_mbo.book_snapshot_1s']).toBe(3600);
    expect(summary.rows['bronze.future_mbo.mbo']).toBe(68_792);
    expect(summary.events.processed).toBe(68_792);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const ds = await listDatasets(db);
      expect(ds.map((d) => [d.datasetId, d.status])).toEqual([[summary.datasetId, 'ready']]);
      const counts = await queryRows(
        db,
        `SELECT (SELECT count(*) FROM gold.future_mbo__physics_surface_1s) AS gold,
                (SELECT count(*) FROM silver.future_mbo__depth_and_flow_1s) AS silver,
                (SELECT count(*) FROM silver.future_mbo__cells_1s) AS cells,
                (SELECT count(*) FROM bronze.future_mbo__mbo WHERE price IS NULL) AS null_prices,
                (SELECT count(*) FROM bronze.future_mbo__mbo WHERE action = 'F' AND side = 'N') AS fills_side_n`,
      );
      expect(Number(counts[0].gold)).toBe(summary.rows['gold.future_mbo.physics_surface_1s']);
      expect(Number(counts[0].silver)).toBeGreaterThan(1_000_000);
      // Both are views over the cells stored once: the summary reports the cell count for each.
      expect(counts[0].cells).toBe(counts[0].silver);
      expect(Number(counts[0].silver)).toBe(summary.rows['silver.future_mbo.depth_and_flow_1s']);
      expect(counts[0].fills_side_n).toBe(35n); // README: act_FN 35
    } finally {
      await closeDatabase(db);
    }
  });

  it('silver conservation, spot_ref and rel_ticks hold on every row; every gold value matches a recomputation from silver', async () => {
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const r = await checkDataset(db, summary.datasetId, summary.tickInt, DEFAULT_PARAMS);
      expect(r.windows).toBe(3600);
      expect(r.validWindows).toBeGreaterThan(3500);
      expect(r.goldValuesCompared).toBe(25 * r.silverRows);
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);

  it('re-ingesting the same file and session is a cache hit', async () => {
    const again = await ingestFile({ file: FILE, dbPath, ...session });
    expect(again.cacheHit).toBe(true);
    expect(again.datasetId).toBe(summary.datasetId);
    expect(again.rows).toEqual(summary.rows);
  }, 60_000);
});
