// The column vocabulary every table contract is written in. One declaration per column
// (name, logical type, unit, one-line meaning) drives the TS row types, the DuckDB DDL,
// the Arrow schemas and docs/DATA.md (see contracts/generate.ts).

/** Logical column types. Integers keep their width; 64-bit values are exact (bigint in TS rows). */
export type ColumnType =
  | 'bool'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'utf8'
  /** One ASCII character (action, side): VARCHAR in DuckDB, string in TS. */
  | 'char'
  /** UTC nanoseconds since the Unix epoch, stored as i64. */
  | 'ts_ns'
  /** Price as an integer in 1e-9 units (Databento convention), stored as i64. */
  | 'price_int';

export interface ColumnDecl {
  name: string;
  type: ColumnType;
  /** Physical unit, or '' for dimensionless values and identifiers. */
  unit: string;
  /** One line: what the value means. */
  meaning: string;
  nullable?: boolean;
  /**
   * For 'char' columns with a closed alphabet (action, side …): the allowed values. DuckDB then
   * stores the column as ENUM (1 byte, compared with plain strings in SQL: side = 'B'), which
   * is ~6× cheaper to write than a VARCHAR. TS and Arrow still see a string. List the values
   * in alphabetical order so ORDER BY sorts as it would for text.
   */
  enumValues?: readonly string[];
  /**
   * A pure function of other columns of the same row, as a DuckDB SQL expression over their
   * (quoted) names. In a table the column is a VIRTUAL generated column; in a view (TableDecl
   * .viewOf) it is a SELECT expression over the stored table's columns. Either way DuckDB
   * computes it when it is read, it is never stored and writers never fill it. Storing fewer
   * values is what makes a build fast: every stored value costs ~20–65 ns to write.
   */
  generated?: string;
}

export type Stage = 'bronze' | 'silver' | 'gold' | 'catalog' | 'calibration';
export type Product = 'future_mbo' | 'future_option_mbo';

export interface TableDecl {
  stage: Stage;
  /** null for product-independent tables (catalog, calibration). */
  product: Product | null;
  name: string;
  meaning: string;
  columns: ColumnDecl[];
  /** Columns that identify a row (documented; enforced by the pipeline, not by DuckDB). */
  key?: string[];
  /**
   * Set for a DuckDB VIEW over one stored table instead of a table of its own: a column without
   * `generated` is the stored table's column of the same name and type, a `generated` one is an
   * expression over the stored table's columns. Writers fill the stored table only; readers see
   * the view's columns, names and types exactly as declared here.
   */
  viewOf?: TableDecl;
  /** How and why the rows are stored as they are (for docs/DATA.md). */
  storageNote?: string;
}

/** A frame contract: an Arrow IPC record batch sent to the window. */
export interface FrameDecl {
  name: string;
  meaning: string;
  columns: ColumnDecl[];
}

/** DuckDB schema name for a stage and the table name inside it: `silver.future_mbo__book_snapshot_1s`. */
export function duckdbTableName(t: Pick<TableDecl, 'stage' | 'product' | 'name'>): string {
  return t.product ? `${t.stage}.${t.product}__${t.name}` : `${t.stage}.${t.name}`;
}

/** The dotted name used in SPEC.md: `silver.future_mbo.book_snapshot_1s`. */
export function specTableName(t: Pick<TableDecl, 'stage' | 'product' | 'name'>): string {
  return t.product ? `${t.stage}.${t.product}.${t.name}` : `${t.stage}.${t.name}`;
}

export const DUCKDB_TYPE: Record<ColumnType, string> = {
  bool: 'BOOLEAN',
  u8: 'UTINYINT',
  u16: 'USMALLINT',
  u32: 'UINTEGER',
  u64: 'UBIGINT',
  i8: 'TINYINT',
  i16: 'SMALLINT',
  i32: 'INTEGER',
  i64: 'BIGINT',
  f32: 'FLOAT',
  f64: 'DOUBLE',
  utf8: 'VARCHAR',
  char: 'VARCHAR',
  ts_ns: 'BIGINT',
  price_int: 'BIGINT',
};

export const TS_TYPE: Record<ColumnType, string> = {
  bool: 'boolean',
  u8: 'number',
  u16: 'number',
  u32: 'number',
  u64: 'bigint',
  i8: 'number',
  i16: 'number',
  i32: 'number',
  i64: 'bigint',
  f32: 'number',
  f64: 'number',
  utf8: 'string',
  char: 'string',
  ts_ns: 'bigint',
  price_int: 'bigint',
};

/** apache-arrow DataType constructor expression for each logical type. */
export const ARROW_TYPE: Record<ColumnType, string> = {
  bool: 'new Bool()',
  u8: 'new Uint8()',
  u16: 'new Uint16()',
  u32: 'new Uint32()',
  u64: 'new Uint64()',
  i8: 'new Int8()',
  i16: 'new Int16()',
  i32: 'new Int32()',
  i64: 'new Int64()',
  f32: 'new Float32()',
  f64: 'new Float64()',
  utf8: 'new Utf8()',
  char: 'new Utf8()',
  ts_ns: 'new Int64()',
  price_int: 'new Int64()',
};

/** Short constructors keep table declarations readable: one line per column. */
export function col(name: string, type: ColumnType, unit: string, meaning: string, nullable = false): ColumnDecl {
  return nullable ? { name, type, unit, meaning, nullable } : { name, type, unit, meaning };
}

/** A column computed by DuckDB from other columns of the same row (see ColumnDecl.generated). */
export function virtualCol(name: string, type: ColumnType, unit: string, meaning: string, expr: string): ColumnDecl {
  return { name, type, unit, meaning, generated: expr };
}

/** Columns a writer fills, in table order (generated columns are computed by DuckDB). */
export function storedColumns(columns: readonly ColumnDecl[]): ColumnDecl[] {
  return columns.filter((c) => !c.generated);
}

/**
 * CREATE TABLE (or CREATE VIEW, for a view declaration) for a declaration. `storeGenerated`
 * makes a plain table with every column stored instead, generated ones and views included (test
 * fixtures that insert arbitrary values into every column).
 */
export function tableDdl(t: TableDecl, opts: { storeGenerated?: boolean } = {}): string {
  if (t.viewOf && !opts.storeGenerated) return viewDdl(t, t.viewOf);
  const cols = t.columns
    .map((c) =>
      c.generated && !opts.storeGenerated
        ? `  "${c.name}" ${duckdbColumnType(c)} GENERATED ALWAYS AS (${c.generated}) VIRTUAL`
        : `  "${c.name}" ${duckdbColumnType(c)}${c.nullable ? '' : ' NOT NULL'}`,
    )
    .join(',\n');
  return `CREATE TABLE IF NOT EXISTS ${duckdbTableName(t)} (\n${cols}\n)`;
}

/** A one-character column with a closed alphabet, stored as a DuckDB ENUM (see ColumnDecl.enumValues). */
export function charEnum(name: string, values: readonly string[], meaning: string): ColumnDecl {
  return { name, type: 'char', unit: '', meaning, enumValues: values };
}

/** DuckDB type of a declared column (ENUM for closed-alphabet chars). */
export function duckdbColumnType(c: ColumnDecl): string {
  if (c.type === 'char' && c.enumValues?.length) return `ENUM(${c.enumValues.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
  return DUCKDB_TYPE[c.type];
}

/**
 * CREATE VIEW for a view declaration over its stored table. Pass-through columns must exist in
 * the stored table with the same DuckDB type; computed ones are cast to their declared type, so
 * the view's column names, order and types are exactly the declaration's.
 */
export function viewDdl(t: TableDecl, base: TableDecl): string {
  if (base.viewOf) throw new Error(`${duckdbTableName(t)}: a view over a view (${duckdbTableName(base)}) is not supported`);
  const stored = new Map(storedColumns(base.columns).map((c) => [c.name, c]));
  const items = t.columns.map((c) => {
    if (c.generated) return `  CAST((${c.generated}) AS ${duckdbColumnType(c)}) AS "${c.name}"`;
    const b = stored.get(c.name);
    if (!b) throw new Error(`${duckdbTableName(t)}.${c.name}: not a stored column of ${duckdbTableName(base)} and not computed`);
    if (duckdbColumnType(b) !== duckdbColumnType(c) || Boolean(b.nullable) !== Boolean(c.nullable))
      throw new Error(`${duckdbTableName(t)}.${c.name}: ${duckdbColumnType(c)} but ${duckdbTableName(base)} stores ${duckdbColumnType(b)}`);
    return `  "${c.name}"`;
  });
  return `CREATE VIEW IF NOT EXISTS ${duckdbTableName(t)} AS SELECT\n${items.join(',\n')}\nFROM ${duckdbTableName(base)}`;
}

/** Declarations DuckDB stores (tables, not views): what writers, deletes and drift checks touch. */
export function isStoredTable(t: TableDecl): boolean {
  return !t.viewOf;
}
