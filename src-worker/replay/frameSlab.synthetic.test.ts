// Frame and slab builders against the synthetic store: every cell is a known function, so
// layout (side, rel_ticks, price), nulls, invalid windows and bid+ask summation are exact.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { encodeFrame } from './frameEncoder';
import { GRID_ROWS } from './gridLayout';
import { loadReplaySession, type ReplaySession } from './sessionInfo';
import { buildSlab, SlabRequestError } from './slabBuilder';
import { loadWindowChunk } from './windowChunk';
import { openSyntheticStore, SYN, synDepth, synSpot, synValue } from './testing/syntheticStore';

let store: { conn: DuckDBConnection; close(): void };
let session: ReplaySession;

beforeAll(async () => {
  store = await openSyntheticStore();
  session = await loadReplaySession(store.conn, SYN.datasetId, { isDemo: false });
});
afterAll(() => store.close());

describe('session info', () => {
  it('reads time range, tick and price range from the catalog and snapshots', () => {
    expect(session.windowCount).toBe(SYN.windows);
    expect(session.info.firstWindowEndNs).toBe(SYN.firstEnd.toString());
    expect(session.info.tickInt).toBe(250_000_000);
    expect(session.info.timeZone).toBe('America/New_York');
    expect(BigInt(session.info.priceMinInt)).toBe(SYN.baseSpot - 200n * SYN.tickInt);
    expect(BigInt(session.info.priceMaxInt)).toBe(SYN.baseSpot + 9n * SYN.tickInt + 200n * SYN.tickInt);
  });
});

describe('live frame', () => {
  it('lays out 802 rows, bids then asks, with every field and depth of the window', async () => {
    const chunk = await loadWindowChunk(store.conn, session, 10, 8);
    const w = 13;
    const frame = encodeFrame(chunk, w - 10, session.tickInt);
    const snap = tableFromIPC(frame.parts[0]);
    const grid = tableFromIPC(frame.parts[1]);
    expect(snap.numRows).toBe(1);
    expect(snap.get(0)!.toJSON()).toMatchObject({
      window_end_ts_ns: SYN.firstEnd + BigInt(w) * 1_000_000_000n,
      spot_ref_price_int: synSpot(w),
      best_bid_qty: 10 + w,
      book_valid: true,
    });
    expect(grid.numRows).toBe(GRID_ROWS);
    const side = grid.getChild('side')!.toArray() as Uint8Array;
    const rel = grid.getChild('rel_ticks')!.toArray() as Int16Array;
    const price = grid.getChild('price_int')!.toArray() as BigInt64Array;
    const depth = grid.getChild('depth_qty_end')!.toArray() as Uint32Array;
    for (const [row, s, r] of [[0, 'B', -200], [200, 'B', 0], [401, 'A', -200], [601, 'A', 0], [801, 'A', 200]] as const) {
      expect(String.fromCharCode(side[row])).toBe(s);
      expect(rel[row]).toBe(r);
      expect(price[row]).toBe(synSpot(w)! + BigInt(r) * SYN.tickInt);
    }
    HEATMAP_FIELDS.forEach((f, k) => {
      const v = grid.getChild(f)!.toArray() as Float32Array;
      expect(v[0]).toBe(synValue(w, 'B', -200, k));
      expect(v[200]).toBe(synValue(w, 'B', 0, k));
      expect(v[201]).toBe(0); // bids exist only at rel ≤ 0
      expect(v[601]).toBe(synValue(w, 'A', 0, k));
      expect(v[801]).toBe(synValue(w, 'A', 200, k));
    });
    expect(depth[0]).toBe(synDepth(w, -200));
    expect(depth[801]).toBe(synDepth(w, 200));
  });

  it('an invalid-book window has a null spot, an empty grid and prices of the last valid spot', async () => {
    const chunk = await loadWindowChunk(store.conn, session, 0, 10);
    const frame = encodeFrame(chunk, SYN.invalidWindow, session.tickInt);
    const snap = tableFromIPC(frame.parts[0]).get(0)!.toJSON();
    expect(snap.spot_ref_price_int).toBeNull();
    expect(snap.book_valid).toBe(false);
    const grid = tableFromIPC(frame.parts[1]);
    expect((grid.getChild('liquidity_velocity')!.toArray() as Float32Array).every((x) => x === 0)).toBe(true);
    expect((grid.getChild('price_int')!.toArray() as BigInt64Array)[200]).toBe(synSpot(SYN.invalidWindow - 1));
  });
});

describe('history slab', () => {
  it('returns a dense time × price grid of the requested fields, bid + ask summed', async () => {
    const from = SYN.firstEnd + 20n * 1_000_000_000n;
    const to = SYN.firstEnd + 49n * 1_000_000_000n;
    const slab = await buildSlab(store.conn, session, from, to, ['nu', 'liquidity_velocity']);
    expect(slab.nWindows).toBe(30);
    const windows = tableFromIPC(slab.parts[0]);
    const cells = tableFromIPC(slab.parts[1]);
    expect(windows.numRows).toBe(30);
    expect(cells.schema.fields.map((f) => f.name)).toEqual(['nu', 'liquidity_velocity']);
    const meta = cells.schema.metadata;
    const pMin = BigInt(meta.get('priceMinInt')!);
    const nPrices = Number(meta.get('nPrices'));
    expect(Number(meta.get('nWindows'))).toBe(30);
    expect(BigInt(meta.get('tickInt')!)).toBe(SYN.tickInt);
    expect(pMin).toBe(SYN.baseSpot - 200n * SYN.tickInt);
    expect(nPrices).toBe(401 + 9);
    expect(cells.numRows).toBe(30 * nPrices);
    const rho = cells.getChild('nu')!.toArray() as Float32Array;
    const kRho = HEATMAP_FIELDS.indexOf('nu');
    for (const w of [20, 33, 49]) {
      const i = w - 20;
      const spot = synSpot(w)!;
      const at = (rel: number) => rho[i * nPrices + Number((spot + BigInt(rel) * SYN.tickInt - pMin) / SYN.tickInt)];
      expect(at(-7)).toBe(synValue(w, 'B', -7, kRho));
      expect(at(12)).toBe(synValue(w, 'A', 12, kRho));
      expect(at(0)).toBe(synValue(w, 'B', 0, kRho) + synValue(w, 'A', 0, kRho));
    }
  });

  it('clamps the range into the session and refuses bad requests with a typed error', async () => {
    const slab = await buildSlab(store.conn, session, 0n, SYN.firstEnd + 2n * 1_000_000_000n, ['nu']);
    expect(slab.fromWindowEndNs).toBe(SYN.firstEnd);
    expect(slab.nWindows).toBe(3);
    await expect(buildSlab(store.conn, session, SYN.firstEnd, SYN.firstEnd, [])).rejects.toBeInstanceOf(SlabRequestError);
    await expect(buildSlab(store.conn, session, SYN.firstEnd, SYN.firstEnd, ['bogus' as never])).rejects.toThrow(/unknown field/);
    await expect(buildSlab(store.conn, session, SYN.firstEnd + 5n, SYN.firstEnd, ['nu'])).rejects.toThrow(/ends before/);
  });
});
