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
// connection, so every query goes through this queue. Two lanes: a query the window waits for
// (a slab, overlays, a grid asked for now) starts before any queued background work (the
// session-grid scans after a session opens), so it waits at most for the query in flight.
interface Job {
  run: () => Promise<unknown>;
  reject: (e: unknown) => void;
}
interface Lane {
  busy: boolean;
  now: Job[];
  background: Job[];
  /** The job running now (closeLane waits for it). */
  current: Promise<unknown> | null;
  /** Closed (the database is closing): queued and new queries fail at once. */
  closed: boolean;
}
const lanes = new WeakMap<DuckDBConnection, Lane>();

export type QueryPriority = 'now' | 'background';

/** Raised for a query queued or asked for on a connection whose database is closing. */
export class ConnectionClosingError extends Error {
  constructor() {
    super('the database is closing');
    this.name = 'ConnectionClosingError';
  }
}

function laneOf(conn: DuckDBConnection): Lane {
  let lane = lanes.get(conn);
  if (!lane) lanes.set(conn, (lane = { busy: false, now: [], background: [], current: null, closed: false }));
  return lane;
}

export function exclusive<T>(conn: DuckDBConnection, fn: () => Promise<T>, priority: QueryPriority = 'now'): Promise<T> {
  const l = laneOf(conn);
  if (l.closed) return Promise.reject(new ConnectionClosingError());
  return new Promise<T>((resolve, reject) => {
    l[priority].push({ run: () => Promise.resolve().then(fn).then(resolve, reject), reject });
    if (!l.busy) void runNext(l);
  });
}

async function runNext(lane: Lane): Promise<void> {
  lane.busy = true;
  for (let job = lane.now.shift() ?? lane.background.shift(); job && !lane.closed; job = lane.now.shift() ?? lane.background.shift()) {
    lane.current = job.run();
    await lane.current;
    lane.current = null;
  }
  lane.busy = false;
}

/**
 * Before the connection is closed: queued queries fail (ConnectionClosingError), new ones are
 * refused, and this resolves once the query in flight has ended. Closing DuckDB under a query
 * in flight crashes the process natively (SIGSEGV; host/engineClose.test.ts).
 */
export async function closeLane(conn: DuckDBConnection): Promise<void> {
  const l = laneOf(conn);
  l.closed = true;
  for (const job of [...l.now, ...l.background]) job.reject(new ConnectionClosingError());
  l.now.length = 0;
  l.background.length = 0;
  await l.current?.catch(() => undefined);
}

/** Runs `sql` and hands every non-empty chunk to `each` (in order). */
export function forEachChunk(conn: DuckDBConnection, sql: string, each: (chunk: DuckDBDataChunk, rows: number) => void, priority: QueryPriority = 'now'): Promise<number> {
  return exclusive(
    conn,
    async () => {
      const result = await conn.stream(sql);
      let total = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        each(chunk, chunk.rowCount);
        total += chunk.rowCount;
      }
      return total;
    },
    priority,
  );
}

/** Validates a value that is interpolated into SQL as an integer literal. */
export function sqlInt(x: bigint | number): string {
  if (typeof x === 'number' && !Number.isSafeInteger(x)) throw new Error(`not an integer: ${x}`);
  return String(x);
}
