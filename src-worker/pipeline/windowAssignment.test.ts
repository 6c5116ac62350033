// Window assignment by ts_recv (SPEC §2): an event belongs to the 1-s window holding its
// ts_recv, except that records continuing an exchange event (previous record without F_LAST)
// stay in that event's window; empty session windows still get a row; spot_ref follows the rule.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { batchOf, type MboRecordInput } from '../book/batchBuilder';
import { FuturesEngine, spotRefTick } from './futuresEngine';
import type { WindowGrid } from '../fields/windowGrid';

const T = 250_000_000;
const px = (tick: number) => BigInt(tick) * BigInt(T);
const SEC = 1_700_000_000;
const at = (sec: number, ms = 0) => BigInt(SEC + sec) * 1_000_000_000n + BigInt(ms) * 1_000_000n;

interface Snap {
  sec: number;
  valid: boolean;
  spot: number;
  add: Record<string, number>;
  fill: Record<string, number>;
  pull: Record<string, number>;
}

function runWindows(records: MboRecordInput[], startSec = SEC + 1, endSec = SEC + 6): Snap[] {
  const out: Snap[] = [];
  const e = new FuturesEngine({ instrumentId: 1, tickInt: T, sessionStartSec: startSec, sessionEndSec: endSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS }, (g: WindowGrid) => {
    const pick = (a: Float64Array) => {
      const r: Record<string, number> = {};
      for (let c = 0; c < g.cells; c++) if (a[c]) r[`${g.sideOf(c) ? 'A' : 'B'}${g.tickOf(c)}`] = a[c];
      return r;
    };
    out.push({ sec: g.windowSec - SEC, valid: g.valid, spot: g.spotTick, add: pick(g.addQty), fill: pick(g.fillQty), pull: pick(g.pullQty) });
  });
  e.pushBatch(batchOf(records));
  e.finish();
  return out;
}

const book = (): MboRecordInput[] => [
  { action: 'A', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: at(0), flags: 0x20 },
  { action: 'A', side: 'A', price: px(101), size: 5, orderId: 2, tsRecv: at(0), flags: 0x20 | 0x80 },
];

describe('window assignment', () => {
  it('a trade event whose records straddle a second boundary stays in its first window', () => {
    const w = runWindows([
      ...book(),
      // Event: T, F (no F_LAST) at 1.999 s, the C that removes the filled size arrives at 2.001 s.
      { action: 'T', side: 'B', price: px(101), size: 2, tsRecv: at(1, 999), flags: 0 },
      { action: 'F', side: 'A', price: px(101), size: 2, orderId: 2, tsRecv: at(1, 999), flags: 0 },
      { action: 'C', side: 'A', price: px(101), size: 2, orderId: 2, tsRecv: at(2, 1), flags: 0x80 },
      { action: 'A', side: 'B', price: px(99), size: 1, orderId: 3, tsRecv: at(2, 500) },
    ]);
    expect(w.map((x) => x.sec)).toEqual([1, 2]);
    expect(w[0].fill).toEqual({ A101: 2 });
    expect(w[0].pull).toEqual({});
    expect(w[1].add).toEqual({ B99: 1 });
    expect(w[1].spot).toBe(101); // last trade 101 within [100, 101]
  });

  it('emits empty session windows between events; an invalid (one-sided) book has no spot', () => {
    const w = runWindows([
      { action: 'A', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: at(0) },
      { action: 'A', side: 'A', price: px(103), size: 5, orderId: 2, tsRecv: at(4, 10) },
    ]);
    expect(w.map((x) => [x.sec, x.valid])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
    ]);
  });

  it('spot_ref: last trade inside the spread, else the nearest touch; no trade → best bid', () => {
    expect(spotRefTick(100, 104, 102 * T, T)).toBe(102);
    expect(spotRefTick(100, 104, 98 * T, T)).toBe(100);
    expect(spotRefTick(100, 104, 107 * T, T)).toBe(104);
    expect(spotRefTick(100, 104, NaN, T)).toBe(100);
  });
});
