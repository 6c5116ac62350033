// The eager ingest worker builds before the DuckDB thread is ready: its chunks (and even its
// 'done') wait in an inbox, and the DuckDB thread writes the real dataset id into every chunk
// before appending (the worker only knows 0).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbTableName } from '../../contracts/columns';
import { resolveParams } from '../../contracts/params';
import { ChunkAppender } from '../store/chunkWriter';
import { closeDatabase, openDatabase, queryRows } from '../store/database';
import { startProducer } from './ingestThreads';
import { BUILD_TABLES } from './tableWriters';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-eager-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eager ingest worker', () => {
  it('a build finished before the transaction is ready is appended whole, with the real dataset id', async () => {
    const req = { file: REAL, sourceBytes: statSync(REAL).size, start: '18:00', end: '18:01', tz: 'America/New_York', bronze: true, gridHalfWidthTicks: 200, restThresholdMs: 500, params: resolveParams({}) };
    const producer = await startProducer(req, undefined, 'worker', { eager: true });
    expect(producer.mode).toBe('worker');
    // Wait until the worker has sent everything, 'done' included (one minute of windows: well
    // under a second of work).
    const inbox = (producer as unknown as { inbox: { type: string }[] }).inbox;
    for (let i = 0; i < 600 && !inbox.some((m) => m.type === 'done'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(inbox.some((m) => m.type === 'done')).toBe(true);
    expect(inbox.filter((m) => m.type === 'chunks').length).toBeGreaterThan(1);
    const db = await openDatabase(join(dir, 'eager.duckdb'));
    try {
      await db.conn.run('BEGIN TRANSACTION');
      const appenders: ChunkAppender[] = [];
      for (const decl of BUILD_TABLES) appenders.push(await ChunkAppender.create(db.conn, decl));
      const result = await producer.run(7, appenders, () => undefined);
      for (const a of appenders) a.close();
      await db.conn.run('COMMIT');
      expect(result.rows['silver.future_mbo.book_snapshot_1s']).toBe(60);
      for (const decl of BUILD_TABLES) {
        const r = await queryRows(db, `SELECT count(*) AS n, count(*) FILTER (WHERE dataset_id <> 7) AS other FROM ${duckdbTableName(decl)}`);
        expect(Number(r[0].n), decl.name).toBeGreaterThan(0);
        expect(Number(r[0].other), decl.name).toBe(0);
      }
    } finally {
      await producer.close();
      await closeDatabase(db);
    }
  }, 60_000);
});
