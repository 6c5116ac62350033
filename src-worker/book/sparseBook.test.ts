// The sparse book gives the dense book's depth: every record of the real ESH4 file (the
// front-month instrument, snapshot included) applied to both, compared at 400 points (best
// prices, level and order counts, the top 20 levels of each side); and a thin option-like
// book whose prices lie far apart, which the dense book's tick range would have to span.
import { describe, expect, it } from 'vitest';
import { createMboBatch, ACTION_ADD, ACTION_CANCEL, ACTION_MODIFY, SIDE_ASK, SIDE_BID } from '../dbn/mboBatch';
import { readDbnFile } from '../dbn/reader';
import { ASK, BID, OrderBook } from './orderBook';
import { SparseBook } from './sparseBook';
import type { MarketDepth } from './marketDepth';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const TICK = 250_000_000;

const view = (d: MarketDepth) => ({
  bid: d.bestBidTick,
  ask: d.bestAskTick,
  orders: d.orderCount,
  levels: [d.bidLevels, d.askLevels],
  top: [d.topLevels(BID, 20), d.topLevels(ASK, 20)],
});

describe('sparse book', () => {
  it('has the dense book depth on every record of the real ESH4 file (sampled)', async () => {
    const dense = new OrderBook(TICK);
    const sparse = new SparseBook(TICK);
    let iid = -1;
    let n = 0;
    let compared = 0;
    for await (const ev of readDbnFile(FILE)) {
      if (ev.kind !== 'mbo') continue;
      const b = ev.batch;
      if (iid < 0) {
        // The front month: the instrument with most records in the first batch.
        const count = new Map<number, number>();
        for (let i = 0; i < b.count; i++) count.set(b.instrumentId[i], (count.get(b.instrumentId[i]) ?? 0) + 1);
        iid = [...count].sort((x, y) => y[1] - x[1])[0][0];
      }
      for (let i = 0; i < b.count; i++) {
        if (b.instrumentId[i] !== iid) continue;
        dense.apply(b, i);
        sparse.apply(b, i);
        if (++n % 500 === 0) {
          expect(view(sparse)).toEqual(view(dense));
          compared++;
        }
      }
    }
    expect(view(sparse)).toEqual(view(dense));
    expect(compared).toBeGreaterThan(100);
    console.log(`${n} records of instrument ${iid}, compared ${compared} times; final ${dense.orderCount} orders, ${dense.bidLevels}/${dense.askLevels} levels`);
    expect(dense.orderCount).toBeGreaterThan(100);
  }, 240_000);

  it('keeps a thin book with prices a million ticks apart in a few map entries', () => {
    const b = createMboBatch(8);
    const rec = (i: number, action: number, side: number, id: number, tick: number, size: number) => {
      b.action[i] = action;
      b.side[i] = side;
      b.orderIdHi[i] = 0;
      b.orderIdLo[i] = id;
      b.price[i] = tick * 50_000_000;
      b.size[i] = size;
      b.flags[i] = 0x80;
    };
    rec(0, ACTION_ADD, SIDE_BID, 1, 10, 5);
    rec(1, ACTION_ADD, SIDE_BID, 2, 2_000_000, 3);
    rec(2, ACTION_ADD, SIDE_ASK, 3, 4_000_000, 7);
    rec(3, ACTION_ADD, SIDE_BID, 4, 2_000_000, 1);
    rec(4, ACTION_CANCEL, SIDE_BID, 2, 2_000_000, 3);
    rec(5, ACTION_MODIFY, SIDE_ASK, 3, 3_000_000, 2);
    const s = new SparseBook(50_000_000);
    for (let i = 0; i < 6; i++) s.apply(b, i);
    expect(view(s)).toEqual({
      bid: 2_000_000,
      ask: 3_000_000,
      orders: 3,
      levels: [2, 1],
      top: [
        [
          [2_000_000, 1, 1],
          [10, 5, 1],
        ],
        [[3_000_000, 2, 1]],
      ],
    });
    rec(6, ACTION_CANCEL, SIDE_BID, 4, 2_000_000, 1);
    s.apply(b, 6);
    expect(s.bestBidTick).toBe(10);
    expect(s.qtyAt(BID, 2_000_000)).toBe(0);
  });
});
