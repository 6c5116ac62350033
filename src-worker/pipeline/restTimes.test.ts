// Rest times (SPEC §3): depth_qty_rest counts quantity in orders older than 500 ms at window
// END; pull_qty_rest counts pulls from orders older than 500 ms at the moment of the pull; a
// price change or size increase restarts the age; a size decrease keeps it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { batchOf } from '../book/batchBuilder';
import { FuturesEngine } from './futuresEngine';

const T = 250_000_000;
const px = (tick: number) => BigInt(tick) * BigInt(T);
const SEC = 1_700_000_000;
const at = (sec: number, ms = 0) => BigInt(SEC + sec) * 1_000_000_000n + BigInt(ms) * 1_000_000n;

describe('rest times', () => {
  it('depth_qty_rest at window end and pull_qty_rest at the moment of the pull', () => {
    const rows: Record<string, number>[] = [];
    const e = new FuturesEngine(
      { instrumentId: 1, tickInt: T, sessionStartSec: SEC + 1, sessionEndSec: SEC + 3, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
      (g) => {
        const c = g.width * 0 + (100 - g.spotTick) + g.half; // bid level 100
        rows.push({ sec: g.windowSec - SEC, depthEnd: g.depthEnd[c], rest: g.depthRest[c], add: g.addQty[c], pull: g.pullQty[c], pullRest: g.pullRest[c] });
      },
    );
    e.pushBatch(
      batchOf([
        { action: 'A', side: 'A', price: px(105), size: 1, orderId: 9, tsRecv: at(0) },
        { action: 'A', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: at(0) }, // A: old by window 1
        { action: 'A', side: 'B', price: px(100), size: 3, orderId: 2, tsRecv: at(1, 200) }, // B
        { action: 'C', side: 'B', price: px(100), size: 2, orderId: 1, tsRecv: at(1, 400) }, // A is 1.4 s old → rest pull
        { action: 'C', side: 'B', price: px(100), size: 1, orderId: 2, tsRecv: at(1, 700) }, // B is exactly 0.5 s old → not rest
        { action: 'A', side: 'B', price: px(100), size: 4, orderId: 3, tsRecv: at(1, 750) }, // C: 0.25 s old at 2.0
        { action: 'M', side: 'B', price: px(100), size: 7, orderId: 1, tsRecv: at(2, 100) }, // A grows → age restarts
        { action: 'M', side: 'B', price: px(100), size: 1, orderId: 3, tsRecv: at(2, 300) }, // C shrinks at 0.55 s → rest pull, keeps age
        { action: 'N', tsRecv: at(3, 0) },
      ]),
    );
    e.finish();
    expect(rows).toEqual([
      // window 1: A 3 (old) + B 2 (0.8 s, old) + C 4 (0.25 s, young)
      { sec: 1, depthEnd: 9, rest: 5, add: 7, pull: 3, pullRest: 2 },
      // window 2: A 7 (re-entered at 2.1 → 0.9 s at 3.0, old), B 2 (old), C 1 (1.25 s, old)
      { sec: 2, depthEnd: 10, rest: 10, add: 4, pull: 3, pullRest: 3 },
    ]);
  });
});
