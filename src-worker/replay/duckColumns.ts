// Reading DuckDB results column-wise: one streamed query, chunk by chunk, each numeric column
// taken as the typed array DuckDB already holds (no value objects per row). The arrays are
// views into DuckDB memory that lives only until the next chunk, so callers copy what they keep.
import type { DuckDBConnection, DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';

type Numeric = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** The typed array behind a fixed-width numeric vector (INTEGER, FLOAT, BIGINT …). */
export function numericItems(v: DuckDBVector): Numeric {
  const items = (v as unknown as { items?: unknown }).items;
  if (ArrayBuffer.isView(items)) return items as Numeric;
  throw new Error(`column of type ${v.type.toString()} has no typed array; cast it to a numeric type in SQL`);
}

// One query at a time per connection: starting a query while another one's result is still
// streaming invalidates the first. Frames, slabs and grid warm-ups share the engine's
// connection, so every query goes through this queue.
const queues = new WeakMap<DuckDBConnection, Promise<unknown>>();

export function exclusive<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(conn) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  queues.set(
    conn,
    run.catch(() => undefined),
  );
  return run;
}

/** Runs `sql` and hands every non-empty chunk to `each` (in order). */
export function forEachChunk(conn: DuckDBConnection, sql: string, each: (chunk: DuckDBDataChunk, rows: number) => void): Promise<number> {
  return exclusive(conn, async () => {
    const result = await conn.stream(sql);
    let total = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      each(chunk, chunk.rowCount);
      total += chunk.rowCount;
    }
    return total;
  });
}

/** Validates a value that is interpolated into SQL as an integer literal. */
export function sqlInt(x: bigint | number): string {
  if (typeof x === 'number' && !Number.isSafeInteger(x)) throw new Error(`not an integer: ${x}`);
  return String(x);
}
