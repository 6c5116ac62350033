// The simulator's book is a MarketDepth like the engine's: replaying the records the simulator
// wrote into the engine's dense OrderBook gives, after every batch, the depth the simulator's
// own book reports through the same interface (best prices, order and level counts, the top
// levels of both sides and single-level queries).
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/orderBook';
import type { MarketDepth } from '../book/marketDepth';
import { ASK, BID } from './simBook';
import { FuturesSim } from './futuresSim';
import { makeFuturesSim } from './index';
import { planSimulation } from './plan';

function depth(d: MarketDepth) {
  const bb = d.bestBidTick;
  const ba = d.bestAskTick;
  const near = (side: number, from: number) => Array.from({ length: 7 }, (_, k) => [d.qtyAt(side, from + k - 3), d.countAt(side, from + k - 3)]);
  return {
    tickInt: d.tickInt,
    bb,
    ba,
    orders: d.orderCount,
    bidLevels: d.bidLevels,
    askLevels: d.askLevels,
    bids: d.topLevels(BID, 12),
    asks: d.topLevels(ASK, 12),
    nearBid: Number.isNaN(bb) ? [] : near(BID, bb),
    nearAsk: Number.isNaN(ba) ? [] : near(ASK, ba),
  };
}

describe("the simulator's book through MarketDepth", () => {
  it("equals the engine's dense book fed the simulator's own records, batch after batch", () => {
    const plan = planSimulation({ start: '09:29:30', end: '09:30:15', seed: 5, intensity: 0.25 });
    // small batches: the books are compared at batch ends across the 09:30 open
    const sim = new FuturesSim({ ...makeFuturesSim(plan).cfg, batchCapacity: 4096 });
    const engine = new OrderBook(plan.product.tickE9);
    let batches = 0;
    let records = 0;
    for (const b of sim.batches()) {
      for (let i = 0; i < b.count; i++) if (b.instrumentId[i] === plan.instrumentId) engine.apply(b, i);
      records += b.count;
      // every 20th batch (the level counts scan the whole window: not free)
      if (++batches % 20 === 0) expect(depth(engine), `after batch ${batches}`).toEqual(depth(sim.book));
    }
    expect(depth(engine)).toEqual(depth(sim.book));
    expect(batches).toBeGreaterThan(100);
    expect(records).toBeGreaterThan(10_000);
    const end = depth(sim.book);
    expect(end.bb).toBeLessThan(end.ba);
    expect(end.bids.length).toBe(12);
    expect(end.bidLevels).toBeGreaterThan(12);
  });

  it('answers 0 outside its tick window and NaN for an empty side', () => {
    const sim = makeFuturesSim(planSimulation({ start: '09:29:30', end: '09:29:31', seed: 1, intensity: 0.1 }));
    const book = sim.book;
    expect(book.qtyAt(BID, book.baseTick - 1)).toBe(0);
    expect(book.countAt(ASK, book.baseTick + book.nLevels)).toBe(0);
    expect(book.bestBidTick).toBeNaN();
    expect(book.topLevels(ASK, 3)).toEqual([]);
    expect(book.bidLevels).toBe(0);
  });
});
