// Replay lays a session out on the half-width its build used (catalog config_json
// gridHalfWidthTicks), not a fixed 200: the synthetic store re-labelled as a ±50-tick build
// gives 202-row grids holding the cells within ±50 ticks, and a price range of ±50 ticks.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CATALOG_DATASETS } from '../../contracts/generated/tables';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { loadReplaySession } from './sessionInfo';
import { openSyntheticStore, SYN, synSpot, synValue } from './testing/syntheticStore';
import { DuckDbWindowSource } from './windowSource';

let store: { conn: DuckDBConnection; close(): void };
beforeAll(async () => {
  store = await openSyntheticStore();
  await store.conn.run(`UPDATE ${CATALOG_DATASETS.name} SET config_json = '{"tz":"America/New_York","gridHalfWidthTicks":50}'`);
});
afterAll(() => store.close());

describe('grid half-width of the build', () => {
  it('sizes the session, its price range and every frame', async () => {
    const s = await loadReplaySession(store.conn, SYN.datasetId, { isDemo: false });
    expect(s.layout.half).toBe(50);
    expect(s.layout.rows).toBe(202);
    expect(s.info.gridHalfWidthTicks).toBe(50);
    const spots = Array.from({ length: SYN.windows }, (_, w) => synSpot(w)).filter((x): x is bigint => x !== null);
    const min = spots.reduce((a, b) => (b < a ? b : a));
    expect(BigInt(s.info.priceMinInt)).toBe(min - 50n * SYN.tickInt);
    const f = await new DuckDbWindowSource(store.conn, s).frame(7);
    const grid = tableFromIPC(f.parts[1]);
    expect(grid.numRows).toBe(202);
    const rel = grid.getChild('rel_ticks')!.toArray() as Int16Array;
    const k = HEATMAP_FIELDS.indexOf('u_ema_8');
    const u8 = grid.getChild('u_ema_8')!.toArray() as Float32Array;
    expect([rel[0], rel[100], rel[101], rel[201]]).toEqual([-50, 50, -50, 50]);
    // bids hold rel ≤ 0, asks rel ≥ 0 in the synthetic store
    expect(u8[0]).toBe(Math.fround(synValue(7, 'B', -50, k)));
    expect(u8[201]).toBe(Math.fround(synValue(7, 'A', 50, k)));
    expect(u8[100]).toBe(0);
  });
});
