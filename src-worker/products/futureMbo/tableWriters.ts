// The future_mbo product's writers: Bronze rows from decoder batches and Silver/Gold rows from
// closed windows, filled into column chunks (store/chunkFiller.ts). Plain JS: runs on the DuckDB
// thread (each full chunk is appended at once) or in the ingest worker (full chunks are
// transferred to the DuckDB thread); which tables they fill is declared in ../futureMbo.ts.
// Only stored tables and columns are filled: silver depth_and_flow_1s and gold
// physics_surface_1s are views over the one stored per-cell table cells_1s, and their computed
// columns (intensities, phi_rest, kappa, bands, …) are DuckDB's, evaluated when read.
import { bronzeFutureMbo } from '../../../contracts/tables/bronze';
import { silverFutureBookSnapshot1s, silverFutureCells1s } from '../../../contracts/tables/silver';
import { goldFutureFront1s, goldFutureWallsVoids1s } from '../../../contracts/tables/gold';
import { goldFutureForecastFeatures1s } from '../../../contracts/tables/forecast';
import { N_KS, N_NU, N_SIGMAS, type FeatureRow } from '../../forecast/featureRow';
import type { TableDecl } from '../../../contracts/columns';
import type { MboBatch } from '../../dbn/mboBatch';
import { ChunkFiller, type ChunkSink } from '../../store/chunkFiller';
import {
  BRONZE_FUTURE_MBO_MBO,
  GOLD_FUTURE_MBO_FORECAST_FEATURES_1S,
  GOLD_FUTURE_MBO_FRONT_1S,
  GOLD_FUTURE_MBO_WALLS_VOIDS_1S,
  SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S,
  SILVER_FUTURE_MBO_CELLS_1S,
} from '../../../contracts/generated/tables';
import type { WindowGrid } from '../../fields/windowGrid';

const B = 0x42;
const A = 0x41;

/** The sink for a table's full chunks (a product's engine factory gets one from the ingest). */
export type SinkFor = (decl: TableDecl) => ChunkSink;

// Columns are addressed by name through each table's generated `stored` map (column → position
// in a chunk, generated from the same declarations the chunk layout is), never by bare number.
const BR = BRONZE_FUTURE_MBO_MBO.stored;
const SN = SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S.stored;
const CE = SILVER_FUTURE_MBO_CELLS_1S.stored;
const WV = GOLD_FUTURE_MBO_WALLS_VOIDS_1S.stored;
const FR = GOLD_FUTURE_MBO_FRONT_1S.stored;
const FF = GOLD_FUTURE_MBO_FORECAST_FEATURES_1S.stored;

export class BronzeWriter {
  readonly w: ChunkFiller;
  constructor(
    sinkFor: SinkFor,
    private readonly datasetId: number,
  ) {
    this.w = new ChunkFiller(bronzeFutureMbo, sinkFor(bronzeFutureMbo));
  }

  /** Append rows [from, to) of the batch that belong to the instrument. */
  append(b: MboBatch, from: number, to: number, instrumentId: number): void {
    // Single-instrument runs (the usual case) are copied column by column; mixed ones row by row.
    let i = from;
    const iids = b.instrumentId;
    while (i < to) {
      if (iids[i] !== instrumentId) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < to && iids[j] === instrumentId) j++;
      this.appendRun(b, i, j, instrumentId);
      i = j;
    }
  }

  /** Rows [from, to), all of the instrument. */
  private appendRun(b: MboBatch, from: number, to: number, instrumentId: number): void {
    const w = this.w;
    const ds = this.datasetId;
    const pxNull = w.isNull[BR.price];
    let i = from;
    while (i < to) {
      const room = w.room(); // flushes a full chunk first (row back to 0)
      const r0 = w.row;
      const n = Math.min(room, to - i);
      const i1 = i + n;
      w.u32[BR.dataset_id].fill(ds, r0, r0 + n);
      w.u16[BR.publisher_id].set(b.publisherId.subarray(i, i1), r0);
      w.u32[BR.instrument_id].fill(instrumentId, r0, r0 + n);
      w.u8[BR.action].set(b.action.subarray(i, i1), r0);
      w.u8[BR.side].set(b.side.subarray(i, i1), r0);
      w.u32[BR.size].set(b.size.subarray(i, i1), r0);
      w.u8[BR.channel_id].set(b.channelId.subarray(i, i1), r0);
      w.u8[BR.flags].set(b.flags.subarray(i, i1), r0);
      w.i32[BR.ts_in_delta].set(b.tsInDelta.subarray(i, i1), r0);
      w.u32[BR.sequence].set(b.sequence.subarray(i, i1), r0);
      // 64-bit columns: interleave lo/hi pairs.
      const seq = w.w64[BR.seq_in_file];
      const recv = w.w64[BR.ts_recv];
      const evt = w.w64[BR.ts_event];
      const px = w.w64[BR.price];
      const oid = w.w64[BR.order_id];
      const { recordIndex, tsRecvLo, tsRecvHi, tsEventLo, tsEventHi, price, orderIdLo, orderIdHi } = b;
      for (let k = 0; k < n; k++) {
        const s = i + k;
        const r2 = 2 * (r0 + k);
        const ri = recordIndex[s];
        const hi = Math.floor(ri / 4294967296);
        seq[r2] = ri - hi * 4294967296;
        seq[r2 + 1] = hi;
        recv[r2] = tsRecvLo[s];
        recv[r2 + 1] = tsRecvHi[s];
        evt[r2] = tsEventLo[s];
        evt[r2 + 1] = tsEventHi[s];
        const p = price[s];
        if (p === p) {
          const ph = Math.floor(p / 4294967296);
          px[r2] = p - ph * 4294967296;
          px[r2 + 1] = ph;
        } else pxNull[r0 + k] = 1;
        oid[r2] = orderIdLo[s];
        oid[r2 + 1] = orderIdHi[s];
      }
      w.row = r0 + n;
      i = i1;
    }
  }

  close(): void {
    this.w.flush();
  }
}

/**
 * Writes book_snapshot_1s, cells_1s (read as depth_and_flow_1s and physics_surface_1s: their
 * row count is cells.rows), walls_voids_1s and front_1s.
 */
export class WindowWriter {
  readonly snap: ChunkFiller;
  readonly cells: ChunkFiller;
  readonly walls: ChunkFiller;
  readonly front: ChunkFiller;

  constructor(
    sinkFor: SinkFor,
    private readonly datasetId: number,
    private readonly tickInt: number,
  ) {
    const filler = (d: TableDecl) => new ChunkFiller(d, sinkFor(d));
    this.snap = filler(silverFutureBookSnapshot1s);
    // One row per cell: key, silver quantities, and the gold values the views cannot compute
    // from the row.
    this.cells = filler(silverFutureCells1s);
    this.walls = filler(goldFutureWallsVoids1s);
    this.front = filler(goldFutureFront1s);
  }

  get writers(): ChunkFiller[] {
    return [this.snap, this.cells, this.walls, this.front];
  }

  onWindow(g: WindowGrid): void {
    const tick = this.tickInt;
    const ds = this.datasetId;
    const endSec = g.windowSec + 1;
    // window_end_ts_ns = (k+1)·1e9 and start = k·1e9 as exact lo/hi pairs.
    const endNs = endSec * 1e9;
    const startNs = g.windowSec * 1e9;

    // ---- book_snapshot_1s ----
    const s = this.snap;
    const r = s.nextRow();
    s.u32[SN.dataset_id][r] = ds;
    s.setI64(SN.window_start_ts_ns, r, startNs);
    s.setI64(SN.window_end_ts_ns, r, endNs);
    if (g.bestBidTick === g.bestBidTick) s.setI64(SN.best_bid_price_int, r, g.bestBidTick * tick);
    else s.isNull[SN.best_bid_price_int][r] = 1;
    s.u32[SN.best_bid_qty][r] = g.bestBidQty;
    if (g.bestAskTick === g.bestAskTick) s.setI64(SN.best_ask_price_int, r, g.bestAskTick * tick);
    else s.isNull[SN.best_ask_price_int][r] = 1;
    s.u32[SN.best_ask_qty][r] = g.bestAskQty;
    if (g.bestBidTick === g.bestBidTick && g.bestAskTick === g.bestAskTick) s.f64[SN.mid_price][r] = ((g.bestBidTick + g.bestAskTick) * tick) / 2 / 1e9;
    else s.isNull[SN.mid_price][r] = 1;
    if (g.lastTradePriceInt === g.lastTradePriceInt) s.setI64(SN.last_trade_price_int, r, g.lastTradePriceInt);
    else s.isNull[SN.last_trade_price_int][r] = 1;
    if (g.valid) s.setI64(SN.spot_ref_price_int, r, g.spotTick * tick);
    else s.isNull[SN.spot_ref_price_int][r] = 1;
    s.u8[SN.book_valid][r] = g.valid ? 1 : 0;
    if (!g.valid) return;

    const W = g.width;
    const half = g.half;
    const spotInt = g.spotTick * tick;
    const d = this.cells;
    const endHi = Math.floor(endNs / 4294967296);
    const endLo = endNs - endHi * 4294967296;
    const spotHi = Math.floor(spotInt / 4294967296);
    const spotLo = spotInt - spotHi * 4294967296;
    const { hasRow, depthStart, depthEnd, addQty, pullQty, pullRest, fillQty, depthRest } = g;
    const { u, rho, nu, ema2, ema8, ema32, ema128, duDt, d2uDt2, duDx, d2uDx2, dnuDx, d2nuDx2, wallStrength } = g;
    let c = 0;
    while (c < g.cells) {
      // Fill up to the chunk end with the column views fetched once per chunk.
      const room = d.room();
      let r = d.row;
      const rEnd = r + room;
      const [dDs, dEnd, dSide, dPx, dSpot, dRel, dRelS] = [d.u32[CE.dataset_id], d.w64[CE.window_end_ts_ns], d.u8[CE.side], d.w64[CE.price_int], d.w64[CE.spot_ref_price_int], d.i32[CE.rel_ticks], d.i32[CE.rel_ticks_side]];
      const [dq0, dq1, dAdd, dPull, dPullR, dFill, dRest] = [d.u32[CE.depth_qty_start], d.u32[CE.depth_qty_end], d.u32[CE.add_qty], d.u32[CE.pull_qty_total], d.u32[CE.pull_qty_rest], d.u32[CE.fill_qty], d.u32[CE.depth_qty_rest]];
      const f = d.f64;
      const [fU, fRho, fNu, fE2, fE8, fE32, fE128, fDt, fDt2, fDx, fDx2, fNx, fNx2, fWall] = [
        f[CE.liquidity_velocity], f[CE.rho], f[CE.nu], f[CE.u_ema_2], f[CE.u_ema_8], f[CE.u_ema_32], f[CE.u_ema_128],
        f[CE.du_dt], f[CE.d2u_dt2], f[CE.du_dx], f[CE.d2u_dx2], f[CE.dnu_dx], f[CE.d2nu_dx2], f[CE.wall_strength],
      ];
      for (; c < g.cells && r < rEnd; c++) {
        if (hasRow[c] === 0) continue;
        const side = c < W ? 0 : 1;
        const rel = (side === 0 ? c : c - W) - half;
        const priceTick = g.spotTick + rel;
        const relSide = side === 0 ? priceTick - g.bestBidTick : priceTick - g.bestAskTick;
        const px = priceTick * tick;
        const pxHi = Math.floor(px / 4294967296);
        const pxLo = px - pxHi * 4294967296;
        const r2 = 2 * r;
        // key
        dDs[r] = ds;
        dEnd[r2] = endLo;
        dEnd[r2 + 1] = endHi;
        dSide[r] = side === 0 ? B : A;
        dPx[r2] = pxLo;
        dPx[r2 + 1] = pxHi;
        dSpot[r2] = spotLo;
        dSpot[r2 + 1] = spotHi;
        dRel[r] = rel;
        dRelS[r] = relSide;
        // silver quantities
        dq0[r] = depthStart[c];
        dq1[r] = depthEnd[c];
        dAdd[r] = addQty[c];
        dPull[r] = pullQty[c];
        dPullR[r] = pullRest[c];
        dFill[r] = fillQty[c];
        dRest[r] = depthRest[c];
        // gold values not computable from the row (and u, read most)
        fU[r] = u[c];
        fRho[r] = rho[c];
        fNu[r] = nu[c];
        fE2[r] = ema2[c];
        fE8[r] = ema8[c];
        fE32[r] = ema32[c];
        fE128[r] = ema128[c];
        fDt[r] = duDt[c];
        fDt2[r] = d2uDt2[c];
        fDx[r] = duDx[c];
        fDx2[r] = d2uDx2[c];
        fNx[r] = dnuDx[c];
        fNx2[r] = d2nuDx2[c];
        fWall[r] = wallStrength[c];
        r++;
      }
      d.row = r;
    }

    // ---- walls / voids ----
    this.structure(g, 0x57 /* W */, 0x55 /* U */, g.wallsAbove, g.wallStrength, endNs);
    this.structure(g, 0x57, 0x44 /* D */, g.wallsBelow, g.wallStrength, endNs);
    this.structure(g, 0x56 /* V */, 0x55, g.voidsAbove, g.voidStrength, endNs);
    this.structure(g, 0x56, 0x44, g.voidsBelow, g.voidStrength, endNs);

    // ---- front ----
    const fr = this.front;
    const k = fr.nextRow();
    fr.u32[FR.dataset_id][k] = ds;
    fr.setI64(FR.window_end_ts_ns, k, endNs);
    fr.setI64(FR.spot_ref_price_int, k, spotInt);
    fr.u8[FR.front][k] = g.front ? 1 : 0;
    fr.f64[FR.front_strength][k] = g.frontStrength;
    fr.u8[FR.front_side][k] = g.frontCell < W ? B : A;
    fr.i32[FR.front_rel_ticks][k] = g.relOf(g.frontCell);
  }

  private structure(g: WindowGrid, kind: number, dir: number, cells: Int32Array, strength: Float64Array, endNs: number): void {
    const w = this.walls;
    for (let rank = 0; rank < cells.length; rank++) {
      const c = cells[rank];
      if (c < 0) break;
      const r = w.nextRow();
      w.u32[WV.dataset_id][r] = this.datasetId;
      w.setI64(WV.window_end_ts_ns, r, endNs);
      w.u8[WV.kind][r] = kind;
      w.u8[WV.direction][r] = dir;
      w.u8[WV.rank][r] = rank + 1;
      w.u8[WV.side][r] = c < g.width ? B : A;
      w.setI64(WV.price_int, r, g.tickOf(c) * this.tickInt);
      w.i32[WV.rel_ticks][r] = g.relOf(c);
      w.f64[WV.strength][r] = strength[c];
    }
  }

  close(): void {
    for (const w of this.writers) w.flush();
  }
}

/** The nullable tick columns, in the order write() gives their values. */
const INT_COLS = [FF.spot_tick, FF.best_bid_tick, FF.best_ask_tick, FF.wall_above_ticks, FF.wall_below_ticks, FF.void_above_ticks, FF.void_below_ticks];

function fillF64(f64: Float64Array[], isNull: Uint8Array[], r: number, c: number, a: Float64Array): number {
  for (let i = 0; i < a.length; i++, c++) {
    const v = a[i];
    if (v === v) f64[c][r] = v;
    else isNull[c][r] = 1;
  }
  return c;
}

/**
 * Writes gold forecast_features_1s: one row per session window (ForecastFeatureStep's rows).
 * Columns are filled in declaration order (the contract generates the σ / K / shape columns
 * from the same sets the FeatureRow arrays follow); NaN is NULL.
 */
export class ForecastFeatureWriter {
  readonly w: ChunkFiller;
  constructor(
    sinkFor: SinkFor,
    private readonly datasetId: number,
  ) {
    this.w = new ChunkFiller(goldFutureForecastFeatures1s, sinkFor(goldFutureForecastFeatures1s));
    // The σ / K / shape runs are filled in declaration order from the FeatureRow arrays: their
    // lengths must be the contract's (both follow the same sets; this catches one changed alone).
    if (FF.wave_energy_near - FF.f_s2 !== 2 * N_SIGMAS + N_NU + N_KS) throw new Error('forecast_features_1s: the σ / K column runs changed length');
  }

  write(row: FeatureRow): void {
    const w = this.w;
    const r = w.nextRow();
    const { u32, i32, u8, f64, isNull } = w;
    u32[FF.dataset_id][r] = this.datasetId;
    w.setI64(FF.window_end_ts_ns, r, (row.windowSec + 1) * 1e9);
    u8[FF.book_valid][r] = row.valid ? 1 : 0;
    u32[FF.best_bid_qty][r] = row.bestBidQty;
    u32[FF.best_ask_qty][r] = row.bestAskQty;
    if (row.lastTradePriceInt === row.lastTradePriceInt) w.setI64(FF.last_trade_price_int, r, row.lastTradePriceInt);
    else isNull[FF.last_trade_price_int][r] = 1;
    f64[FF.ofi_e][r] = row.ofiE;
    // Nullable ticks (NaN → NULL), in column order.
    const ticks = INT_COLS;
    const tv = [row.spotTick, row.bestBidTick, row.bestAskTick, row.wallAboveTicks, row.wallBelowTicks, row.voidAboveTicks, row.voidBelowTicks];
    for (let k = 0; k < ticks.length; k++) {
      const v = tv[k];
      if (v === v) i32[ticks[k]][r] = v;
      else isNull[ticks[k]][r] = 1;
    }
    let c: number = FF.f_s2;
    c = fillF64(f64, isNull, r, c, row.f);
    c = fillF64(f64, isNull, r, c, row.fSlope);
    c = fillF64(f64, isNull, r, c, row.nu);
    c = fillF64(f64, isNull, r, c, row.kappaAsym);
    const we = row.waveEnergyNear;
    if (we === we) f64[c][r] = we;
    else isNull[c][r] = 1;
  }

  close(): void {
    this.w.flush();
  }
}
