// Bulk insert into one DuckDB table through the Appender, a DataChunk (2048 rows) at a time.
// Columns are filled as plain typed arrays and copied into the chunk's vectors in one native
// call per column — no value object and no BigInt per row:
// - 64-bit integers are written as exact lo/hi u32 pairs (from float64 safe integers or from
//   the decoder's hi/lo columns) into a Uint32Array view of the column;
// - closed-alphabet characters (action, side …) are DuckDB ENUMs: the ASCII code written by the
//   caller is mapped to the enum index (1 byte) at flush; an unknown code becomes the last
//   value of the alphabet (e.g. N);
// - other single-character VARCHARs are written as inlined duckdb_string_t values (u32
//   length = 1, then the byte), which DuckDB stores without a string heap.
// Nullable columns carry a per-row null flag turned into the validity bitmask at flush.
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { duckdbColumnType, type ColumnType, type TableDecl } from '../../contracts/columns';
import { StoreError } from './database';

export const CHUNK_ROWS = 2048;

type Width = 1 | 2 | 4 | 8;
const WIDTH: Record<ColumnType, Width | 0> = {
  bool: 1,
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  u64: 8,
  i64: 8,
  f64: 8,
  ts_ns: 8,
  price_int: 8,
  char: 1,
  utf8: 0,
};

const TWO32 = 4294967296;

export class ChunkTableWriter {
  readonly decl: TableDecl;
  /** Rows in the current chunk. */
  row = 0;
  /** Rows appended to DuckDB so far (excluding the current chunk). */
  written = 0;
  /** Seconds spent inside DuckDB (copy + append). */
  seconds = 0;

  /** Raw column buffers by column index; use the typed views below. */
  readonly u8: Uint8Array[] = [];
  readonly u16: Uint16Array[] = [];
  readonly u32: Uint32Array[] = [];
  readonly i32: Int32Array[] = [];
  readonly f64: Float64Array[] = [];
  /** 64-bit integer columns as u32 pairs (lo at 2r, hi at 2r+1). */
  readonly w64: Uint32Array[] = [];
  /** Per-row null flag (1 = NULL) for nullable columns. */
  readonly isNull: Uint8Array[] = [];

  private readonly buffers: ArrayBuffer[] = [];
  private readonly chunk: DuckDBDataChunk;
  private readonly strScratch = new Uint8Array(16 * CHUNK_ROWS);
  private readonly strScratch32 = new Uint32Array(this.strScratch.buffer);
  private readonly validity = new Uint8Array(CHUNK_ROWS / 8);
  /** Per enum column: ASCII code → enum index, and a scratch buffer for the indices. */
  private readonly enumIndex: Uint8Array[] = [];
  private readonly enumScratch = new Uint8Array(CHUNK_ROWS);

  private constructor(
    decl: TableDecl,
    private readonly appender: DuckDBAppender,
  ) {
    this.decl = decl;
    decl.columns.forEach((c, i) => {
      const w = WIDTH[c.type];
      if (w === 0) throw new Error(`ChunkTableWriter: ${decl.name}.${c.name} (${c.type}) is not a fixed-width column`);
      const buf = new ArrayBuffer(w * CHUNK_ROWS);
      this.buffers[i] = buf;
      if (w === 1) this.u8[i] = new Uint8Array(buf);
      if (w === 2) this.u16[i] = new Uint16Array(buf);
      if (w === 4) {
        this.u32[i] = new Uint32Array(buf);
        this.i32[i] = new Int32Array(buf);
      }
      if (w === 8) {
        this.f64[i] = new Float64Array(buf);
        this.w64[i] = new Uint32Array(buf);
      }
      if (c.nullable) this.isNull[i] = new Uint8Array(CHUNK_ROWS);
      if (c.type === 'char' && c.enumValues?.length) {
        if (c.enumValues.length > 255) throw new Error(`${decl.name}.${c.name}: too many enum values`);
        const fallback = c.enumValues.includes('N') ? c.enumValues.indexOf('N') : c.enumValues.length - 1;
        const map = new Uint8Array(256).fill(fallback);
        c.enumValues.forEach((v, k) => (map[v.charCodeAt(0)] = k));
        this.enumIndex[i] = map;
      }
    });
    const types = decl.columns.map((_c, i) => appender.columnType(i));
    // Raw column copies are only safe when the table really has the declared types (a database
    // created by an older build may not): refuse instead of writing garbage.
    decl.columns.forEach((c, i) => {
      const want = duckdbColumnType(c).replace(/\s+/g, '');
      const got = types[i].toString().replace(/\s+/g, '');
      if (want !== got)
        throw new StoreError(
          'store.schema_mismatch',
          `the table ${decl.stage}.${decl.product ? decl.product + '__' : ''}${decl.name} in this database has ${c.name} ${got}, expected ${want}`,
          'the database was created by another version of Spymaster; ingest into a new database file (--db)',
        );
    });
    this.chunk = DuckDBDataChunk.create(types);
  }

  static async create(conn: DuckDBConnection, decl: TableDecl): Promise<ChunkTableWriter> {
    const schema = decl.stage;
    const table = decl.product ? `${decl.product}__${decl.name}` : decl.name;
    const app = await conn.createAppender(table, schema);
    return new ChunkTableWriter(decl, app);
  }

  col(name: string): number {
    const i = this.decl.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`${this.decl.name} has no column ${name}`);
    return i;
  }

  /** Exact signed 64-bit integer from a float64 safe integer. */
  setI64(c: number, r: number, v: number): void {
    const hi = Math.floor(v / TWO32);
    const w = this.w64[c];
    w[2 * r] = v - hi * TWO32;
    w[2 * r + 1] = hi;
  }

  /** The row index to fill next; flushes a full chunk first. */
  nextRow(): number {
    if (this.row === CHUNK_ROWS) this.flush();
    return this.row++;
  }

  /** Copy the current chunk into DuckDB. */
  flush(): void {
    const n = this.row;
    if (n === 0) return;
    const t0 = performance.now();
    const raw = this.chunk.chunk;
    const cols = this.decl.columns;
    for (let i = 0; i < cols.length; i++) {
      const vec = duckdb.data_chunk_get_vector(raw, i);
      const type = cols[i].type;
      const enumMap = this.enumIndex[i];
      if (enumMap) {
        const codes = this.u8[i];
        const idx = this.enumScratch;
        for (let r = 0; r < n; r++) idx[r] = enumMap[codes[r]];
        duckdb.copy_data_to_vector(vec, 0, idx.buffer, 0, n);
      } else if (type === 'char') {
        const codes = this.u8[i];
        const s32 = this.strScratch32;
        const s8 = this.strScratch;
        for (let r = 0; r < n; r++) {
          s32[4 * r] = 1;
          s8[16 * r + 4] = codes[r];
        }
        duckdb.copy_data_to_vector(vec, 0, s8.buffer, 0, 16 * n);
      } else {
        duckdb.copy_data_to_vector(vec, 0, this.buffers[i], 0, WIDTH[type] * n);
      }
      const nulls = this.isNull[i];
      if (nulls) {
        const v = this.validity;
        v.fill(0xff);
        for (let r = 0; r < n; r++) if (nulls[r]) v[r >>> 3] &= ~(1 << (r & 7));
        duckdb.vector_ensure_validity_writable(vec);
        duckdb.copy_data_to_vector_validity(vec, 0, v.buffer, 0, Math.ceil(n / 8));
        nulls.fill(0, 0, n);
      }
    }
    duckdb.data_chunk_set_size(raw, n);
    this.appender.appendDataChunk(this.chunk);
    this.written += n;
    this.row = 0;
    this.seconds += (performance.now() - t0) / 1000;
  }

  /** Flush and close the appender (rows become part of the connection's transaction). */
  close(): void {
    this.flush();
    const t0 = performance.now();
    this.appender.closeSync();
    this.seconds += (performance.now() - t0) / 1000;
  }

  get rows(): number {
    return this.written + this.row;
  }
}
