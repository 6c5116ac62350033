// Does an existing database file have the tables this build declares? `CREATE TABLE IF NOT
// EXISTS` leaves an older table as it is, so a file written by another version (e.g. before some
// gold columns became generated) would only fail deep inside a build. Each product table's
// definition as DuckDB prints it (duckdb_tables().sql) is compared with the same contract DDL
// run in a scratch in-memory catalog; the catalog table is left out (it is migrated in place).
import type { DuckDBConnection } from '@duckdb/node-api';
import { ALL_TABLE_DDL } from '../../contracts/generated/tables';

const REFERENCE = 'spymaster_schema_reference';

async function tableSql(conn: DuckDBConnection, database: string): Promise<Map<string, string>> {
  const r = await conn.runAndReadAll(
    `SELECT schema_name, table_name, sql FROM duckdb_tables() WHERE database_name = $1 AND schema_name IN ('bronze', 'silver', 'gold')`,
    [database],
  );
  const out = new Map<string, string>();
  for (const row of r.getRowObjects()) out.set(`${row.schema_name}.${row.table_name}`, String(row.sql));
  return out;
}

/** DuckDB re-quotes identifiers and type names in expressions once a table has been stored. */
const normalised = (sql: string | undefined): string => (sql ?? '').replace(/"/g, '');

/** The first product table whose definition differs from the contract, or null when all match. */
export async function schemaDrift(conn: DuckDBConnection): Promise<string | null> {
  const main = String((await conn.runAndReadAll('SELECT current_database() AS d')).getRowObjects()[0].d);
  await conn.run(`ATTACH ':memory:' AS ${REFERENCE}`);
  try {
    await conn.run(`USE ${REFERENCE}`);
    for (const ddl of ALL_TABLE_DDL) await conn.run(ddl);
    await conn.run(`USE "${main.replace(/"/g, '""')}"`);
    const want = await tableSql(conn, REFERENCE);
    const have = await tableSql(conn, main);
    for (const [name, sql] of want) if (normalised(have.get(name)) !== normalised(sql)) return name;
    return null;
  } finally {
    await conn.run(`USE "${main.replace(/"/g, '""')}"`).catch(() => undefined);
    await conn.run(`DETACH ${REFERENCE}`);
  }
}
