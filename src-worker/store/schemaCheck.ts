// Does an existing database file hold the tables and views this build declares? `CREATE … IF
// NOT EXISTS` leaves an older object as it is, so a file written by another version (e.g. with
// depth_and_flow_1s and physics_surface_1s as stored tables, before the per-cell grid was stored
// once in cells_1s) would only fail deep inside a build — or read wrong. Each product object's
// kind and definition as DuckDB prints it (duckdb_tables().sql, duckdb_views().sql) is compared
// with the same contract DDL run in a scratch in-memory catalog; the catalog table is left out
// (it is migrated in place). Objects the file does not have yet are not drift: they are created.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ALL_TABLE_DDL } from '../../contracts/generated/tables';

const REFERENCE = 'spymaster_schema_reference';
const PRODUCT_SCHEMAS = `('bronze', 'silver', 'gold')`;

/** `schema.name` → `TABLE <sql>` or `VIEW <sql>` for every product object of a database. */
async function objectSql(conn: DuckDBConnection, database: string): Promise<Map<string, string>> {
  const r = await conn.runAndReadAll(
    `SELECT schema_name, table_name AS name, 'TABLE ' || sql AS def FROM duckdb_tables() WHERE database_name = $1 AND schema_name IN ${PRODUCT_SCHEMAS}
     UNION ALL
     SELECT schema_name, view_name, 'VIEW ' || sql FROM duckdb_views() WHERE database_name = $1 AND schema_name IN ${PRODUCT_SCHEMAS} AND NOT internal`,
    [database],
  );
  const out = new Map<string, string>();
  for (const row of r.getRowObjects()) out.set(`${row.schema_name}.${row.name}`, String(row.def));
  return out;
}

/** DuckDB re-quotes identifiers and type names in expressions once a table has been stored. */
const normalised = (sql: string | undefined): string => (sql ?? '').replace(/"/g, '');

/**
 * The first product table or view whose kind or definition differs from the contract, or null
 * when every one the file has matches. Run it before creating anything, so a refused file is
 * left exactly as it was.
 */
export async function schemaDrift(conn: DuckDBConnection): Promise<string | null> {
  const main = String((await conn.runAndReadAll('SELECT current_database() AS d')).getRowObjects()[0].d);
  const have = await objectSql(conn, main);
  if (have.size === 0) return null; // a new file: nothing to compare
  await conn.run(`ATTACH ':memory:' AS ${REFERENCE}`);
  try {
    await conn.run(`USE ${REFERENCE}`);
    for (const ddl of ALL_TABLE_DDL) await conn.run(ddl);
    await conn.run(`USE "${main.replace(/"/g, '""')}"`);
    const want = await objectSql(conn, REFERENCE);
    for (const [name, sql] of want) if (have.has(name) && normalised(have.get(name)) !== normalised(sql)) return name;
    return null;
  } finally {
    await conn.run(`USE "${main.replace(/"/g, '""')}"`).catch(() => undefined);
    await conn.run(`DETACH ${REFERENCE}`);
  }
}
