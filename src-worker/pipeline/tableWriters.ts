// Bronze rows from decoder batches and Silver/Gold rows from closed windows, written with
// ChunkTableWriter. Column order follows the contracts; indices are looked up once.
import type { DuckDBConnection } from '@duckdb/node-api';
import { bronzeFutureMbo } from '../../contracts/tables/bronze';
import { silverFutureBookSnapshot1s, silverFutureDepthAndFlow1s } from '../../contracts/tables/silver';
import { goldFutureFront1s, goldFuturePhysicsSurface1s, goldFutureWallsVoids1s } from '../../contracts/tables/gold';
import type { MboBatch } from '../dbn/mboBatch';
import { ChunkTableWriter } from '../store/chunkWriter';
import type { WindowGrid } from './windowGrid';

const B = 0x42;
const A = 0x41;

/** The writers below address columns by position: fail loudly if a contract changes order. */
function expectColumns(w: ChunkTableWriter, names: string[]): ChunkTableWriter {
  const got = w.decl.columns.map((c) => c.name);
  if (got.length !== names.length || got.some((n, i) => n !== names[i])) throw new Error(`${w.decl.name}: column order changed (${got.join(',')})`);
  return w;
}

export class BronzeWriter {
  private constructor(
    readonly w: ChunkTableWriter,
    private readonly datasetId: number,
  ) {}

  static async create(conn: DuckDBConnection, datasetId: number): Promise<BronzeWriter> {
    const w = await ChunkTableWriter.create(conn, bronzeFutureMbo);
    expectColumns(w, ['dataset_id', 'seq_in_file', 'ts_recv', 'ts_event', 'rtype', 'publisher_id', 'instrument_id', 'action', 'side', 'price', 'size', 'channel_id', 'order_id', 'flags', 'ts_in_delta', 'sequence']);
    return new BronzeWriter(w, datasetId);
  }

  /** Append rows [from, to) of the batch that belong to the instrument. */
  append(b: MboBatch, from: number, to: number, instrumentId: number): void {
    const w = this.w;
    // Column order of bronzeFutureMbo.
    const [cDs, cSeq, cRecv, cEvt, cRt, cPub, cIid, cAct, cSide, cPx, cSize, cCh, cOid, cFl, cDelta, cSeqNo] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const pxNull = w.isNull[cPx];
    for (let i = from; i < to; i++) {
      if (b.instrumentId[i] !== instrumentId) continue;
      const r = w.nextRow();
      w.u32[cDs][r] = this.datasetId;
      w.setI64(cSeq, r, b.recordIndex[i]);
      const recv = w.w64[cRecv];
      recv[2 * r] = b.tsRecvLo[i];
      recv[2 * r + 1] = b.tsRecvHi[i];
      const evt = w.w64[cEvt];
      evt[2 * r] = b.tsEventLo[i];
      evt[2 * r + 1] = b.tsEventHi[i];
      w.u8[cRt][r] = 0xa0;
      w.u16[cPub][r] = b.publisherId[i];
      w.u32[cIid][r] = instrumentId;
      w.u8[cAct][r] = b.action[i];
      w.u8[cSide][r] = b.side[i];
      const p = b.price[i];
      if (p === p) w.setI64(cPx, r, p);
      else pxNull[r] = 1;
      w.u32[cSize][r] = b.size[i];
      w.u8[cCh][r] = b.channelId[i];
      const oid = w.w64[cOid];
      oid[2 * r] = b.orderIdLo[i];
      oid[2 * r + 1] = b.orderIdHi[i];
      w.u8[cFl][r] = b.flags[i];
      w.i32[cDelta][r] = b.tsInDelta[i];
      w.u32[cSeqNo][r] = b.sequence[i];
    }
  }
}

/** Writes book_snapshot_1s, depth_and_flow_1s, physics_surface_1s, walls_voids_1s and front_1s. */
export class WindowWriter {
  private constructor(
    readonly snap: ChunkTableWriter,
    readonly depth: ChunkTableWriter,
    readonly gold: ChunkTableWriter,
    readonly walls: ChunkTableWriter,
    readonly front: ChunkTableWriter,
    private readonly datasetId: number,
    private readonly tickInt: number,
  ) {}

  static async create(conn: DuckDBConnection, datasetId: number, tickInt: number): Promise<WindowWriter> {
    const key = ['dataset_id', 'window_end_ts_ns', 'side', 'price_int', 'spot_ref_price_int', 'rel_ticks', 'rel_ticks_side'];
    return new WindowWriter(
      expectColumns(await ChunkTableWriter.create(conn, silverFutureBookSnapshot1s), [
        'dataset_id', 'window_start_ts_ns', 'window_end_ts_ns', 'best_bid_price_int', 'best_bid_qty', 'best_ask_price_int', 'best_ask_qty',
        'mid_price', 'last_trade_price_int', 'spot_ref_price_int', 'book_valid',
      ]),
      expectColumns(await ChunkTableWriter.create(conn, silverFutureDepthAndFlow1s), [
        ...key, 'depth_qty_start', 'depth_qty_end', 'add_qty', 'pull_qty_total', 'pull_qty_rest', 'fill_qty', 'depth_qty_rest',
      ]),
      expectColumns(await ChunkTableWriter.create(conn, goldFuturePhysicsSurface1s), [
        ...key, 'add_intensity', 'pull_intensity', 'fill_intensity', 'liquidity_velocity', 'rho', 'phi_rest', 'kappa', 'nu',
        'u_ema_2', 'u_ema_8', 'u_ema_32', 'u_ema_128', 'u_band_fast', 'u_band_mid', 'u_band_slow', 'u_wave_energy',
        'du_dt', 'd2u_dt2', 'du_dx', 'd2u_dx2', 'dnu_dx', 'd2nu_dx2', 'pressure_grad', 'wall_strength', 'void_strength',
      ]),
      expectColumns(await ChunkTableWriter.create(conn, goldFutureWallsVoids1s), ['dataset_id', 'window_end_ts_ns', 'kind', 'direction', 'rank', 'side', 'price_int', 'rel_ticks', 'strength']),
      expectColumns(await ChunkTableWriter.create(conn, goldFutureFront1s), ['dataset_id', 'window_end_ts_ns', 'spot_ref_price_int', 'front', 'front_strength', 'front_side', 'front_rel_ticks']),
      datasetId,
      tickInt,
    );
  }

  get writers(): ChunkTableWriter[] {
    return [this.snap, this.depth, this.gold, this.walls, this.front];
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
    s.u32[0][r] = ds;
    s.setI64(1, r, startNs);
    s.setI64(2, r, endNs);
    if (g.bestBidTick === g.bestBidTick) s.setI64(3, r, g.bestBidTick * tick);
    else s.isNull[3][r] = 1;
    s.u32[4][r] = g.bestBidQty;
    if (g.bestAskTick === g.bestAskTick) s.setI64(5, r, g.bestAskTick * tick);
    else s.isNull[5][r] = 1;
    s.u32[6][r] = g.bestAskQty;
    if (g.bestBidTick === g.bestBidTick && g.bestAskTick === g.bestAskTick) s.f64[7][r] = ((g.bestBidTick + g.bestAskTick) * tick) / 2 / 1e9;
    else s.isNull[7][r] = 1;
    if (g.lastTradePriceInt === g.lastTradePriceInt) s.setI64(8, r, g.lastTradePriceInt);
    else s.isNull[8][r] = 1;
    if (g.valid) s.setI64(9, r, g.spotTick * tick);
    else s.isNull[9][r] = 1;
    s.u8[10][r] = g.valid ? 1 : 0;
    if (!g.valid) return;

    const W = g.width;
    const half = g.half;
    const spotInt = g.spotTick * tick;
    const d = this.depth;
    const o = this.gold;
    for (let c = 0; c < g.cells; c++) {
      if (g.hasRow[c] === 0) continue;
      const side = c < W ? 0 : 1;
      const rel = (side === 0 ? c : c - W) - half;
      const priceTick = g.spotTick + rel;
      const relSide = side === 0 ? priceTick - g.bestBidTick : priceTick - g.bestAskTick;
      // silver depth_and_flow_1s
      const dr = d.nextRow();
      d.u32[0][dr] = ds;
      d.setI64(1, dr, endNs);
      d.u8[2][dr] = side === 0 ? B : A;
      d.setI64(3, dr, priceTick * tick);
      d.setI64(4, dr, spotInt);
      d.i32[5][dr] = rel;
      d.i32[6][dr] = relSide;
      d.u32[7][dr] = g.depthStart[c];
      d.u32[8][dr] = g.depthEnd[c];
      d.u32[9][dr] = g.addQty[c];
      d.u32[10][dr] = g.pullQty[c];
      d.u32[11][dr] = g.pullRest[c];
      d.u32[12][dr] = g.fillQty[c];
      d.u32[13][dr] = g.depthRest[c];
      // gold physics_surface_1s
      const gr = o.nextRow();
      o.u32[0][gr] = ds;
      o.setI64(1, gr, endNs);
      o.u8[2][gr] = side === 0 ? B : A;
      o.setI64(3, gr, priceTick * tick);
      o.setI64(4, gr, spotInt);
      o.i32[5][gr] = rel;
      o.i32[6][gr] = relSide;
      const f = o.f64;
      f[7][gr] = g.addIntensity[c];
      f[8][gr] = g.pullIntensity[c];
      f[9][gr] = g.fillIntensity[c];
      f[10][gr] = g.u[c];
      f[11][gr] = g.rho[c];
      f[12][gr] = g.phiRest[c];
      f[13][gr] = g.kappa[c];
      f[14][gr] = g.nu[c];
      f[15][gr] = g.ema2[c];
      f[16][gr] = g.ema8[c];
      f[17][gr] = g.ema32[c];
      f[18][gr] = g.ema128[c];
      f[19][gr] = g.bandFast[c];
      f[20][gr] = g.bandMid[c];
      f[21][gr] = g.bandSlow[c];
      f[22][gr] = g.waveEnergy[c];
      f[23][gr] = g.duDt[c];
      f[24][gr] = g.d2uDt2[c];
      f[25][gr] = g.duDx[c];
      f[26][gr] = g.d2uDx2[c];
      f[27][gr] = g.dnuDx[c];
      f[28][gr] = g.d2nuDx2[c];
      f[29][gr] = g.pressureGrad[c];
      f[30][gr] = g.wallStrength[c];
      f[31][gr] = g.voidStrength[c];
    }

    // ---- walls / voids ----
    this.structure(g, 0x57 /* W */, 0x55 /* U */, g.wallsAbove, g.wallStrength, endNs);
    this.structure(g, 0x57, 0x44 /* D */, g.wallsBelow, g.wallStrength, endNs);
    this.structure(g, 0x56 /* V */, 0x55, g.voidsAbove, g.voidStrength, endNs);
    this.structure(g, 0x56, 0x44, g.voidsBelow, g.voidStrength, endNs);

    // ---- front ----
    const fr = this.front;
    const k = fr.nextRow();
    fr.u32[0][k] = ds;
    fr.setI64(1, k, endNs);
    fr.setI64(2, k, spotInt);
    fr.u8[3][k] = g.front ? 1 : 0;
    fr.f64[4][k] = g.frontStrength;
    fr.u8[5][k] = g.frontCell < W ? B : A;
    fr.i32[6][k] = g.relOf(g.frontCell);
  }

  private structure(g: WindowGrid, kind: number, dir: number, cells: Int32Array, strength: Float64Array, endNs: number): void {
    const w = this.walls;
    for (let rank = 0; rank < cells.length; rank++) {
      const c = cells[rank];
      if (c < 0) break;
      const r = w.nextRow();
      w.u32[0][r] = this.datasetId;
      w.setI64(1, r, endNs);
      w.u8[2][r] = kind;
      w.u8[3][r] = dir;
      w.u8[4][r] = rank + 1;
      w.u8[5][r] = c < g.width ? B : A;
      w.setI64(6, r, g.tickOf(c) * this.tickInt);
      w.i32[7][r] = g.relOf(c);
      w.f64[8][r] = strength[c];
    }
  }

  close(): void {
    for (const w of this.writers) w.close();
  }
}
