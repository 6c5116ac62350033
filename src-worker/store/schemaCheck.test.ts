// A database written by another version (here: the previous one, with depth_and_flow_1s and
// physics_surface_1s as two stored tables instead of views over cells_1s) is refused with a typed
// error and left untouched; the workstation's own cache database is instead moved aside and
// started anew, and the window is told.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_TABLE_DDL, SILVER_FUTURE_MBO_CELLS_1S } from '../../contracts/generated/tables';
import { openEngineStore } from '../host/createEngine';
import { closeDatabase, openDatabase, StoreError } from './database';
import { PREVIOUS_VERSION_CELL_DDL } from './testing/previousSchema';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file with the previous version's schema: today's other tables, the per-cell grid as two tables. */
async function writeOlderDatabase(path: string): Promise<void> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  for (const ddl of ALL_TABLE_DDL) if (ddl.startsWith('CREATE SCHEMA') || (ddl.startsWith('CREATE TABLE') && ddl !== SILVER_FUTURE_MBO_CELLS_1S.ddl)) await conn.run(ddl);
  for (const ddl of PREVIOUS_VERSION_CELL_DDL) await conn.run(ddl);
  await conn.run(`INSERT INTO silver.future_mbo__depth_and_flow_1s VALUES (1, 2000000000, 'B', 4000000000000, 4000000000000, 0, 0, 1, 2, 1, 0, 0, 0, 0)`);
  conn.closeSync();
  inst.closeSync();
}

/** Kind of each product object of a file, opened directly (not through the store). */
async function objectKinds(path: string): Promise<Record<string, string>> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  const r = await conn.runAndReadAll(
    `SELECT schema_name || '.' || table_name AS n, 'table' AS k FROM duckdb_tables() WHERE schema_name IN ('silver', 'gold')
     UNION ALL SELECT schema_name || '.' || view_name, 'view' FROM duckdb_views() WHERE schema_name IN ('silver', 'gold') AND NOT internal`,
  );
  conn.closeSync();
  inst.closeSync();
  return Object.fromEntries(r.getRowObjects().map((o) => [String(o.n), String(o.k)]));
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
    expect((err as StoreError).userMessage).toMatch(/silver\.future_mbo__depth_and_flow_1s|gold\.future_mbo__physics_surface_1s/);
    // Untouched: nothing was created in it (no cells_1s), its per-cell tables are still tables.
    const kinds = await objectKinds(path);
    expect(kinds['silver.future_mbo__cells_1s']).toBeUndefined();
    expect(kinds['silver.future_mbo__depth_and_flow_1s']).toBe('table');
    expect(kinds['gold.future_mbo__physics_surface_1s']).toBe('table');
  });

  it('a new database gets the stored cells table and the two views over it', async () => {
    const path = join(dir, 'new.duckdb');
    await closeDatabase(await openDatabase(path));
    const kinds = await objectKinds(path);
    expect(kinds['silver.future_mbo__cells_1s']).toBe('table');
    expect(kinds['silver.future_mbo__depth_and_flow_1s']).toBe('view');
    expect(kinds['gold.future_mbo__physics_surface_1s']).toBe('view');
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
