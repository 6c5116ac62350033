// A database written by another version (here: gold with every column stored, as before some
// became generated) is refused with a typed error and left untouched; the workstation's own
// cache database is instead moved aside and started anew, and the window is told.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import { openEngineStore } from '../host/createEngine';
import { closeDatabase, openDatabase, StoreError } from './database';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file whose gold table has the generated columns as plain stored DOUBLEs. */
async function writeOlderDatabase(path: string): Promise<void> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  const older = GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.ddl.replace(/ GENERATED ALWAYS AS \(.*\) VIRTUAL/g, ' NOT NULL');
  expect(older).not.toBe(GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.ddl);
  await conn.run('CREATE SCHEMA gold');
  await conn.run(older);
  conn.closeSync();
  inst.closeSync();
}

describe('schema check on open', () => {
  it('a database this build wrote opens again without complaint', async () => {
    const path = join(dir, 'fresh.duckdb');
    await closeDatabase(await openDatabase(path));
    const again = await openDatabase(path);
    await closeDatabase(again);
  });

  it('a database written by another version is refused with store.schema_mismatch naming the table, and kept as it was', async () => {
    const path = join(dir, 'older.duckdb');
    await writeOlderDatabase(path);
    const err = await openDatabase(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('store.schema_mismatch');
    expect((err as StoreError).userMessage).toContain('gold.future_mbo__physics_surface_1s');
    // Untouched: the file still opens and still has its older table.
    const inst = await DuckDBInstance.create(path);
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(`SELECT sql FROM duckdb_tables() WHERE table_name = 'future_mbo__physics_surface_1s'`);
    expect(String(r.getRowObjects()[0].sql)).not.toContain('GENERATED');
    conn.closeSync();
    inst.closeSync();
  });

  it("the workstation's own database is moved aside and renewed, with a notice; a database the user named is not", async () => {
    const path = join(dir, 'cache', 'spymaster.duckdb');
    rmSync(join(dir, 'cache'), { recursive: true, force: true });
    mkdirSync(join(dir, 'cache'), { recursive: true });
    await writeOlderDatabase(path);
    await expect(openEngineStore(path)).rejects.toMatchObject({ code: 'store.schema_mismatch' });
    const store = await openEngineStore(path, { renewable: true });
    expect(store.notice?.code).toBe('store.renewed');
    expect(store.notice?.hint).toContain('.older-');
    await store.close();
    const kept = readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('spymaster.duckdb.older-'));
    expect(kept.length).toBe(1);
    expect(existsSync(path)).toBe(true);
    // The renewed file has this build's tables.
    await closeDatabase(await openDatabase(path));
  });
});
