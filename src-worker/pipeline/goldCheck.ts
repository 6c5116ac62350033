// Test support: checks a built dataset in DuckDB against SPEC §3 with an independent,
// deliberately plain recomputation (Maps keyed by side|price, one window at a time) — no
// code shared with the engine's dense typed-array implementation except the parameter file.
// Used by the real-data and simulated-day tests. Silver and gold are read through their views
// over the stored cells (silver.future_mbo__cells_1s): the gold columns the view computes in SQL
// (intensities, phi_rest, liquidity_velocity, kappa, bands, …) are checked against this JS
// recomputation like the stored ones.
import { expect } from 'vitest';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import type { GoldParams } from '../../contracts/params';
import { CATALOG_DATASETS } from '../../contracts/generated/tables';
import { GOLD_VALUE_COLUMNS } from '../../contracts/tables/gold';
import { queryColumns, queryRows, type Database } from '../store/database';

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

export interface CheckResult {
  windows: number;
  validWindows: number;
  silverRows: number;
  goldValuesCompared: number;
}

/** Asserts every SPEC §3 rule the tests promise for one dataset; returns what it looked at. */
export async function checkDataset(db: Database, datasetId: number, tickInt: number, p: GoldParams): Promise<CheckResult> {
  const ds = datasetId;
  // The ladder half-width the dataset was built with (catalog config_json; ingest accepts any).
  const cfg = await queryRows(db, `SELECT config_json FROM ${CATALOG_DATASETS.name} WHERE dataset_id = ${ds}`);
  expect(cfg.length, `dataset ${ds} in the catalog`).toBe(1);
  const built = (JSON.parse(String(cfg[0].config_json)) as { gridHalfWidthTicks?: unknown }).gridHalfWidthTicks;
  const GRID = typeof built === 'number' ? built : SESSION_DEFAULTS.gridHalfWidthTicks;
  // ---- silver: conservation, rel_ticks, grid ------------------------------------------------
  const bad = await queryRows(
    db,
    `SELECT count(*) FILTER (WHERE CAST(depth_qty_end AS BIGINT) - depth_qty_start <> CAST(add_qty AS BIGINT) - pull_qty_total - fill_qty) AS conservation,
            count(*) FILTER (WHERE rel_ticks < -${GRID} OR rel_ticks > ${GRID}) AS outside,
            count(*) FILTER (WHERE (price_int - spot_ref_price_int) <> CAST(rel_ticks AS BIGINT) * ${tickInt}) AS rel,
            count(*) FILTER (WHERE pull_qty_rest > pull_qty_total OR depth_qty_rest > depth_qty_end) AS rest,
            count(*) FILTER (WHERE depth_qty_start = 0 AND depth_qty_end = 0 AND add_qty = 0 AND pull_qty_total = 0 AND fill_qty = 0) AS empty_rows,
            count(*) AS n
       FROM silver.future_mbo__depth_and_flow_1s WHERE dataset_id = ${ds}`,
  );
  expect(bad[0]).toMatchObject({ conservation: 0n, outside: 0n, rel: 0n, rest: 0n, empty_rows: 0n });
  const silverRows = num(bad[0].n);

  // ---- snapshots: book_valid and the spot_ref rule --------------------------------------------
  const snaps = await queryRows(
    db,
    `SELECT window_end_ts_ns, best_bid_price_int AS bb, best_ask_price_int AS ba, last_trade_price_int AS lt, spot_ref_price_int AS spot, book_valid
       FROM silver.future_mbo__book_snapshot_1s WHERE dataset_id = ${ds} ORDER BY window_end_ts_ns`,
  );
  let validWindows = 0;
  for (const s of snaps) {
    const bb = s.bb === null ? null : num(s.bb);
    const ba = s.ba === null ? null : num(s.ba);
    const valid = bb !== null && ba !== null && bb < ba;
    expect(s.book_valid).toBe(valid);
    if (!valid) {
      expect(s.spot).toBeNull();
      continue;
    }
    validWindows++;
    const lt = s.lt === null ? null : num(s.lt);
    const want = lt === null ? bb : lt >= bb! && lt <= ba! ? lt : lt < bb! ? bb : ba;
    expect(num(s.spot)).toBe(want);
  }
  // consecutive 1-s windows
  for (let i = 1; i < snaps.length; i++) expect(num(snaps[i].window_end_ts_ns) - num(snaps[i - 1].window_end_ts_ns)).toBe(1e9);
  const rowsWithForeignSpot = await queryRows(
    db,
    `SELECT count(*) AS n FROM silver.future_mbo__depth_and_flow_1s d JOIN silver.future_mbo__book_snapshot_1s s USING (dataset_id, window_end_ts_ns)
      WHERE d.dataset_id = ${ds} AND (s.spot_ref_price_int IS DISTINCT FROM d.spot_ref_price_int
        OR d.rel_ticks_side <> CASE WHEN d.side = 'B' THEN (d.price_int - s.best_bid_price_int) // ${tickInt} ELSE (d.price_int - s.best_ask_price_int) // ${tickInt} END)`,
  );
  expect(rowsWithForeignSpot[0].n).toBe(0n);

  // ---- gold: recompute from silver ----------------------------------------------------------
  const order = 'ORDER BY window_end_ts_ns, side, price_int';
  const silver = await queryColumns(
    db,
    `SELECT window_end_ts_ns, CAST(side = 'A' AS UTINYINT) AS ask, price_int, rel_ticks, depth_qty_start, depth_qty_end, add_qty, pull_qty_total, fill_qty, depth_qty_rest
       FROM silver.future_mbo__depth_and_flow_1s WHERE dataset_id = ${ds} ${order}`,
  );
  // Every per-cell value column of the gold view, as the contract declares it.
  const goldCols = GOLD_VALUE_COLUMNS;
  const gold = await queryColumns(
    db,
    `SELECT window_end_ts_ns, CAST(side = 'A' AS UTINYINT) AS ask, price_int, rel_ticks, ${goldCols.join(', ')}
       FROM gold.future_mbo__physics_surface_1s WHERE dataset_id = ${ds} ${order}`,
  );
  expect(gold.rowCount).toBe(silver.rowCount);
  const S = silver.columns;
  const G = gold.columns;
  for (const k of ['window_end_ts_ns', 'ask', 'price_int', 'rel_ticks'] as const) {
    const a = G[k] as ArrayLike<unknown>;
    const b = S[k] as ArrayLike<unknown>;
    let diff = 0;
    for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) diff++;
    expect(diff, `gold ${k} differs from silver`).toBe(0);
  }
  const ask = S.ask as Uint8Array;

  // Per-window structures as stored, keyed by window end.
  const structRows = await queryRows(
    db,
    `SELECT window_end_ts_ns AS we, kind, direction, rank, side, price_int, strength FROM gold.future_mbo__walls_voids_1s WHERE dataset_id = ${ds} ORDER BY we, kind, direction, rank`,
  );
  const structs = new Map<bigint, string[]>();
  for (const x of structRows) {
    const k = x.we as bigint;
    if (!structs.has(k)) structs.set(k, []);
    structs.get(k)!.push(`${x.kind}${x.direction}${x.rank} ${x.side}${num(x.price_int)}`);
  }
  const fronts = new Map<bigint, Record<string, unknown>>();
  for (const x of await queryRows(db, `SELECT window_end_ts_ns AS we, front, front_strength, front_side, front_rel_ticks FROM gold.future_mbo__front_1s WHERE dataset_id = ${ds}`))
    fronts.set(x.we as bigint, x);
  let structWindows = 0;

  const alpha = [2, 8, 32, 128].map((tau) => 1 - Math.exp(-1 / tau));
  const ema = new Map<number, number[]>();
  let uPrev = new Map<number, number>();
  let uPrev2 = new Map<number, number>();
  const want: Record<string, Float64Array> = Object.fromEntries(goldCols.map((c) => [c, new Float64Array(silver.rowCount)]));
  const windowEnd = S.window_end_ts_ns as BigInt64Array;
  let r = 0;
  for (const s of snaps) {
    const we = s.window_end_ts_ns as bigint;
    const start = r;
    while (r < silver.rowCount && windowEnd[r] === we) r++;
    // This window's rows: u per key.
    // Key of a (side, price) level: price·2 + side (exact in float64).
    const u = new Map<number, number>();
    const rowOf = new Map<number, number>();
    for (let i = start; i < r; i++) {
      const key = num((S.price_int as BigInt64Array)[i]) * 2 + ask[i];
      const d0 = num((S.depth_qty_start as Uint32Array)[i]) + 1;
      const ai = num((S.add_qty as Uint32Array)[i]) / d0;
      const pi = num((S.pull_qty_total as Uint32Array)[i]) / d0;
      const fi = num((S.fill_qty as Uint32Array)[i]) / d0;
      want.add_intensity[i] = ai;
      want.pull_intensity[i] = pi;
      want.fill_intensity[i] = fi;
      const uu = ai - pi - fi;
      want.liquidity_velocity[i] = uu;
      u.set(key, uu);
      rowOf.set(key, i);
    }
    // EMAs: every level that has had u ≠ 0 advances, with u = 0 when it has no row.
    for (const [key, uu] of u) if (uu !== 0 && !ema.has(key)) ema.set(key, [0, 0, 0, 0]);
    for (const [key, e] of ema) {
      const uu = u.get(key) ?? 0;
      for (let k = 0; k < 4; k++) e[k] = e[k] + alpha[k] * (uu - e[k]);
    }
    const ema32Of = (key: number) => ema.get(key)?.[2] ?? 0;
    const nuOf = (key: number): number => {
      const i = rowOf.get(key);
      const de = i === undefined ? 0 : num((S.depth_qty_end as Uint32Array)[i]);
      const rest = i === undefined ? 0 : num((S.depth_qty_rest as Uint32Array)[i]);
      const rho = Math.log1p(de);
      const phi = rest / (de + 1);
      return p.nu0 + p.nu_rho * rho + p.nu_phi * phi + p.nu_s * Math.max(0, ema32Of(key));
    };
    for (let i = start; i < r; i++) {
      const side = ask[i] ? 'A' : 'B';
      const price = num((S.price_int as BigInt64Array)[i]);
      const rel = num((S.rel_ticks as Int32Array)[i]);
      const key = price * 2 + (side === 'B' ? 0 : 1);
      const e = ema.get(key) ?? [0, 0, 0, 0];
      const de = num((S.depth_qty_end as Uint32Array)[i]);
      const rho = Math.log1p(de);
      const phi = num((S.depth_qty_rest as Uint32Array)[i]) / (de + 1);
      want.rho[i] = rho;
      want.phi_rest[i] = phi;
      want.kappa[i] = 1 / (1 + rho);
      want.nu[i] = nuOf(key);
      [want.u_ema_2[i], want.u_ema_8[i], want.u_ema_32[i], want.u_ema_128[i]] = e;
      want.u_band_fast[i] = e[0] - e[1];
      want.u_band_mid[i] = e[1] - e[2];
      want.u_band_slow[i] = e[2] - e[3];
      want.u_wave_energy[i] = Math.hypot(e[0] - e[1], e[1] - e[2], e[2] - e[3]);
      const u0 = u.get(key)!;
      const u1 = uPrev.get(key) ?? 0;
      const u2 = uPrev2.get(key) ?? 0;
      want.du_dt[i] = u0 - u1;
      want.d2u_dt2[i] = u0 - 2 * u1 + u2;
      const at = (dx: number) => key + 2 * dx * tickInt;
      const uAt = (dx: number) => u.get(at(dx)) ?? 0;
      const nuAt = (dx: number) => nuOf(at(dx));
      if (rel === -GRID) {
        want.du_dx[i] = uAt(1) - uAt(0);
        want.dnu_dx[i] = nuAt(1) - nuAt(0);
        want.d2u_dx2[i] = want.d2nu_dx2[i] = 0;
      } else if (rel === GRID) {
        want.du_dx[i] = uAt(0) - uAt(-1);
        want.dnu_dx[i] = nuAt(0) - nuAt(-1);
        want.d2u_dx2[i] = want.d2nu_dx2[i] = 0;
      } else {
        want.du_dx[i] = (uAt(1) - uAt(-1)) / 2;
        want.d2u_dx2[i] = uAt(1) - 2 * uAt(0) + uAt(-1);
        want.dnu_dx[i] = (nuAt(1) - nuAt(-1)) / 2;
        want.d2nu_dx2[i] = nuAt(1) - 2 * nuAt(0) + nuAt(-1);
      }
      want.pressure_grad[i] = side === 'B' ? e[1] : -e[1];
      want.wall_strength[i] = rho * (1 + p.lambda_phi * phi) * (1 + p.lambda_s * Math.max(0, e[2]));
      want.void_strength[i] = -Math.min(0, e[1]);
    }
    if (s.book_valid) {
      // Walls / voids: nearest first among ask levels at or above spot and bid levels at or
      // below it, strength from the recomputed state (levels without a row have depth 0).
      const spot = num(s.spot);
      const strengthOf = (side: 'A' | 'B', price: number, kind: 'W' | 'V'): number => {
        const key = price * 2 + (side === 'B' ? 0 : 1);
        const e = ema.get(key) ?? [0, 0, 0, 0];
        if (kind === 'V') return -Math.min(0, e[1]);
        const i = rowOf.get(key);
        const de = i === undefined ? 0 : num((S.depth_qty_end as Uint32Array)[i]);
        const phi = i === undefined ? 0 : num((S.depth_qty_rest as Uint32Array)[i]) / (de + 1);
        return Math.log1p(de) * (1 + p.lambda_phi * phi) * (1 + p.lambda_s * Math.max(0, e[2]));
      };
      const expected: string[] = [];
      for (const kind of ['V', 'W'] as const) {
        for (const dir of ['D', 'U'] as const) {
          const side = dir === 'U' ? 'A' : 'B';
          const min = kind === 'W' ? p.wall_min_strength : p.void_min_strength;
          const n = kind === 'W' ? p.walls_top_n : p.voids_top_n;
          let rank = 0;
          for (let d = 0; d <= GRID && rank < n; d++) {
            const price = spot + (dir === 'U' ? d : -d) * tickInt;
            const v = strengthOf(side, price, kind);
            if (v >= min && v > 0) expected.push(`${kind}${dir}${++rank} ${side}${price}`);
          }
        }
      }
      expect(structs.get(we) ?? [], `walls/voids at ${we}`).toEqual(expected);
      // Front: max |du_dx| within front_near_ticks of spot on either ladder.
      let best = 0;
      const near = Math.min(p.front_near_ticks, GRID);
      for (const side of ['B', 'A']) {
        const uAt = (rel: number) => (rel < -GRID || rel > GRID ? 0 : u.get((spot + rel * tickInt) * 2 + (side === 'B' ? 0 : 1)) ?? 0);
        for (let rel = -near; rel <= near; rel++) {
          const d = rel === -GRID ? uAt(rel + 1) - uAt(rel) : rel === GRID ? uAt(rel) - uAt(rel - 1) : (uAt(rel + 1) - uAt(rel - 1)) / 2;
          best = Math.max(best, Math.abs(d));
        }
      }
      const f = fronts.get(we)!;
      expect(close(f.front_strength as number, best), `front strength at ${we}`).toBe(true);
      expect(f.front).toBe(best >= p.front_threshold);
      structWindows++;
    } else expect(fronts.has(we)).toBe(false);
    uPrev2 = uPrev;
    uPrev = u;
  }
  expect(r).toBe(silver.rowCount);
  expect(structWindows).toBe(validWindows);
  let compared = 0;
  for (const c of goldCols) {
    const got = G[c] as Float64Array;
    const exp = want[c];
    let mismatches = 0;
    let first = -1;
    for (let i = 0; i < exp.length; i++) {
      if (!close(got[i], exp[i])) {
        if (first < 0) first = i;
        mismatches++;
      }
    }
    expect(mismatches, `${c}: ${mismatches} mismatches, first at row ${first}: got ${got[first]} want ${exp[first]}`).toBe(0);
    compared += exp.length;
  }
  return { windows: snaps.length, validWindows, silverRows, goldValuesCompared: compared };
}
