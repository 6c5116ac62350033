// The eager ingest worker builds before the DuckDB thread is ready: its chunks (and even its
// 'done') wait in an inbox, and the DuckDB end of the channel writes the real dataset id into
// every chunk before appending (the worker only knows 0).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbTableName } from '../../contracts/columns';
import { resolveParams } from '../../contracts/params';
import { futureMbo } from '../products/futureMbo';
import { closeDatabase, openDatabase, queryRows } from '../store/database';
import { TableAppenders } from './ingestCommit';
import { IngestProducer, resolveBuild, type ProducerRequest } from './ingestProducer';
import { MAX_CHUNKS_IN_FLIGHT, spawnWorkerChannel } from './ingestThreads';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-eager-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eager ingest worker', () => {
  it('a build finished before the transaction is ready is appended whole, with the real dataset id', async () => {
    const req: ProducerRequest = { product: 'future_mbo', file: REAL, sourceBytes: statSync(REAL).size, start: '18:00', end: '18:01', tz: 'America/New_York', bronze: true, gridHalfWidthTicks: 200, restThresholdMs: 500, params: resolveParams({}) };
    const header = new IngestProducer(req);
    const build = resolveBuild(req, await header.open());
    await header.close();
    const channel = spawnWorkerChannel(req, 'worker', MAX_CHUNKS_IN_FLIGHT)!;
    expect(channel.mode).toBe('worker');
    channel.start(build);
    // Wait until the worker has sent everything, 'done' included (one minute of windows: well
    // under a second of work).
    const inner = channel as unknown as { inbox: { type: string }[]; result: unknown };
    for (let i = 0; i < 600 && inner.result === null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(inner.result).not.toBeNull();
    expect(inner.inbox.length).toBeGreaterThan(1);
    const db = await openDatabase(join(dir, 'eager.duckdb'));
    try {
      await db.conn.run('BEGIN TRANSACTION');
      const appenders = await TableAppenders.create(db, futureMbo, 7);
      const result = await channel.drain(appenders, () => undefined);
      appenders.close();
      await db.conn.run('COMMIT');
      expect(result.rows['silver.future_mbo.book_snapshot_1s']).toBe(60);
      for (const { decl } of futureMbo.tables) {
        const r = await queryRows(db, `SELECT count(*) AS n, count(*) FILTER (WHERE dataset_id <> 7) AS other FROM ${duckdbTableName(decl)}`);
        expect(Number(r[0].n), decl.name).toBeGreaterThan(0);
        expect(Number(r[0].other), decl.name).toBe(0);
      }
    } finally {
      await channel.close();
      await closeDatabase(db);
    }
  }, 60_000);
});
