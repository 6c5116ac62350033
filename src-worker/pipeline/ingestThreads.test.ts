// The compute half of an ingest runs in a worker thread (overlapping DuckDB's appends) or
// inline: both build exactly the same tables, and errors keep their type and code across the
// thread boundary; a failure mid-build leaves nothing behind.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../contracts/registry';
import { duckdbTableName } from '../../contracts/columns';
import { DbnError, TruncatedZstdError } from '../dbn/errors';
import { closeDatabase, openDatabase, queryRows } from '../store/database';
import { IngestError } from './errors';
import { ingestFile } from './ingest';
import { resolveThreadMode } from './ingestChannel';
import { resolveParams } from '../../contracts/params';
import { bundleIsFresh, deserializeError, findIngestWorker, serializeError, spawnWorkerChannel, withoutTsxLoader, type WorkerManifest } from './ingestThreads';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const session = { start: '18:00', end: '18:04', tz: 'America/New_York' };

/** Per table: row count and an order-independent fingerprint of every column's bits. */
async function fingerprint(dbPath: string): Promise<Record<string, string>> {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      if (t.stage === 'catalog') continue;
      const cols = t.columns.map((c) => `"${c.name}"`).join(', ');
      const r = await queryRows(db, `SELECT count(*) AS n, bit_xor(hash(${cols})) AS h FROM ${duckdbTableName(t)}`);
      out[duckdbTableName(t)] = `${r[0].n}:${r[0].h}`;
    }
    return out;
  } finally {
    await closeDatabase(db);
  }
}

describe('ingest threads', () => {
  it('worker and inline builds are identical, bit for bit, in every table', async () => {
    const a = join(dir, 'worker.duckdb');
    const b = join(dir, 'inline.duckdb');
    const sa = await ingestFile({ file: REAL, dbPath: a, ...session, threads: 'worker' });
    const sb = await ingestFile({ file: REAL, dbPath: b, ...session, threads: 'inline' });
    expect(sa.threads).toBe('worker');
    expect(sb.threads).toBe('inline');
    expect(sa.rows).toEqual(sb.rows);
    expect(sa.events).toEqual(sb.events);
    expect(sa.datasetKey).toBe(sb.datasetKey);
    const fa = await fingerprint(a);
    expect(Number(fa['gold.future_mbo__physics_surface_1s'].split(':')[0])).toBeGreaterThan(50_000);
    expect(fa).toEqual(await fingerprint(b));
    if (process.platform === 'linux') expect(sa.seconds.producer_cpu).toBeGreaterThan(0);
  }, 120_000);

  it('a worker held back by backpressure (2 chunks in flight) still builds the same tables', async () => {
    // ~240 windows → ~100 cell chunks: the worker blocks on the DuckDB thread dozens of times.
    const a = join(dir, 'tight.duckdb');
    const b = join(dir, 'tight-inline.duckdb');
    const sa = await ingestFile({ file: REAL, dbPath: a, ...session, threads: 'worker', maxChunksInFlight: 2 });
    const sb = await ingestFile({ file: REAL, dbPath: b, ...session, threads: 'inline' });
    expect(sa.threads).toBe('worker');
    expect(sa.seconds.worker_blocked).toBeGreaterThan(0);
    expect(sa.rows).toEqual(sb.rows);
    expect(await fingerprint(a)).toEqual(await fingerprint(b));
  }, 120_000);

  it('the bundled worker keeps the parent flags but not the tsx loader', () => {
    const argv = ['--require', '/x/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///x/node_modules/tsx/dist/loader.mjs', '--cpu-prof', '--import=tsx', '--max-old-space-size=4096'];
    expect(withoutTsxLoader(argv)).toEqual(['--cpu-prof', '--max-old-space-size=4096']);
  });

  it('the worker is the built bundle while its sources are unchanged, or reported missing', () => {
    // vitest's global setup built it (scripts/buildIngestWorker.ts)
    const found = findIngestWorker();
    expect('entry' in found && found.entry.pathname.endsWith('/out/ingest-worker/ingestWorker.mjs')).toBe(true);
    // a bundled engine without its ingestWorker.js next to it
    expect(findIngestWorker('file:///nowhere/out/main/engine.js')).toEqual({ missing: 'ingestWorker.js is missing next to the engine bundle' });
    const src = join(dir, 'a.ts');
    const bundle = join(dir, 'bundle.mjs');
    writeFileSync(src, 'export const a = 1;\n');
    writeFileSync(bundle, '');
    const st = statSync(src);
    const m: WorkerManifest = { bundle, inputs: [[src, st.size, st.mtimeMs]] };
    expect(bundleIsFresh(m)).toBe(true);
    expect(bundleIsFresh({ ...m, inputs: [...m.inputs, [join(dir, 'gone.ts'), 1, 1]] })).toBe(false);
    appendFileSync(src, 'export const b = 2;\n');
    expect(bundleIsFresh(m)).toBe(false);
    rmSync(bundle);
    const st2 = statSync(src);
    expect(bundleIsFresh({ bundle, inputs: [[src, st2.size, st2.mtimeMs]] })).toBe(false);
  });

  it("without a built worker: 'auto' builds inline (no channel), 'worker' is a typed error with the hint", () => {
    const req = { product: 'future_mbo' as const, file: REAL, sourceBytes: 1, bronze: true, gridHalfWidthTicks: 200, restThresholdMs: 500, params: resolveParams({}) };
    const none = () => ({ missing: 'the ingest worker has not been built' });
    expect(spawnWorkerChannel(req, 'auto', 256, undefined, none)).toBeNull();
    let err: unknown;
    try {
      spawnWorkerChannel(req, 'worker', 256, undefined, none);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IngestError);
    expect(err).toMatchObject({ code: 'ingest.worker_missing', userMessage: 'the ingest worker has not been built' });
    expect((err as IngestError).hint).toMatch(/npm run build:ingest-worker/);
  });

  it("'auto' takes the worker when there is a second core", () => {
    expect(resolveThreadMode('auto', 2)).toBe('worker');
    expect(resolveThreadMode('auto', 1)).toBe('inline');
    expect(resolveThreadMode('inline', 8)).toBe('inline');
    expect(resolveThreadMode('worker', 1)).toBe('worker');
  });

  it('errors cross the thread boundary with their class, code, message and hint', async () => {
    const { MessageChannel } = await import('node:worker_threads');
    const through = (e: unknown) =>
      new Promise<Error>((resolve) => {
        const { port1, port2 } = new MessageChannel();
        port2.once('message', (m) => {
          port1.close();
          port2.close();
          resolve(deserializeError(m));
        });
        port1.postMessage(serializeError(e));
      });
    const ie = await through(new IngestError('input.no_events', 'the file has no MBO records for ESH4', 'check --symbol'));
    expect(ie).toBeInstanceOf(IngestError);
    expect(ie).toMatchObject({ code: 'input.no_events', userMessage: 'the file has no MBO records for ESH4', hint: 'check --symbol' });
    const de = await through(new TruncatedZstdError(1234));
    expect(de).toBeInstanceOf(DbnError);
    expect(de).toMatchObject({ code: 'TRUNCATED_ZSTD', offset: 1234, name: 'TruncatedZstdError' });
    expect((de as DbnError).userMessage).toBe(new TruncatedZstdError(1234).userMessage);
    // A configuration error is found on this thread before any worker starts.
    const err = await ingestFile({ file: '../shared/data/real/definition-glbx-es-fut.dbn.zst', dbPath: join(dir, 'def.duckdb'), threads: 'worker' }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('input.not_mbo');
  }, 60_000);

  it('a truncated file fails mid-build with the decoder error; nothing is kept', async () => {
    const bytes = readFileSync(REAL);
    const cut = join(dir, 'cut.dbn.zst');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const dbPath = join(dir, 'cut.duckdb');
    const err = await ingestFile({ file: cut, dbPath, start: '18:00', end: '19:00', tz: 'America/New_York', threads: 'worker' }).catch((e) => e);
    expect(err).toBeInstanceOf(DbnError);
    expect((err as DbnError).code).toBe('TRUNCATED_ZSTD');
    expect((err as DbnError).userMessage).toMatch(/trunc|end/i);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      for (const t of TABLES) expect((await queryRows(db, `SELECT count(*) AS n FROM ${duckdbTableName(t)}`))[0].n, t.name).toBe(0n);
    } finally {
      await closeDatabase(db);
    }
  }, 120_000);

  it('cancel while the worker is building leaves nothing; the database stays usable', async () => {
    const dbPath = join(dir, 'cancel.duckdb');
    const ac = new AbortController();
    let events = 0;
    const err = await ingestFile({
      file: REAL,
      dbPath,
      ...session,
      threads: 'worker',
      signal: ac.signal,
      onProgress: (p) => {
        events = p.events;
        if (p.events > 0) ac.abort();
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('ingest.cancelled');
    expect(events).toBeGreaterThan(0);
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      for (const t of TABLES) expect((await queryRows(db, `SELECT count(*) AS n FROM ${duckdbTableName(t)}`))[0].n, t.name).toBe(0n);
    } finally {
      await closeDatabase(db);
    }
    const ok = await ingestFile({ file: REAL, dbPath, ...session, threads: 'worker' });
    expect(ok.threads).toBe('worker');
    expect(ok.rows['silver.future_mbo.book_snapshot_1s']).toBe(240);
  }, 60_000);

  it('cancel reaches a worker blocked on backpressure; nothing is kept', async () => {
    const dbPath = join(dir, 'cancel-blocked.duckdb');
    const ac = new AbortController();
    const err = await ingestFile({
      file: REAL,
      dbPath,
      start: '18:00',
      end: '19:00',
      tz: 'America/New_York',
      threads: 'worker',
      maxChunksInFlight: 1,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.events > 0) ac.abort();
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('ingest.cancelled');
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      for (const t of TABLES) expect((await queryRows(db, `SELECT count(*) AS n FROM ${duckdbTableName(t)}`))[0].n, t.name).toBe(0n);
    } finally {
      await closeDatabase(db);
    }
  }, 60_000);
});
