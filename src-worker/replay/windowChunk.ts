// A run of consecutive windows loaded with one query into dense per-window grids (802 rows
// each at the default half-width, the `grid` frame layout), so playback builds each frame from memory: a chunk of
// 60 windows × 25 fields is ~5 MB and one DuckDB round trip.
// depth_qty_end comes from gold's rho = log1p(depth_qty_end) (SPEC §3), inverted exactly
// (round(exp(rho) − 1)), instead of a join with silver that costs 2–3× the query time;
// realReplay.test.ts checks it against silver.depth_and_flow_1s on real data.
import type { DuckDBConnection } from '@duckdb/node-api';
import { GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S } from '../../contracts/generated/tables';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { forEachChunk, numericItems, sqlInt } from './duckColumns';
import type { GridLayout } from './gridLayout';
import { NS_PER_WINDOW } from './replayClock';
import type { ReplaySession } from './sessionInfo';
import { loadSnapshotColumns, type SnapshotColumns } from './snapshotColumns';

export interface WindowChunk {
  /** Session index of the first window. */
  start: number;
  count: number;
  /** The build's grid (its half-width): rows per window. */
  layout: GridLayout;
  snaps: SnapshotColumns;
  /** count × layout.rows, window-major. */
  depthQtyEnd: Uint32Array;
  /** One array per HEATMAP_FIELDS entry, count × layout.rows, window-major. */
  fields: Float32Array[];
}

export async function loadWindowChunk(conn: DuckDBConnection, s: ReplaySession, start: number, count: number): Promise<WindowChunk> {
  const n = Math.max(0, Math.min(count, s.windowCount - start));
  const layout = s.layout;
  const { rows: GRID_ROWS, levelsPerSide: LEVELS_PER_SIDE, half: GRID_HALF_WIDTH } = layout;
  const snaps = await loadSnapshotColumns(conn, s, start, n);
  const depthQtyEnd = new Uint32Array(n * GRID_ROWS);
  const fields = HEATMAP_FIELDS.map(() => new Float32Array(n * GRID_ROWS));
  if (n === 0) return { start, count: 0, layout, snaps, depthQtyEnd, fields };
  const from = s.firstWindowEndNs + BigInt(start) * NS_PER_WINDOW;
  const to = from + BigInt(n - 1) * NS_PER_WINDOW;
  const G = GOLD_FUTURE_MBO_PHYSICS_SURFACE_1S.name;
  const sql = `
    SELECT CAST((g.window_end_ts_ns - ${sqlInt(from)}) // 1000000000 AS INTEGER) * ${GRID_ROWS}
             + CASE WHEN g.side = 'B' THEN 0 ELSE ${LEVELS_PER_SIDE} END + CAST(g.rel_ticks AS INTEGER) + ${GRID_HALF_WIDTH} AS cell,
           CAST(round(exp(g.rho) - 1) AS UINTEGER) AS depth,
           ${HEATMAP_FIELDS.map((f) => `CAST(g.${f} AS FLOAT)`).join(', ')}
      FROM ${G} g
     WHERE g.dataset_id = ${sqlInt(s.datasetId)}
       AND g.window_end_ts_ns BETWEEN ${sqlInt(from)} AND ${sqlInt(to)}
       AND g.rel_ticks BETWEEN ${-GRID_HALF_WIDTH} AND ${GRID_HALF_WIDTH}`;
  await forEachChunk(conn, sql, (chunk, rows) => {
    const cell = numericItems(chunk.getColumnVector(0)) as Int32Array;
    const depth = numericItems(chunk.getColumnVector(1)) as Uint32Array;
    for (let r = 0; r < rows; r++) depthQtyEnd[cell[r]] = depth[r];
    for (let f = 0; f < fields.length; f++) {
      const src = numericItems(chunk.getColumnVector(2 + f)) as Float32Array;
      const dst = fields[f];
      for (let r = 0; r < rows; r++) dst[cell[r]] = src[r];
    }
  });
  return { start, count: n, layout, snaps, depthQtyEnd, fields };
}
