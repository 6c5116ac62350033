// One row into a table, by name: the column list and the placeholders come from the table's
// generated declaration (contracts/generated/tables.ts) and the values from its generated row
// type, so a contract that gains, drops or reorders a column cannot silently shift a value
// into the wrong column (the positional `VALUES ($1, …, 'ready', …)` this replaces could).
import type { DuckDBConnection } from '@duckdb/node-api';

/** A generated table declaration whose columns are the keys of row type R. */
export interface RowTable<R> {
  readonly name: string;
  readonly columns: readonly (keyof R & string)[];
}

export function insertRowSql<R>(table: RowTable<R>): string {
  const cols = table.columns;
  return `INSERT INTO ${table.name} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
}

export function rowValues<R>(table: RowTable<R>, row: R): unknown[] {
  return table.columns.map((c) => row[c]);
}

export async function insertRow<R>(conn: DuckDBConnection, table: RowTable<R>, row: R): Promise<void> {
  await conn.run(insertRowSql(table), rowValues(table, row) as never);
}
