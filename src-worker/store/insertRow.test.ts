import { describe, expect, it } from 'vitest';
import { CATALOG_DATASETS, type CatalogDatasetsRow } from '../../contracts/generated/tables';
import { closeDatabase, openDatabase, queryRows } from './database';
import { insertRow, insertRowSql } from './insertRow';

const row: CatalogDatasetsRow = {
  dataset_id: 7,
  dataset_key: 'k',
  source_path: '/data/x.dbn.zst',
  source_sha256: 'ab'.repeat(32),
  source_bytes: 123n,
  symbol: 'ESH4',
  instrument_id: 5002,
  session_date: '2024-01-02',
  session_start_ts_ns: 1_704_205_800_000_000_000n,
  session_end_ts_ns: 1_704_209_400_000_000_000n,
  tick_int: 250_000_000n,
  config_json: '{}',
  params_hash: 'p',
  pipeline_version: 'v',
  rows_json: '{}',
  timings_json: '{}',
  status: 'ready',
  created_at: '2026-12-07T05:00:00.000Z',
  lookup_key: 'l',
};

describe('insertRow', () => {
  it('names every column of the declaration, in its order', () => {
    const sql = insertRowSql(CATALOG_DATASETS);
    expect(sql).toContain(`(${CATALOG_DATASETS.columns.join(', ')})`);
    expect(sql).toContain(`$${CATALOG_DATASETS.columns.length})`);
  });

  it('puts each value in the column of its name (real DuckDB catalog table)', async () => {
    const db = await openDatabase(':memory:');
    try {
      await insertRow(db.conn, CATALOG_DATASETS, row);
      const [got] = await queryRows(db, `SELECT * FROM ${CATALOG_DATASETS.name}`);
      for (const c of CATALOG_DATASETS.columns) {
        if (c === 'created_at') continue; // (a TIMESTAMP: compared below)
        expect([c, String(got[c])]).toEqual([c, String(row[c])]);
      }
      expect(new Date(String(got.created_at) + (String(got.created_at).endsWith('Z') ? '' : 'Z')).getTime()).toBe(Date.parse(row.created_at));
    } finally {
      await closeDatabase(db);
    }
  });
});
