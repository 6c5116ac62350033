// Overlays from a real ingest of ESH4 2023-12-25 (18:00–19:00 New York): the walls/voids
// frame equals the gold table row for row, and the trades frame's per-window volumes and
// counts equal an independent count of bronze T records done here in JS (no GROUP BY).
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../pipeline/ingestApi';
import { queryRows, type Database } from '../store/database';
import { buildOverlays } from './overlayBuilder';
import { ingestFile } from '../pipeline/ingest';
import { loadReplaySession, type ReplaySession } from './sessionInfo';
import { REAL_ESH4_FILE, useRealEsh4Session } from './testing/realEsh4Session';
import { SlabRequestError } from './slabBuilder';

const SEC = 1_000_000_000n;
let db: Database;
let summary: IngestSummary;
let session: ReplaySession;
useRealEsh4Session('spymaster-overlays-', (r) => ({ db, summary, session } = r));

describe('overlays of the real ESH4 session', () => {
  it('trades: per (window, price, aggressor) volume and count equal a record-by-record count of bronze T rows', async () => {
    const from = session.firstWindowEndNs;
    const to = session.firstWindowEndNs + 3599n * SEC; // the whole hour
    const r = await buildOverlays(db.conn, session, from, to, ['trades']);
    expect(r.kinds).toEqual(['trades']);
    const t = tableFromIPC(r.parts[0]);
    // Independent: every T record of the hour, bucketed in JS.
    const raw = await queryRows(
      db,
      `SELECT ts_recv, price, CAST(side AS VARCHAR) AS side, size FROM bronze.future_mbo__mbo
        WHERE dataset_id = ${summary.datasetId} AND action = 'T' AND ts_recv >= ${from - SEC} AND ts_recv < ${to}`,
    );
    const want = new Map<string, { vol: number; n: number }>();
    for (const row of raw) {
      const w = (BigInt(row.ts_recv as bigint) / SEC + 1n) * SEC;
      const key = `${w}|${row.price}|${row.side}`;
      const e = want.get(key) ?? { vol: 0, n: 0 };
      e.vol += Number(row.size);
      e.n += 1;
      want.set(key, e);
    }
    expect(raw.length).toBeGreaterThan(1000); // the first hour of Globex trades several thousand times
    expect(t.numRows).toBe(want.size);
    const win = t.getChild('window_end_ts_ns')!.toArray() as BigInt64Array;
    const price = t.getChild('price_int')!.toArray() as BigInt64Array;
    const side = t.getChild('side')!.toArray() as Uint8Array;
    const vol = t.getChild('volume')!.toArray() as Uint32Array;
    const n = t.getChild('trade_count')!.toArray() as Uint32Array;
    let totalVol = 0;
    for (let i = 0; i < t.numRows; i++) {
      const e = want.get(`${win[i]}|${price[i]}|${String.fromCharCode(side[i])}`);
      expect(e, `row ${i}`).toBeDefined();
      expect(vol[i]).toBe(e!.vol);
      expect(n[i]).toBe(e!.n);
      totalVol += vol[i];
      expect(win[i] >= from && win[i] <= to).toBe(true);
      if (i > 0) expect(win[i] >= win[i - 1]).toBe(true);
    }
    expect(totalVol).toBe(raw.reduce((s, row) => s + Number(row.size), 0));
    // Prices sit on the ES grid around 4800; both aggressor sides occur.
    expect(Number(price[0]) / 1e9).toBeGreaterThan(4700);
    expect(Number(price[0]) / 1e9).toBeLessThan(4900);
    // Both aggressor sides occur; 'N' (no aggressor, e.g. spread-leg prints) may too.
    const sides = new Set(side);
    expect(sides.has(65) && sides.has(66)).toBe(true);
    for (const x of sides) expect([65, 66, 78]).toContain(x);
  });

  it('trades of a 5-minute range equal the whole-hour answer restricted to it', async () => {
    const from = session.firstWindowEndNs + 600n * SEC;
    const to = from + 299n * SEC;
    const part = tableFromIPC((await buildOverlays(db.conn, session, from, to, ['trades'])).parts[0]);
    const all = tableFromIPC((await buildOverlays(db.conn, session, session.firstWindowEndNs, session.firstWindowEndNs + 3599n * SEC, ['trades'])).parts[0]);
    const allWin = all.getChild('window_end_ts_ns')!.toArray() as BigInt64Array;
    const allVol = all.getChild('volume')!.toArray() as Uint32Array;
    let want = 0;
    for (let i = 0; i < all.numRows; i++) if (allWin[i] >= from && allWin[i] <= to) want += allVol[i];
    const got = (part.getChild('volume')!.toArray() as Uint32Array).reduce((a, b) => a + b, 0);
    expect(got).toBe(want);
    expect(got).toBeGreaterThan(0);
  });

  it('walls_voids: rows equal gold.future_mbo__walls_voids_1s for the range', async () => {
    const from = session.firstWindowEndNs + 900n * SEC;
    const to = from + 299n * SEC;
    const r = await buildOverlays(db.conn, session, from, to, ['walls_voids', 'trades']);
    expect(r.kinds).toEqual(['walls_voids', 'trades']);
    const t = tableFromIPC(r.parts[0]);
    const rows = await queryRows(
      db,
      `SELECT window_end_ts_ns, CAST(kind AS VARCHAR) AS kind, CAST(direction AS VARCHAR) AS direction, rank, price_int, rel_ticks, strength
         FROM gold.future_mbo__walls_voids_1s
        WHERE dataset_id = ${summary.datasetId} AND window_end_ts_ns BETWEEN ${from} AND ${to}
        ORDER BY window_end_ts_ns, kind, direction, rank`,
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(t.numRows).toBe(rows.length);
    const cols = ['window_end_ts_ns', 'kind', 'direction', 'rank', 'price_int', 'rel_ticks', 'strength'].map((c) => t.getChild(c)!.toArray());
    rows.forEach((row, i) => {
      expect(cols[0][i]).toBe(BigInt(row.window_end_ts_ns as bigint));
      expect(String.fromCharCode(cols[1][i] as number)).toBe(row.kind);
      expect(String.fromCharCode(cols[2][i] as number)).toBe(row.direction);
      expect(cols[3][i]).toBe(Number(row.rank));
      expect(cols[4][i]).toBe(BigInt(row.price_int as bigint));
      expect(cols[5][i]).toBe(Number(row.rel_ticks));
      expect(cols[6][i]).toBe(Number(row.strength));
    });
    // Both kinds and both directions are present in five minutes of real data.
    expect(new Set(rows.map((x) => `${x.kind}${x.direction}`))).toEqual(new Set(['WU', 'WD', 'VU', 'VD']));
  });

  it('rejects an unknown overlay kind with a typed error', async () => {
    await expect(buildOverlays(db.conn, session, session.firstWindowEndNs, session.firstWindowEndNs, ['heat' as never])).rejects.toBeInstanceOf(SlabRequestError);
  });
});

describe('a dataset ingested without bronze', () => {
  it('answers walls/voids and says trades are unavailable instead of failing', async () => {
    const s2 = await ingestFile({ file: REAL_ESH4_FILE, dbPath: db.path, db, start: '18:00', end: '18:05', tz: 'America/New_York', bronze: false });
    const sess = await loadReplaySession(db.conn, s2.datasetId, { timeZone: s2.timeZone, isDemo: false });
    const r = await buildOverlays(db.conn, sess, sess.firstWindowEndNs, sess.firstWindowEndNs + 60n * SEC, ['walls_voids', 'trades']);
    expect(r.kinds).toEqual(['walls_voids']);
    expect(r.parts.length).toBe(1);
    expect(r.tradesUnavailable).toBe('bronze_skipped');
  }, 120_000);
});
