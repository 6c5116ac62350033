// Cancelling an ingest mid-way leaves no dataset and no rows behind, and the database stays
// usable: the next ingest into the same file succeeds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../contracts/registry';
import { duckdbTableName } from '../../contracts/columns';
import { closeDatabase, listDatasets, openDatabase, queryRows } from '../store/database';
import { IngestError } from './errors';
import { ingestFile } from './ingest';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function totalRows(dbPath: string): Promise<number> {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    let n = 0;
    for (const t of TABLES) n += Number((await queryRows(db, `SELECT count(*) AS n FROM ${duckdbTableName(t)}`))[0].n);
    return n;
  } finally {
    await closeDatabase(db);
  }
}

describe('cancel mid-ingest', () => {
  it('rolls back everything; the database stays usable', async () => {
    const dbPath = join(dir, 'cancel.duckdb');
    const ac = new AbortController();
    let progressEvents = 0;
    const err = await ingestFile({
      file: FILE,
      dbPath,
      start: '18:00',
      end: '18:30',
      tz: 'America/New_York',
      signal: ac.signal,
      onProgress: (p) => {
        progressEvents = p.events;
        if (p.events > 0) ac.abort();
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('ingest.cancelled');
    expect(progressEvents).toBeGreaterThan(0);
    expect(await totalRows(dbPath)).toBe(0);

    const ok = await ingestFile({ file: FILE, dbPath, start: '18:00', end: '18:05', tz: 'America/New_York' });
    expect(ok.rows['silver.future_mbo.book_snapshot_1s']).toBe(300);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      expect((await listDatasets(db)).map((d) => d.status)).toEqual(['ready']);
    } finally {
      await closeDatabase(db);
    }
  }, 60_000);

  it('rejects bad configuration with typed errors before touching the database', async () => {
    const dbPath = join(dir, 'bad.duckdb');
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e as IngestError).code);
    expect(await codeOf(ingestFile({ file: FILE, dbPath, start: '09:30', end: '10:30', date: '2024-01-02' }))).toBe('config.window_outside_file');
    expect(await codeOf(ingestFile({ file: FILE, dbPath, start: '10:00', end: '10:00' }))).toBe('config.empty_window');
    expect(await codeOf(ingestFile({ file: FILE, dbPath, symbol: 'NQZ9' }))).toBe('config.unknown_symbol');
    expect(await codeOf(ingestFile({ file: FILE, dbPath, tz: 'Mars/Olympus' }))).toBe('config.bad_timezone');
    expect(await codeOf(ingestFile({ file: FILE, dbPath, start: '25:99' }))).toBe('config.bad_time');
    expect(await codeOf(ingestFile({ file: FILE, dbPath, params: { nu0: 'x' as unknown as number } }))).toBe('config.bad_params');
  }, 60_000);
});
