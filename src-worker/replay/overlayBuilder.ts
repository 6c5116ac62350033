// Overlays for a range of windows (contracts/frames.ts `walls_voids` and `trades`): one DuckDB
// query per overlay kind, each filled straight from the result chunks' typed arrays and
// encoded as one Arrow IPC batch. Trades are aggregated in SQL per (1-s window, price,
// aggressor side) so a busy session stays a few thousand rows per 5 minutes.
import type { DuckDBConnection } from '@duckdb/node-api';
import { TRADES_FRAME_ARROW, WALLS_VOIDS_FRAME_ARROW } from '../../contracts/generated/arrow';
import { BRONZE_FUTURE_MBO_MBO, CATALOG_DATASETS, GOLD_FUTURE_MBO_WALLS_VOIDS_1S } from '../../contracts/generated/tables';
import { OVERLAY_KINDS, type OverlayKind } from '../../contracts/protocol';
import { encodeBatch } from './arrowBatch';
import { exclusive, forEachChunk, numericItems, sqlInt } from './duckColumns';
import { clampToWindowEnd, NS_PER_WINDOW } from './replayClock';
import type { ReplaySession } from './sessionInfo';
import { SlabRequestError } from './slabBuilder';

export interface OverlayResult {
  fromWindowEndNs: bigint;
  toWindowEndNs: bigint;
  /** Kinds answered, in the order of `parts`. */
  kinds: OverlayKind[];
  parts: Uint8Array[];
  /** Set when trades were asked for but the dataset has no bronze table rows (ingested with bronze: false). */
  tradesUnavailable?: 'bronze_skipped';
  rows: Partial<Record<OverlayKind, number>>;
}

/** Growable typed-array columns (results arrive in chunks of ≤ 2048 rows). */
class Grow<T extends BigInt64Array | Uint32Array | Uint8Array | Int32Array | Float64Array> {
  n = 0;
  constructor(
    public a: T,
    private readonly make: (n: number) => T,
  ) {}
  reserve(extra: number): void {
    if (this.n + extra <= this.a.length) return;
    const b = this.make(Math.max(this.a.length * 2, this.n + extra));
    (b as unknown as { set(x: T): void }).set(this.a);
    this.a = b;
  }
  view(): T {
    return this.a.subarray(0, this.n) as T;
  }
}
const i64 = (n = 1024) => new Grow(new BigInt64Array(n), (m) => new BigInt64Array(m));
const u32 = (n = 1024) => new Grow(new Uint32Array(n), (m) => new Uint32Array(m));
const u8 = (n = 1024) => new Grow(new Uint8Array(n), (m) => new Uint8Array(m));
const i32 = (n = 1024) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const f64 = (n = 1024) => new Grow(new Float64Array(n), (m) => new Float64Array(m));

function copyInto<T extends BigInt64Array | Uint32Array | Uint8Array | Int32Array | Float64Array>(g: Grow<T>, src: ArrayLike<number | bigint>, rows: number): void {
  g.reserve(rows);
  const a = g.a as unknown as { [i: number]: number | bigint };
  for (let r = 0; r < rows; r++) a[g.n + r] = src[r];
}

/** Whether the dataset was ingested with bronze (ingest option `bronze`, default true). */
const bronzeKnown = new WeakMap<ReplaySession, Promise<boolean>>();
export function hasBronze(conn: DuckDBConnection, s: ReplaySession): Promise<boolean> {
  let p = bronzeKnown.get(s);
  if (!p) {
    p = exclusive(conn, async () => {
      const r = await conn.runAndReadAll(`SELECT config_json FROM ${CATALOG_DATASETS.name} WHERE dataset_id = ${sqlInt(s.datasetId)}`);
      const row = r.getRowObjects()[0];
      try {
        const cfg = JSON.parse(String(row?.config_json ?? '{}')) as { bronze?: unknown };
        return cfg.bronze !== false;
      } catch {
        return true;
      }
    });
    bronzeKnown.set(s, p);
  }
  return p;
}

export async function buildOverlays(conn: DuckDBConnection, s: ReplaySession, fromNs: bigint, toNs: bigint, kinds: readonly OverlayKind[]): Promise<OverlayResult> {
  if (!Array.isArray(kinds) || kinds.length === 0) throw new SlabRequestError('an overlay request needs at least one overlay kind', `kinds: ${OVERLAY_KINDS.join(', ')}`);
  for (const k of kinds) if (!OVERLAY_KINDS.includes(k)) throw new SlabRequestError(`unknown overlay '${String(k)}'`, `kinds: ${OVERLAY_KINDS.join(', ')}`);
  if (new Set(kinds).size !== kinds.length) throw new SlabRequestError('an overlay is requested twice', 'list each overlay once');
  if (toNs < fromNs) throw new SlabRequestError('the overlay range ends before it starts', 'swap from and to');
  // Clamped into the session and onto window ends.
  const clampNs = (ns: bigint) => clampToWindowEnd(s, ns);
  const from = clampNs(fromNs);
  const to = clampNs(toNs);
  const out: OverlayResult = { fromWindowEndNs: from, toWindowEndNs: to, kinds: [], parts: [], rows: {} };
  for (const k of kinds as OverlayKind[]) {
    if (k === 'walls_voids') {
      const { bytes, rows } = await wallsVoids(conn, s, from, to);
      out.kinds.push('walls_voids');
      out.parts.push(bytes);
      out.rows.walls_voids = rows;
    } else {
      if (!(await hasBronze(conn, s))) {
        out.tradesUnavailable = 'bronze_skipped';
        continue;
      }
      const { bytes, rows } = await trades(conn, s, from, to);
      out.kinds.push('trades');
      out.parts.push(bytes);
      out.rows.trades = rows;
    }
  }
  return out;
}

async function wallsVoids(conn: DuckDBConnection, s: ReplaySession, from: bigint, to: bigint): Promise<{ bytes: Uint8Array; rows: number }> {
  const win = i64(), kind = u8(), dir = u8(), rank = u8(), price = i64(), rel = i32(), strength = f64();
  // ENUM columns: ascii(CAST(kind AS VARCHAR)) gives the byte the frame declares.
  const sql = `
    SELECT CAST(window_end_ts_ns AS BIGINT), CAST(ascii(CAST(kind AS VARCHAR)) AS UTINYINT),
           CAST(ascii(CAST(direction AS VARCHAR)) AS UTINYINT), CAST(rank AS UTINYINT),
           CAST(price_int AS BIGINT), CAST(rel_ticks AS INTEGER), CAST(strength AS DOUBLE)
      FROM ${GOLD_FUTURE_MBO_WALLS_VOIDS_1S.name}
     WHERE dataset_id = ${sqlInt(s.datasetId)} AND window_end_ts_ns BETWEEN ${sqlInt(from)} AND ${sqlInt(to)}
     ORDER BY window_end_ts_ns, kind, direction, rank`;
  const cols = [win, kind, dir, rank, price, rel, strength] as const;
  const rows = await forEachChunk(conn, sql, (chunk, n) => {
    cols.forEach((g, c) => copyInto(g as Grow<BigInt64Array>, numericItems(chunk.getColumnVector(c)) as ArrayLike<bigint>, n));
    for (const g of cols) g.n += n;
  });
  const bytes = encodeBatch(WALLS_VOIDS_FRAME_ARROW, rows, {
    window_end_ts_ns: { values: win.view() },
    kind: { values: kind.view() },
    direction: { values: dir.view() },
    rank: { values: rank.view() },
    price_int: { values: price.view() },
    rel_ticks: { values: rel.view() },
    strength: { values: strength.view() },
  });
  return { bytes, rows };
}

async function trades(conn: DuckDBConnection, s: ReplaySession, from: bigint, to: bigint): Promise<{ bytes: Uint8Array; rows: number }> {
  const win = i64(), price = i64(), side = u8(), vol = u32(), count = u32();
  // Window of a record: [k·1e9, (k+1)·1e9) holds its ts_recv → window_end (k+1)·1e9 (SPEC §2).
  // Bronze keeps the instrument's records from the file start: the ts_recv bounds pick the range.
  const sql = `
    SELECT (ts_recv // 1000000000 + 1) * 1000000000 AS w, CAST(price AS BIGINT) AS p,
           CAST(ascii(CAST(side AS VARCHAR)) AS UTINYINT) AS sd,
           CAST(sum(size) AS UINTEGER), CAST(count(*) AS UINTEGER)
      FROM ${BRONZE_FUTURE_MBO_MBO.name}
     WHERE dataset_id = ${sqlInt(s.datasetId)} AND action = 'T' AND price IS NOT NULL
       AND ts_recv >= ${sqlInt(from - NS_PER_WINDOW)} AND ts_recv < ${sqlInt(to)}
     GROUP BY w, p, sd
     ORDER BY w, p, sd`;
  const cols = [win, price, side, vol, count] as const;
  const rows = await forEachChunk(conn, sql, (chunk, n) => {
    cols.forEach((g, c) => copyInto(g as Grow<BigInt64Array>, numericItems(chunk.getColumnVector(c)) as ArrayLike<bigint>, n));
    for (const g of cols) g.n += n;
  });
  const bytes = encodeBatch(TRADES_FRAME_ARROW, rows, {
    window_end_ts_ns: { values: win.view() },
    price_int: { values: price.view() },
    side: { values: side.view() },
    volume: { values: vol.view() },
    trade_count: { values: count.view() },
  });
  return { bytes, rows };
}
