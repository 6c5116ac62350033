// Store API (DuckDB, one file per workspace). The engine process owns the only read-write
// connection (DuckDB lets one process open a file read-write); the CLI `query` and tools open
// it read-only.
//
//   const db = await openDatabase('spymaster.duckdb');            // read-write, schema ensured
//   const ro = await openDatabase(path, { readOnly: true });       // read-only (file must exist)
//   await listDatasets(db)                                         // ready datasets, newest first
//   await queryRows(db, 'SELECT …')                                // row objects (BIGINT → bigint)
//   await queryColumns(db, 'SELECT …')                             // { col: typed array | values[] }
//   await closeDatabase(db)
//
// Visibility rule: a dataset exists for readers only when its catalog.datasets row has
// status 'ready'. Builds run inside one transaction that inserts that row last, so a
// cancelled, failed or crashed build leaves nothing behind. Table names come from
// contracts/generated/tables.ts (e.g. GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name).
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ALL_TABLE_DDL, CATALOG_DATASETS } from '../../contracts/generated/tables';
import { TABLES } from '../../contracts/registry';
import { duckdbTableName, isStoredTable } from '../../contracts/columns';
import { schemaDrift } from './schemaCheck';

export interface Database {
  path: string;
  readOnly: boolean;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
}

export class StoreError extends Error {
  readonly userMessage: string;
  constructor(
    readonly code: 'store.not_found' | 'store.locked' | 'store.open_failed' | 'store.query_failed' | 'store.schema_mismatch',
    userMessage: string,
    readonly hint = '',
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'StoreError';
    this.userMessage = userMessage;
  }
}

/**
 * DuckDB's buffer pool defaults to 80 % of RAM; a bulk ingest would happily use it. The engine
 * shares the machine with the window, so the default here is bounded (DuckDB writes full row
 * groups to the file and evicts them instead).
 */
export const DEFAULT_MEMORY_LIMIT = '512MB';

/** Compression methods a read-write database does not use for new data (see openDatabase). */
export const WRITE_DISABLED_COMPRESSION = 'alp,alprd';

export async function openDatabase(path: string, opts: { readOnly?: boolean; memoryLimit?: string } = {}): Promise<Database> {
  const readOnly = opts.readOnly ?? false;
  if (readOnly && path !== ':memory:' && !existsSync(path))
    throw new StoreError('store.not_found', `no database at ${path}`, 'run `npm run cli -- ingest FILE --db PATH` first');
  let instance: DuckDBInstance;
  try {
    const memory_limit = opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY', memory_limit } : { memory_limit });
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (/lock/i.test(msg))
      throw new StoreError('store.locked', `the database ${path} is in use by another process`, 'close the workstation (or the other ingest) first, or query it read-only', { cause: e });
    throw new StoreError('store.open_failed', `cannot open the database ${path}: ${msg.split('\n')[0]}`, 'check the path; the file must be a DuckDB database', { cause: e });
  }
  const conn = await instance.connect();
  if (!readOnly) {
    // Checked before anything is created, so a refused file is left exactly as it was.
    const drift = await schemaDrift(conn);
    if (drift) {
      conn.closeSync();
      instance.closeSync();
      throw new StoreError(
        'store.schema_mismatch',
        `the database ${path} was written by another version of Spymaster (its table ${drift} is defined differently)`,
        'ingest into a new database file (--db), or move this one away',
      );
    }
    for (const ddl of ALL_TABLE_DDL) await conn.run(ddl);
    // Catalogs written before lookup_key existed: add it (their builds then hit by hash only).
    await conn.run(`ALTER TABLE ${CATALOG_DATASETS.name} ADD COLUMN IF NOT EXISTS lookup_key VARCHAR DEFAULT ''`);
  }
  // Writes only (reads of any file are unaffected): gold is mostly full-entropy doubles, where
  // DuckDB's ALP/ALP-RD analysis and compression cost more CPU than everything else a build does
  // per value (measured on the real ESH4 hour: ~1.5–2 CPU-s of ~5; file +12 %).
  if (!readOnly) await conn.run(`SET disabled_compression_methods = '${WRITE_DISABLED_COMPRESSION}'`);
  return { path, readOnly, instance, conn };
}

export async function closeDatabase(db: Database): Promise<void> {
  db.conn.closeSync();
  db.instance.closeSync();
}

export interface DatasetInfo {
  datasetId: number;
  datasetKey: string;
  sourcePath: string;
  sourceSha256: string;
  symbol: string;
  instrumentId: number;
  sessionDate: string;
  sessionStartNs: bigint;
  sessionEndNs: bigint;
  tickInt: number;
  config: Record<string, unknown>;
  paramsHash: string;
  pipelineVersion: string;
  rows: Record<string, number>;
  seconds: Record<string, number>;
  status: string;
  createdAt: string;
  lookupKey: string;
}

function toInfo(r: Record<string, unknown>): DatasetInfo {
  return {
    datasetId: Number(r.dataset_id),
    datasetKey: String(r.dataset_key),
    sourcePath: String(r.source_path),
    sourceSha256: String(r.source_sha256),
    symbol: String(r.symbol),
    instrumentId: Number(r.instrument_id),
    sessionDate: String(r.session_date),
    sessionStartNs: BigInt(r.session_start_ts_ns as bigint),
    sessionEndNs: BigInt(r.session_end_ts_ns as bigint),
    tickInt: Number(r.tick_int),
    config: JSON.parse(String(r.config_json)),
    paramsHash: String(r.params_hash),
    pipelineVersion: String(r.pipeline_version),
    rows: JSON.parse(String(r.rows_json)),
    seconds: JSON.parse(String(r.timings_json)),
    status: String(r.status),
    createdAt: String(r.created_at),
    lookupKey: String(r.lookup_key ?? ''),
  };
}

/** Ready datasets (all statuses with `all`), newest first. */
export async function listDatasets(db: Database, opts: { all?: boolean } = {}): Promise<DatasetInfo[]> {
  const rows = await queryRows(db, `SELECT * FROM ${CATALOG_DATASETS.name} ${opts.all ? '' : "WHERE status = 'ready'"} ORDER BY dataset_id DESC`);
  return rows.map(toInfo);
}

export async function findReadyDataset(db: Database, datasetKey: string): Promise<DatasetInfo | null> {
  const r = await db.conn.runAndReadAll(`SELECT * FROM ${CATALOG_DATASETS.name} WHERE dataset_key = $1 AND status = 'ready' ORDER BY dataset_id DESC LIMIT 1`, [datasetKey]);
  const row = r.getRowObjects()[0];
  return row ? toInfo(row as Record<string, unknown>) : null;
}

/** The newest ready dataset built from the same (path, size, mtime, config, params, version). */
export async function findReadyByLookupKey(db: Database, lookupKey: string): Promise<DatasetInfo | null> {
  const r = await db.conn.runAndReadAll(`SELECT * FROM ${CATALOG_DATASETS.name} WHERE lookup_key = $1 AND status = 'ready' ORDER BY dataset_id DESC LIMIT 1`, [lookupKey]);
  const row = r.getRowObjects()[0];
  return row ? toInfo(row as Record<string, unknown>) : null;
}

/** Delete every row of a dataset from every stored product table and the catalog (views follow their tables). */
export async function deleteDataset(db: Database, datasetId: number): Promise<void> {
  for (const t of TABLES) if (isStoredTable(t)) await db.conn.run(`DELETE FROM ${duckdbTableName(t)} WHERE dataset_id = ${Number(datasetId)}`);
}

/** Run SQL and return row objects (BIGINT/UBIGINT as bigint). */
export async function queryRows(db: Database, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]> {
  try {
    const r = params ? await db.conn.runAndReadAll(sql, params as never) : await db.conn.runAndReadAll(sql);
    return r.getRowObjects() as Record<string, unknown>[];
  } catch (e) {
    throw new StoreError('store.query_failed', String((e as Error)?.message ?? e).split('\n')[0], 'check the SQL; table names are listed in docs/DATA.md', { cause: e });
  }
}

/** True when a vector has no NULL among its first n items (reads the validity words once). */
function allValid(vec: unknown, n: number): boolean {
  const data = (vec as { validity?: { data?: BigUint64Array | null } }).validity?.data;
  if (!data) return true;
  const full = Math.floor(n / 64);
  for (let w = 0; w < full; w++) if (data[w] !== 0xffffffffffffffffn) return false;
  const rest = n % 64;
  if (rest === 0) return true;
  const mask = (1n << BigInt(rest)) - 1n;
  return (data[full] & mask) === mask;
}

export type ColumnValues = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array | unknown[];

/**
 * Run SQL and return whole columns: fixed-width numeric columns without NULLs as typed arrays
 * (copied out of DuckDB's chunks), every other column as a plain array of values.
 *
 * The result is materialized, not streamed: a streaming result is cut short, silently, by the
 * next statement on its connection (queryColumns.test.ts), and the engine's read-write
 * connection also carries the ingest.
 */
export function queryColumns(db: Database, sql: string): Promise<{ rowCount: number; columns: Record<string, ColumnValues> }> {
  const q = readColumns(db, sql);
  let set = inFlight.get(db.conn);
  if (!set) inFlight.set(db.conn, (set = new Set()));
  const s = set;
  s.add(q);
  void q.finally(() => s.delete(q)).catch(() => undefined);
  return q;
}

/** queryColumns reads still running, per connection (a connection must not close under one). */
const inFlight = new WeakMap<DuckDBConnection, Set<Promise<unknown>>>();

/** Resolves once every queryColumns read on `conn` started so far has ended. */
export async function queryColumnsSettled(conn: DuckDBConnection): Promise<void> {
  await Promise.allSettled([...(inFlight.get(conn) ?? [])]);
}

async function readColumns(db: Database, sql: string): Promise<{ rowCount: number; columns: Record<string, ColumnValues> }> {
  let result;
  try {
    result = await db.conn.run(sql);
  } catch (e) {
    throw new StoreError('store.query_failed', String((e as Error)?.message ?? e).split('\n')[0], 'check the SQL', { cause: e });
  }
  const names = result.columnNames();
  const parts: ColumnValues[][] = names.map(() => []);
  let rowCount = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < names.length; c++) {
      const vec = chunk.getColumnVector(c);
      const items = (vec as unknown as { items?: unknown }).items;
      const typed = ArrayBuffer.isView(items) && allValid(vec, chunk.rowCount);
      parts[c].push(typed ? (items as unknown as { slice(): ColumnValues }).slice() : chunk.getColumnValues(c));
    }
    rowCount += chunk.rowCount;
  }
  const columns: Record<string, ColumnValues> = {};
  names.forEach((name, c) => {
    const ps = parts[c];
    if (ps.length > 0 && ps.every((p) => ArrayBuffer.isView(p) && p.constructor === ps[0].constructor)) {
      const Ctor = ps[0].constructor as new (n: number) => Exclude<ColumnValues, unknown[]>;
      const out = new Ctor(rowCount);
      let off = 0;
      for (const p of ps as Exclude<ColumnValues, unknown[]>[]) {
        (out as Float64Array).set(p as Float64Array, off);
        off += p.length;
      }
      columns[name] = out;
    } else columns[name] = ps.flatMap((p) => Array.from(p as ArrayLike<unknown>));
  });
  return { rowCount, columns };
}
