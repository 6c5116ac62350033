// Column chunks for bulk inserts, filled in plain JS (no DuckDB here, so a worker thread can
// fill them): one ArrayBuffer per chunk of up to CHUNK_ROWS rows holding every STORED column
// of a table (generated columns are DuckDB's) in exactly the layout DuckDB's vectors take, so
// the DuckDB side (chunkWriter.ts) copies each column with one native call:
// - fixed-width numbers as their little-endian bytes; 64-bit integers as exact lo/hi u32 pairs
//   (from float64 safe integers or from the decoder's hi/lo columns);
// - closed-alphabet characters (ENUM): the caller writes the ASCII code, seal() maps it in
//   place to the enum index (1 byte); an unknown code becomes N (or the last value);
// - other single-character VARCHARs: inlined duckdb_string_t values (16 bytes: u32 length 1,
//   then the byte), written by seal() from the codes the caller put in `u8[c]`;
// - nullable columns: the caller sets isNull[c][row] = 1; seal() writes the validity bitmask.
// A full chunk is sealed and handed to a sink, which returns the buffer to fill next (the same
// one when it copied the data synchronously, another when it transferred it to a thread).
import { storedColumns, type ColumnDecl, type ColumnType, type TableDecl } from '../../contracts/columns';

/** DuckDB's vector size: rows per chunk. */
export const CHUNK_ROWS = 2048;

type Width = 1 | 2 | 4 | 8;
export const VALUE_WIDTH: Record<ColumnType, Width | 0> = {
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
const STRING_T = 16;

/** Where each stored column of a table lives inside a chunk buffer. */
export interface ChunkLayout {
  decl: TableDecl;
  /** Stored columns, in table order (what the Appender expects). */
  columns: ColumnDecl[];
  /** Byte offset of each column's values, and their byte width per row as copied to DuckDB. */
  offset: number[];
  width: number[];
  /** Byte offset of each nullable column's validity bitmask, -1 for NOT NULL columns. */
  validity: number[];
  bytes: number;
}

export function chunkLayout(decl: TableDecl): ChunkLayout {
  // A view has no storage of its own: its rows are written to the table it reads.
  if (decl.viewOf) throw new Error(`chunk layout: ${decl.stage}.${decl.name} is a view; write ${decl.viewOf.stage}.${decl.viewOf.name}`);
  const columns = storedColumns(decl.columns);
  const offset: number[] = [];
  const width: number[] = [];
  const validity: number[] = [];
  let at = 0;
  for (const c of columns) {
    const w = VALUE_WIDTH[c.type];
    if (w === 0) throw new Error(`chunk layout: ${decl.name}.${c.name} (${c.type}) is not a fixed-width column`);
    const phys = c.type === 'char' && !c.enumValues?.length ? STRING_T : w;
    offset.push(at);
    width.push(phys);
    at += phys * CHUNK_ROWS; // CHUNK_ROWS is a multiple of 8: every region stays 8-byte aligned
    if (c.nullable) {
      validity.push(at);
      at += CHUNK_ROWS / 8;
    } else validity.push(-1);
  }
  return { decl, columns, offset, width, validity, bytes: at };
}

/** Receives a sealed chunk; returns the buffer to fill next (null: allocate a new one). */
export type ChunkSink = (buf: ArrayBuffer, rows: number) => ArrayBuffer | null;

export class ChunkFiller {
  readonly layout: ChunkLayout;
  readonly decl: TableDecl;
  /** Rows in the current chunk. */
  row = 0;
  /** Rows sealed and handed to the sink so far. */
  sealed = 0;
  /** Seconds spent in the sink (copying into DuckDB when it is synchronous). */
  sinkSeconds = 0;

  // Typed views of the current buffer by stored column index (rebuilt when the buffer changes).
  u8: Uint8Array[] = [];
  u16: Uint16Array[] = [];
  u32: Uint32Array[] = [];
  i32: Int32Array[] = [];
  f64: Float64Array[] = [];
  /** 64-bit integer columns as u32 pairs (lo at 2r, hi at 2r+1). */
  w64: Uint32Array[] = [];
  /** Per-row null flag (1 = NULL) for nullable columns (scratch, outside the buffer). */
  readonly isNull: Uint8Array[] = [];

  private buf!: ArrayBuffer;
  private readonly enumIndex: (Uint8Array | undefined)[] = [];
  /** Codes of plain (non-enum) char columns, expanded to string_t by seal(). */
  private readonly charCodes: (Uint8Array | undefined)[] = [];

  constructor(
    decl: TableDecl,
    private readonly sink: ChunkSink,
  ) {
    this.decl = decl;
    this.layout = chunkLayout(decl);
    this.layout.columns.forEach((c, i) => {
      if (c.nullable) this.isNull[i] = new Uint8Array(CHUNK_ROWS);
      if (c.type === 'char' && c.enumValues?.length) {
        if (c.enumValues.length > 255) throw new Error(`${decl.name}.${c.name}: too many enum values`);
        const fallback = c.enumValues.includes('N') ? c.enumValues.indexOf('N') : c.enumValues.length - 1;
        const map = new Uint8Array(256).fill(fallback);
        c.enumValues.forEach((v, k) => (map[v.charCodeAt(0)] = k));
        this.enumIndex[i] = map;
      } else if (c.type === 'char') this.charCodes[i] = new Uint8Array(CHUNK_ROWS);
    });
    this.use(new ArrayBuffer(this.layout.bytes));
  }

  private use(buf: ArrayBuffer): void {
    this.buf = buf;
    const L = this.layout;
    L.columns.forEach((c, i) => {
      const w = VALUE_WIDTH[c.type];
      const at = L.offset[i];
      if (w === 1) this.u8[i] = this.charCodes[i] ?? new Uint8Array(buf, at, CHUNK_ROWS);
      if (w === 2) this.u16[i] = new Uint16Array(buf, at, CHUNK_ROWS);
      if (w === 4) {
        this.u32[i] = new Uint32Array(buf, at, CHUNK_ROWS);
        this.i32[i] = new Int32Array(buf, at, CHUNK_ROWS);
      }
      if (w === 8) {
        this.f64[i] = new Float64Array(buf, at, CHUNK_ROWS);
        this.w64[i] = new Uint32Array(buf, at, 2 * CHUNK_ROWS);
      }
    });
  }

  /** Stored-column index of a column name. */
  col(name: string): number {
    const i = this.layout.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`${this.decl.name} has no stored column ${name}`);
    return i;
  }

  /** Exact signed 64-bit integer from a float64 safe integer. */
  setI64(c: number, r: number, v: number): void {
    const hi = Math.floor(v / TWO32);
    const w = this.w64[c];
    w[2 * r] = v - hi * TWO32;
    w[2 * r + 1] = hi;
  }

  /** The row index to fill next; hands a full chunk to the sink first. */
  nextRow(): number {
    if (this.row === CHUNK_ROWS) this.flush();
    return this.row++;
  }

  /** Rows that still fit in the current chunk (flushing a full one first). */
  room(): number {
    if (this.row === CHUNK_ROWS) this.flush();
    return CHUNK_ROWS - this.row;
  }

  /** Seal the current chunk (enum indices, strings, validity) and hand it to the sink. */
  flush(): void {
    const n = this.row;
    if (n === 0) return;
    const L = this.layout;
    const buf = this.buf;
    for (let i = 0; i < L.columns.length; i++) {
      const map = this.enumIndex[i];
      if (map) {
        const v = this.u8[i];
        for (let r = 0; r < n; r++) v[r] = map[v[r]];
      }
      const codes = this.charCodes[i];
      if (codes) {
        const s32 = new Uint32Array(buf, L.offset[i], 4 * n);
        const s8 = new Uint8Array(buf, L.offset[i], STRING_T * n);
        for (let r = 0; r < n; r++) {
          s32[4 * r] = 1;
          s32[4 * r + 1] = 0;
          s8[STRING_T * r + 4] = codes[r];
        }
      }
      const nulls = this.isNull[i];
      if (nulls) {
        const v = new Uint8Array(buf, L.validity[i], CHUNK_ROWS / 8);
        v.fill(0xff);
        for (let r = 0; r < n; r++) if (nulls[r]) v[r >>> 3] &= ~(1 << (r & 7));
        nulls.fill(0, 0, n);
      }
    }
    this.row = 0;
    this.sealed += n;
    const t0 = performance.now();
    const next = this.sink(buf, n);
    this.sinkSeconds += (performance.now() - t0) / 1000;
    if (next !== buf) this.use(next ?? new ArrayBuffer(L.bytes));
  }

  get rows(): number {
    return this.sealed + this.row;
  }
}
