// The per-cell grid is stored once (silver.future_mbo__cells_1s) and read through two views
// generated from the contracts: they must show exactly the declared columns (names, order,
// types), compute the row-local gold values with the engine's IEEE operations, and follow the
// stored table when a dataset is deleted.
import { describe, expect, it } from 'vitest';
import { duckdbColumnType, duckdbTableName, storedColumns } from '../../contracts/columns';
import { TABLES } from '../../contracts/registry';
import { silverFutureCells1s, silverFutureDepthAndFlow1s } from '../../contracts/tables/silver';
import { goldFuturePhysicsSurface1s } from '../../contracts/tables/gold';
import { SILVER_FUTURE_MBO_CELLS_1S } from '../../contracts/generated/tables';
import { chunkLayout } from './chunkFiller';
import { closeDatabase, deleteDataset, openDatabase, queryRows } from './database';

describe('per-cell grid: one stored table, two views', () => {
  it('the stored table has 28 plain columns and no generated ones; the two views are declared over it', () => {
    expect(silverFutureCells1s.columns.length).toBe(28);
    expect(storedColumns(silverFutureCells1s.columns).length).toBe(28);
    expect(SILVER_FUTURE_MBO_CELLS_1S.ddl).not.toMatch(/GENERATED|VIRTUAL/);
    const views = TABLES.filter((t) => t.viewOf).map((t) => `${duckdbTableName(t)} → ${duckdbTableName(t.viewOf!)}`);
    expect(views).toEqual(['silver.future_mbo__depth_and_flow_1s → silver.future_mbo__cells_1s', 'gold.future_mbo__physics_surface_1s → silver.future_mbo__cells_1s']);
    // A writer cannot be pointed at a view by mistake.
    expect(() => chunkLayout(goldFuturePhysicsSurface1s)).toThrow(/is a view; write silver\.cells_1s/);
    expect(chunkLayout(silverFutureCells1s).columns.length).toBe(28);
  });

  it('each view shows exactly its declared columns, in order, with the declared DuckDB types', async () => {
    const db = await openDatabase(':memory:');
    try {
      for (const decl of [silverFutureDepthAndFlow1s, goldFuturePhysicsSurface1s]) {
        const got = await queryRows(db, `DESCRIBE ${duckdbTableName(decl)}`);
        expect(got.map((r) => `${r.column_name} ${String(r.column_type).replace(/\s+/g, '')}`)).toEqual(
          decl.columns.map((c) => `${c.name} ${duckdbColumnType(c).replace(/\s+/g, '')}`),
        );
      }
    } finally {
      await closeDatabase(db);
    }
  });

  it('computed gold columns equal the engine formulas bit for bit; deleting a dataset empties both views', async () => {
    const db = await openDatabase(':memory:');
    try {
      // Two cells of dataset 3 (a bid and an ask) and one of dataset 4.
      // key (7) | depth_qty_start, depth_qty_end, add, pull_total, pull_rest, fill, depth_rest | liquidity_velocity (stored), rho, nu, ema 2/8/32/128, du_dt … wall_strength
      const rho = Math.log1p(9);
      await db.conn.run(`INSERT INTO ${SILVER_FUTURE_MBO_CELLS_1S.name} VALUES
        (3, 2000000000, 'B', 4000000000000, 4000250000000, -1, 0,  6, 9, 7, 3, 1, 1, 5,  ${7 / 7 - 3 / 7 - 1 / 7}, ${rho}, 0.5, 0.3, -0.1, 0.7, 0.2, 1, 2, 3, 4, 5, 6, 7),
        (3, 2000000000, 'A', 4000500000000, 4000250000000,  1, 0,  0, 0, 0, 0, 0, 0, 0,  0, 0, 0.1, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0, 0, 0, 0),
        (4, 2000000000, 'A', 4000500000000, 4000250000000,  1, 0,  2, 1, 0, 0, 0, 1, 1,  ${-1 / 3}, ${Math.log1p(1)}, 0.1, 0.0, 0.4, 0.0, 0.0, 0, 0, 0, 0, 0, 0, 0)`);
      const g = await queryRows(db, `SELECT * FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = 3 ORDER BY side = 'A'`);
      expect(g.length).toBe(2);
      const bid = g[0];
      const ai = 7 / 7;
      const pi = 3 / 7;
      const fi = 1 / 7;
      expect(bid.add_intensity).toBe(ai);
      expect(bid.pull_intensity).toBe(pi);
      expect(bid.fill_intensity).toBe(fi);
      expect(bid.liquidity_velocity).toBe(ai - pi - fi);
      expect(bid.phi_rest).toBe(5 / 10);
      expect(bid.kappa).toBe(1 / (1 + rho));
      expect(bid.u_band_fast).toBe(0.3 - -0.1);
      expect(bid.u_band_mid).toBe(-0.1 - 0.7);
      expect(bid.u_band_slow).toBe(0.7 - 0.2);
      expect(bid.u_wave_energy).toBe(Math.sqrt((0.3 - -0.1) ** 2 + (-0.1 - 0.7) ** 2 + (0.7 - 0.2) ** 2));
      expect(bid.pressure_grad).toBe(-0.1); // +u_ema_8 on bids
      expect(bid.void_strength).toBe(0.1); // −min(0, u_ema_8)
      expect(bid.wall_strength).toBe(7);
      // A quiet cell: exact +0 everywhere (0 / (depth + 1) is +0, as the engine's shortcut).
      const ask = g[1];
      for (const k of ['add_intensity', 'pull_intensity', 'fill_intensity', 'liquidity_velocity', 'phi_rest', 'void_strength']) expect(Object.is(ask[k], 0), k).toBe(true);
      expect(ask.kappa).toBe(1);
      const ask4 = await queryRows(db, `SELECT pressure_grad, void_strength FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = 4`);
      expect(ask4[0]).toEqual({ pressure_grad: -0.4, void_strength: 0 }); // −u_ema_8 on asks
      const s = await queryRows(db, `SELECT depth_qty_start, depth_qty_end, add_qty, pull_qty_total, pull_qty_rest, fill_qty, depth_qty_rest FROM silver.future_mbo__depth_and_flow_1s WHERE dataset_id = 3 AND side = 'B'`);
      expect(s[0]).toEqual({ depth_qty_start: 6, depth_qty_end: 9, add_qty: 7, pull_qty_total: 3, pull_qty_rest: 1, fill_qty: 1, depth_qty_rest: 5 });

      await deleteDataset(db, 3);
      const left = await queryRows(
        db,
        `SELECT (SELECT count(*) FROM silver.future_mbo__cells_1s WHERE dataset_id = 3) AS cells,
                (SELECT count(*) FROM silver.future_mbo__depth_and_flow_1s WHERE dataset_id = 3) AS silver,
                (SELECT count(*) FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = 3) AS gold,
                (SELECT count(*) FROM gold.future_mbo__physics_surface_1s) AS others`,
      );
      expect(left[0]).toEqual({ cells: 0n, silver: 0n, gold: 0n, others: 1n });
    } finally {
      await closeDatabase(db);
    }
  });
});
