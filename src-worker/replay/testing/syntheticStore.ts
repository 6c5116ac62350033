// TEST-ONLY: a small DuckDB filled from the contract DDL with synthetic rows whose values are
// a known function of (window, side, rel_ticks, field), so frame and slab builders can be
// checked cell by cell. Real-data tests use the real ingest of the ESH4 file instead.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CATALOG_DATASETS, DUCKDB_SCHEMAS, GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S, SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S, SILVER_FUTURE_MBO_DEPTH_AND_FLOW_1S } from '../../../contracts/generated/tables';
import { HEATMAP_FIELDS } from '../../../contracts/protocol';
import { TABLES } from '../../../contracts/registry';
import { tableDdl } from '../../../contracts/columns';

export const SYN = {
  datasetId: 7,
  tickInt: 250_000_000n,
  /** window_end of window 0: 2024-01-02 14:30:01 UTC. */
  firstEnd: 1_704_205_801_000_000_000n,
  windows: 120,
  baseSpot: 4_800_000_000_000n,
  /** Window whose book is invalid (null spot, no depth or gold rows). */
  invalidWindow: 5,
};

/** spot_ref of window w (null for the invalid window). */
export function synSpot(w: number): bigint | null {
  return w === SYN.invalidWindow ? null : SYN.baseSpot + BigInt(w % 10) * SYN.tickInt;
}

/**
 * Value of field k at (w, side, rel): exact in Float32. Bids cover rel −200…0, asks 0…200.
 * rho keeps its contract meaning, log1p(depth_qty_end) (the frame derives depth from it).
 */
export function synValue(w: number, side: 'B' | 'A', rel: number, k: number): number {
  if (HEATMAP_FIELDS[k] === 'rho') return Math.fround(Math.log1p(synDepth(w, rel)));
  return w * 1000 + rel + k * 0.5 + (side === 'B' ? 0.25 : 0);
}

export function synDepth(w: number, rel: number): number {
  return (w + Math.abs(rel)) % 50;
}

export async function openSyntheticStore(): Promise<{ conn: DuckDBConnection; close(): void }> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  // Only the futures tables: the options DDL is not needed here. depth_and_flow_1s and
  // physics_surface_1s (views over cells_1s in a real store) are plain tables with every column
  // stored, so every field can hold its own synthetic value; readers see the same names and types.
  for (const schema of DUCKDB_SCHEMAS) await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const t of TABLES) if (t.product !== 'future_option_mbo') await conn.run(tableDdl(t, { storeGenerated: true }));
  const { datasetId: D, tickInt: T, firstEnd: F, windows: N, baseSpot: S, invalidWindow: X } = SYN;
  await conn.run(`INSERT INTO ${CATALOG_DATASETS.name} VALUES (${D}, 'k', '/tmp/synthetic.dbn', 'sha', 1, 'ESH4', 1, '2024-01-02',
    ${F - 1_000_000_000n}, ${F + BigInt(N - 1) * 1_000_000_000n}, ${T}, '{"tz":"America/New_York"}', 'p', 'test', '{}', '{}', 'ready', 'now', '')`);
  const spotExpr = `CASE WHEN w = ${X} THEN NULL ELSE ${S} + (w % 10) * ${T} END`;
  await conn.run(`INSERT INTO ${SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S.name}
    SELECT ${D}, ${F} + (w - 1) * 1000000000, ${F} + w * 1000000000,
           ${S} + (w % 10) * ${T} - ${T}, 10 + w, ${S} + (w % 10) * ${T} + ${T}, 20 + w, NULL,
           ${S} + (w % 10) * ${T}, ${spotExpr}, w <> ${X}
      FROM range(${N}) t(w)`);
  const cells = `FROM range(${N}) t(w), range(-200, 201) r(rel), (VALUES ('B'), ('A')) s(side)
      WHERE w <> ${X} AND ((side = 'B' AND rel <= 0) OR (side = 'A' AND rel >= 0))`;
  await conn.run(`INSERT INTO ${SILVER_FUTURE_MBO_DEPTH_AND_FLOW_1S.name}
    SELECT ${D}, ${F} + w * 1000000000, side, ${S} + (w % 10) * ${T} + rel * ${T}, ${S} + (w % 10) * ${T}, rel, 0,
           0, (w + abs(rel)) % 50, 0, 0, 0, 0, 0 ${cells}`);
  const goldCols = GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.columns.slice(7);
  const valueOf = (name: string) => {
    if (name === 'rho') return `ln(1 + ((w + abs(rel)) % 50))::DOUBLE`;
    const k = HEATMAP_FIELDS.indexOf(name as (typeof HEATMAP_FIELDS)[number]);
    return `(w * 1000 + rel + ${k * 0.5} + CASE WHEN side = 'B' THEN 0.25 ELSE 0 END)::DOUBLE`;
  };
  await conn.run(`INSERT INTO ${GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name}
    SELECT ${D}, ${F} + w * 1000000000, side, ${S} + (w % 10) * ${T} + rel * ${T}, ${S} + (w % 10) * ${T}, rel, 0,
           ${goldCols.map(valueOf).join(', ')} ${cells}`);
  return {
    conn,
    close() {
      conn.closeSync();
      inst.closeSync();
    },
  };
}
