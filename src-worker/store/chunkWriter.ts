// Bulk insert into one DuckDB table through the Appender, one sealed column chunk (see
// chunkFiller.ts: up to 2048 rows, every stored column in DuckDB's vector layout) at a time:
// one native copy per column and one appendDataChunk per chunk — no value object and no
// BigInt per row. Generated (VIRTUAL) columns are not part of the Appender's columns.
//
// The chunk comes from a ChunkFiller on this thread (its sink calls append and hands the same
// buffer back) or from a worker thread that filled it and transferred the buffer.
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { duckdbColumnType, type TableDecl } from '../../contracts/columns';
import { chunkLayout, type ChunkLayout } from './chunkFiller';
import { StoreError } from './database';

export { CHUNK_ROWS } from './chunkFiller';

export class ChunkAppender {
  readonly layout: ChunkLayout;
  /** Rows appended so far. */
  rows = 0;
  /** Seconds spent inside DuckDB (copy + append + close). */
  seconds = 0;
  private readonly chunk: DuckDBDataChunk;

  private constructor(
    readonly decl: TableDecl,
    private readonly appender: DuckDBAppender,
  ) {
    this.layout = chunkLayout(decl);
    const cols = this.layout.columns;
    const where = `${decl.stage}.${decl.product ? decl.product + '__' : ''}${decl.name}`;
    // Raw column copies are only safe when the table really has the declared stored columns (a
    // database created by an older build may not): refuse instead of writing garbage.
    if (appender.columnCount !== cols.length)
      throw new StoreError(
        'store.schema_mismatch',
        `the table ${where} in this database has ${appender.columnCount} stored columns, expected ${cols.length}`,
        'the database was created by another version of Spymaster; ingest into a new database file (--db)',
      );
    const types = cols.map((_c, i) => appender.columnType(i));
    cols.forEach((c, i) => {
      const want = duckdbColumnType(c).replace(/\s+/g, '');
      const got = types[i].toString().replace(/\s+/g, '');
      if (want !== got)
        throw new StoreError(
          'store.schema_mismatch',
          `the table ${where} in this database has ${c.name} ${got}, expected ${want}`,
          'the database was created by another version of Spymaster; ingest into a new database file (--db)',
        );
    });
    this.chunk = DuckDBDataChunk.create(types);
  }

  static async create(conn: DuckDBConnection, decl: TableDecl): Promise<ChunkAppender> {
    const table = decl.product ? `${decl.product}__${decl.name}` : decl.name;
    const app = await conn.createAppender(table, decl.stage);
    return new ChunkAppender(decl, app);
  }

  /** Copy a sealed chunk of `n` rows into DuckDB. */
  append(buf: ArrayBuffer, n: number): void {
    if (n === 0) return;
    const t0 = performance.now();
    const raw = this.chunk.chunk;
    const L = this.layout;
    for (let i = 0; i < L.columns.length; i++) {
      const vec = duckdb.data_chunk_get_vector(raw, i);
      duckdb.copy_data_to_vector(vec, 0, buf, L.offset[i], L.width[i] * n);
      const v = L.validity[i];
      if (v >= 0) {
        duckdb.vector_ensure_validity_writable(vec);
        duckdb.copy_data_to_vector_validity(vec, 0, buf, v, Math.ceil(n / 8));
      }
    }
    duckdb.data_chunk_set_size(raw, n);
    this.appender.appendDataChunk(this.chunk);
    this.rows += n;
    this.seconds += (performance.now() - t0) / 1000;
  }

  /** Close the appender (rows become part of the connection's transaction). */
  close(): void {
    const t0 = performance.now();
    this.appender.closeSync();
    this.seconds += (performance.now() - t0) / 1000;
  }
}
