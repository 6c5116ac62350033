import { describe, expect, it } from 'vitest';
import { GRID_FRAME_ARROW, SLAB_CELLS_FRAME_ARROW, SLAB_WINDOWS_FRAME_ARROW, SNAP_FRAME_ARROW } from '../../contracts/generated/arrow';
import type { SessionInfo } from '../../contracts/protocol';
import { applyFrame, applySlab } from './applyData';
import { ColumnRing } from './columnRing';
import { decodeFrame, decodeSlab, frameValueAt } from './decode';
import { sessionGeom } from './sessionGeom';
import { ipc } from './testing/arrowFixtures';

// A session on a 0.25 grid, half-width 2 ticks to keep grids small: prices 4799.00 … 4801.00.
const T = 250_000_000n;
const FIRST = 1_704_205_801_000_000_000n;
const P = (usd: number) => BigInt(Math.round(usd * 4)) * T;
const info: SessionInfo = {
  datasetId: 1,
  sourcePath: 'x',
  symbol: 'ESH4',
  timeZone: 'America/New_York',
  firstWindowEndNs: FIRST.toString(),
  lastWindowEndNs: (FIRST + 9n * 1_000_000_000n).toString(),
  windowCount: 10,
  tickInt: Number(T),
  priceMinInt: P(4799).toString(),
  priceMaxInt: P(4801).toString(),
  gridHalfWidthTicks: 2,
  isDemo: false,
  growing: false,
};
const g = sessionGeom(info);

function snap(windowIndex: number, spot: bigint | null) {
  const end = FIRST + BigInt(windowIndex) * 1_000_000_000n;
  const i64 = (v: bigint | null) => BigInt64Array.of(v ?? 0n);
  return ipc(SNAP_FRAME_ARROW, 1, {
    window_end_ts_ns: BigInt64Array.of(end),
    spot_ref_price_int: i64(spot),
    best_bid_price_int: i64(spot),
    best_ask_price_int: i64(spot === null ? null : spot + T),
    last_trade_price_int: i64(spot),
    best_bid_qty: Uint32Array.of(1),
    best_ask_qty: Uint32Array.of(1),
    book_valid: [spot !== null],
  }, undefined, spot === null ? { spot_ref_price_int: [true], best_bid_price_int: [true], best_ask_price_int: [true], last_trade_price_int: [true] } : undefined);
}

/** Grid of one window: bids then asks, rel −2…+2; rho = 10·rel + (bid ? 1 : 2). */
function frame(windowIndex: number, spot: bigint) {
  const n = 10;
  const side = new Uint8Array(n);
  const rel = new Int16Array(n);
  const price = new BigInt64Array(n);
  const rho = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    side[i] = i < 5 ? 66 : 65;
    rel[i] = (i % 5) - 2;
    price[i] = spot + BigInt(rel[i]) * T;
    rho[i] = 10 * rel[i] + (i < 5 ? 1 : 2);
  }
  return decodeFrame([snap(windowIndex, spot), ipc(GRID_FRAME_ARROW, n, { side, rel_ticks: rel, price_int: price, rho })]);
}

describe('frames and slabs into the ring', () => {
  it('a live frame lands in its window column at absolute price rows, bid + ask summed', () => {
    const ring = new ColumnRing(8, g.nPrices);
    const spotRow = new Float32Array(g.windowCount).fill(NaN);
    const f = frame(3, P(4800));
    expect(f.snap.spotRefInt).toBe(P(4800));
    expect(applyFrame(g, ring, spotRow, f, 'rho')).toBe(3);
    expect(spotRow[3]).toBe(4); // 4800.00 is row 4 above 4799.00
    expect(ring.valueAt(3, 4)).toBe(1 + 2); // rel 0: bid 1 + ask 2
    expect(ring.valueAt(3, 6)).toBe(21 + 22); // rel +2
    expect(ring.valueAt(3, 2)).toBe(-19 + -18); // rel −2
    expect(ring.valueAt(3, 7)).toBeNull(); // outside the ±2 grid
    expect(frameValueAt(f, 'rho', P(4800.5))).toBe(43);
  });

  it('a slab fills many windows; cells beyond spot ± half-width stay empty; a null spot breaks the line but keeps the last band', () => {
    const nPrices = 9;
    const spots = [P(4800), null, P(4800.25)];
    const rho = new Float32Array(3 * nPrices).map((_, i) => i);
    const windows = ipc(SLAB_WINDOWS_FRAME_ARROW, 3, {
      window_end_ts_ns: BigInt64Array.from([5n, 6n, 7n], (w) => FIRST + w * 1_000_000_000n),
      spot_ref_price_int: BigInt64Array.from(spots, (s) => s ?? 0n),
      best_bid_price_int: new BigInt64Array(3),
      best_ask_price_int: new BigInt64Array(3),
      last_trade_price_int: new BigInt64Array(3),
      best_bid_qty: new Uint32Array(3),
      best_ask_qty: new Uint32Array(3),
      book_valid: [true, false, true],
    }, undefined, { spot_ref_price_int: [false, true, false] });
    const cellsSchema = SLAB_CELLS_FRAME_ARROW.select(['rho']);
    const cells = ipc(cellsSchema, 3 * nPrices, { rho }, { priceMinInt: P(4799).toString(), tickInt: T.toString(), nPrices: String(nPrices), nWindows: '3' });
    const slab = decodeSlab([windows, cells], ['rho']);
    expect(slab.nPrices).toBe(9);
    const ring = new ColumnRing(8, g.nPrices);
    const spotRow = new Float32Array(g.windowCount).fill(NaN);
    expect(applySlab(g, ring, spotRow, slab, 'rho')).toEqual([5, 6, 7]);
    expect(ring.valueAt(5, 4)).toBe(4); // window 0 of the slab, price index 4
    expect(ring.valueAt(5, 2)).toBe(2); // spot row 4 − 2 = edge of the band
    expect(ring.valueAt(5, 1)).toBeNull(); // beyond half-width
    expect(ring.has(6)).toBe(true);
    // No spot_ref: the line breaks, but cells sit in the band of the last valid spot (as the engine placed them).
    expect(Number.isNaN(spotRow[6])).toBe(true);
    expect(ring.valueAt(6, 4)).toBe(9 + 4);
    expect(ring.valueAt(6, 1)).toBeNull();
    expect(spotRow[7]).toBe(5);
    expect(ring.valueAt(7, 7)).toBe(2 * 9 + 7);
    // The engine answered windows 3…7 with rows for 5…7 only: 3 and 4 hold no data (claimed
    // empty, so the view does not wait for them for ever), and 2 was not asked.
    const ring2 = new ColumnRing(8, g.nPrices);
    applySlab(g, ring2, new Float32Array(g.windowCount).fill(NaN), slab, 'rho', { fromNs: String(FIRST + 3n * 1_000_000_000n), toNs: String(FIRST + 7n * 1_000_000_000n) });
    expect([2, 3, 4, 5].map((w) => ring2.has(w))).toEqual([false, true, true, true]);
    expect(ring2.valueAt(3, 4)).toBeNull();
  });

  it('an invalid window (null spot) before any valid spot claims its column but places nothing', () => {
    const ring = new ColumnRing(8, g.nPrices);
    const spotRow = new Float32Array(g.windowCount).fill(NaN);
    const f = decodeFrame([snap(1, null), ipc(GRID_FRAME_ARROW, 2, { side: Uint8Array.of(66, 65), rel_ticks: Int16Array.of(0, 0), price_int: new BigInt64Array(2) })]);
    expect(applyFrame(g, ring, spotRow, f, 'rho')).toBe(1);
    expect(ring.has(1)).toBe(true);
    for (let r = 0; r < g.nPrices; r++) expect(ring.valueAt(1, r)).toBeNull();
  });

  it('the straight-copy path (slab on the ring\'s tick) writes exactly the cells of the general rule, slabs reaching past the session included', () => {
    // Slabs starting 3 rows below the session to 2 above its top, random spots (some null).
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 20; trial++) {
      const n = 6;
      const lowRow = -3 + (trial % 4);
      const nPrices = g.nPrices - lowRow + 2;
      const spots = Array.from({ length: n }, () => (rnd() < 0.2 ? null : P(4799) + BigInt(Math.floor(rnd() * g.nPrices)) * T));
      const rho = new Float32Array(n * nPrices).map(() => Math.round(rnd() * 100) + 1);
      const windows = ipc(SLAB_WINDOWS_FRAME_ARROW, n, {
        window_end_ts_ns: BigInt64Array.from({ length: n }, (_, w) => FIRST + BigInt(w + 2) * 1_000_000_000n),
        spot_ref_price_int: BigInt64Array.from(spots, (x) => x ?? 0n),
        best_bid_price_int: new BigInt64Array(n),
        best_ask_price_int: new BigInt64Array(n),
        last_trade_price_int: new BigInt64Array(n),
        best_bid_qty: new Uint32Array(n),
        best_ask_qty: new Uint32Array(n),
        book_valid: spots.map((x) => x !== null),
      }, undefined, { spot_ref_price_int: spots.map((x) => x === null) });
      const priceMin = P(4799) + BigInt(lowRow) * T;
      const cells = ipc(SLAB_CELLS_FRAME_ARROW.select(['rho']), n * nPrices, { rho }, { priceMinInt: priceMin.toString(), tickInt: T.toString(), nPrices: String(nPrices), nWindows: String(n) });
      const slab = decodeSlab([windows, cells], ['rho']);
      const ring = new ColumnRing(16, g.nPrices);
      applySlab(g, ring, new Float32Array(g.windowCount).fill(NaN), slab, 'rho');
      // The general rule: the band of the window's (or the last valid) spot, cells the slab has.
      let band = NaN;
      for (let k = 0; k < n; k++) {
        if (spots[k] !== null) band = Number((spots[k]! - P(4799)) / T);
        for (let r = 0; r < g.nPrices; r++) {
          const pi = r - lowRow;
          const inBand = Number.isFinite(band) ? Math.abs(r - band) <= g.info.gridHalfWidthTicks : pi >= 0;
          const want = inBand && pi >= 0 && pi < nPrices ? rho[k * nPrices + pi] : null;
          expect(ring.valueAt(k + 2, r)).toBe(want);
        }
      }
    }
  });
});
