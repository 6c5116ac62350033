// The ingest cache: a ready build is found by (path, size, mtime, config, params, version) and
// confirmed by one hash of the file — no decoding; a copied or touched file is decoded (the
// hash is only known at the end of the pass), then rolled back in favour of the existing build.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../contracts/registry';
import { duckdbTableName } from '../../contracts/columns';
import { closeDatabase, listDatasets, openDatabase, queryRows } from '../store/database';
import { ingestFile, sha256File } from './ingest';
import type { IngestSummary } from './ingestApi';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'spymaster-cache-'));
const file = join(dir, 'esh4.dbn.zst');
const dbPath = join(dir, 'cache.duckdb');
const session = { start: '18:00', end: '18:03', tz: 'America/New_York' };
let first: IngestSummary;

async function rowsPerTable(): Promise<Record<string, number>> {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t.name + t.stage] = Number((await queryRows(db, `SELECT count(*) AS n FROM ${duckdbTableName(t)}`))[0].n);
    return out;
  } finally {
    await closeDatabase(db);
  }
}

async function catalog() {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    return await listDatasets(db, { all: true });
  } finally {
    await closeDatabase(db);
  }
}

beforeAll(async () => {
  copyFileSync(REAL, file);
  first = await ingestFile({ file, dbPath, ...session });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest cache', () => {
  it('records the SHA-256 of the whole file, computed while decoding', async () => {
    const [d] = await catalog();
    expect(d.sourceSha256).toBe(await sha256File(REAL));
    expect(d.lookupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(first.seconds.hash).toBeGreaterThan(0);
  });

  it('a re-ingest is a hit found by the lookup key and confirmed by one hash, without decoding', async () => {
    const again = await ingestFile({ file, dbPath, ...session });
    expect(again.cacheHit).toBe(true);
    expect(again.datasetId).toBe(first.datasetId);
    expect(again.rows).toEqual(first.rows);
    expect(again.seconds.hash).toBeGreaterThan(0);
    expect(again.seconds.rebuilt_then_rolled_back).toBeUndefined();
  }, 60_000);

  it('a copy of the file (new path) is recognised by its hash; the rebuild is rolled back', async () => {
    const before = await rowsPerTable();
    const copy = join(dir, 'copy.dbn.zst');
    copyFileSync(file, copy);
    const s = await ingestFile({ file: copy, dbPath, ...session });
    expect(s.cacheHit).toBe(true);
    expect(s.datasetId).toBe(first.datasetId);
    expect(s.seconds.rebuilt_then_rolled_back).toBeGreaterThan(0);
    expect(await rowsPerTable()).toEqual(before);
    expect((await catalog()).map((d) => d.datasetId)).toEqual([first.datasetId]);
  }, 60_000);

  it('a touched file is rebuilt once, rolled back, and then hits by lookup again', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const s = await ingestFile({ file, dbPath, ...session });
    expect(s.cacheHit).toBe(true);
    expect(s.datasetId).toBe(first.datasetId);
    expect(s.seconds.rebuilt_then_rolled_back).toBeGreaterThan(0);
    const again = await ingestFile({ file, dbPath, ...session });
    expect(again.cacheHit).toBe(true);
    expect(again.seconds.rebuilt_then_rolled_back).toBeUndefined();
  }, 60_000);

  it('--force replaces the build (new id, old rows gone) even though the bytes are the same', async () => {
    const before = await rowsPerTable();
    const forced = await ingestFile({ file, dbPath, ...session, force: true });
    expect(forced.cacheHit).toBe(false);
    expect(forced.datasetId).toBeGreaterThan(first.datasetId);
    expect((await catalog()).map((d) => d.datasetId)).toEqual([forced.datasetId]);
    expect(await rowsPerTable()).toEqual(before);
  }, 60_000);

  it('same path, size and mtime but other bytes: the hash says so and it is built (a worker started again)', async () => {
    // The raw DBN fixture (2 MBO records of ESH1): its last byte is the last record's sequence.
    const small = join(dir, 'small.dbn');
    copyFileSync('../shared/data/dbn-fixtures/test_data.mbo.dbn', small);
    const at = 1_600_000_000; // whole seconds: restored exactly
    utimesSync(small, at, at);
    const opts = { file: small, dbPath: join(dir, 'small.duckdb'), date: '2020-12-28', start: '08:00', end: '08:01', tz: 'America/New_York', threads: 'worker' as const };
    const a = await ingestFile(opts);
    expect(a.cacheHit).toBe(false);
    const bytes = readFileSync(small);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(small, bytes);
    utimesSync(small, at, at);
    const stages = new Set<string>();
    const b = await ingestFile({ ...opts, onProgress: (p) => stages.add(p.stage) });
    expect(stages.has('hash')).toBe(true); // the lookup key matched: the hash was needed
    expect(b.cacheHit).toBe(false);
    expect(b.threads).toBe('worker');
    expect(b.datasetId).toBeGreaterThan(a.datasetId);
    expect(b.datasetKey).not.toBe(a.datasetKey);
    expect(b.rows).toEqual(a.rows);
  }, 60_000);
});
