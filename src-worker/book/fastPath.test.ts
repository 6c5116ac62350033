// applyRange (the engine's fast path: state in locals, uncommon cases handed to applyRecord)
// must leave exactly the book and the flow that apply() leaves record by record: on the real
// files, and on a synthetic stream full of the uncommon cases (snapshots with and without R,
// R, duplicate and unknown ids, NaN and off-tick prices, side N, size 0, prices far outside
// the level arrays, time going backwards, growth from tiny initial sizes), cut into ranges of
// random length.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDbnSync } from '../dbn/reader';
import { F_LAST, F_MAYBE_BAD_BOOK, F_SNAPSHOT, type MboBatch } from '../dbn/mboBatch';
import { batchOf, type MboRecordInput } from './batchBuilder';
import { ASK, BID, OrderBook } from './orderBook';

const T = 250_000_000;
const W = 161;

interface Flow {
  add: Float64Array;
  pull: Float64Array;
  rest: Float64Array;
  fill: Float64Array;
}
const newFlow = (): Flow => ({ add: new Float64Array(2 * W), pull: new Float64Array(2 * W), rest: new Float64Array(2 * W), fill: new Float64Array(2 * W) });

/** Everything a reader of the book can observe, over ticks [lo, hi). */
function fingerprint(book: OrderBook, lo: number, hi: number): unknown {
  const levels: number[] = [];
  for (let t = lo; t < hi; t++) {
    for (const side of [BID, ASK]) {
      const q = book.qtyAt(side, t);
      if (q === 0 && book.countAt(side, t) === 0) continue;
      const queue: number[] = [];
      book.forEachOrderAt(side, t, (size, age, idHi, idLo) => queue.push(size, age, idHi, idLo));
      levels.push(side, t, q, book.countAt(side, t), book.restQtyAt(side, t), ...queue);
    }
  }
  return {
    counts: [book.orderCount, book.bidLevels, book.askLevels, book.bestBidTick, book.bestAskTick],
    last: [book.nowT, book.lastFlags, book.lastSequence, book.lastTsRecvHi, book.lastTsRecvLo, book.lastTradePriceInt, book.consistent, book.crossed],
    counters: book.counters(),
    levels,
  };
}

/**
 * Run the same records through apply() one by one and through applyRange in chunks of random
 * length (instrument iid), switching the flow target on at record `flowAt` around `flowLo`.
 */
function both(b: MboBatch, iid: number, flowAt: number, flowLo: (book: OrderBook) => number, seed: number, initialOrders?: number) {
  const ref = new OrderBook(T, 500, initialOrders);
  const fast = new OrderBook(T, 500, initialOrders);
  const fr = newFlow();
  const ff = newFlow();
  let s = seed;
  const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
  let i = 0;
  while (i < b.count) {
    let j = Math.min(b.count, i + 1 + rnd(400));
    if (i < flowAt && j > flowAt) j = flowAt;
    if (i === flowAt) {
      const lo = flowLo(ref);
      ref.setFlowTarget(lo, W, fr.add, fr.pull, fr.rest, fr.fill);
      fast.setFlowTarget(lo, W, ff.add, ff.pull, ff.rest, ff.fill);
    }
    for (let k = i; k < j; k++) if (b.instrumentId[k] === iid) ref.apply(b, k);
    fast.applyRange(b, i, j, iid);
    i = j;
  }
  return { ref, fast, fr, ff };
}

function expectSame(r: ReturnType<typeof both>, lo: number, hi: number): void {
  expect(fingerprint(r.fast, lo, hi)).toEqual(fingerprint(r.ref, lo, hi));
  for (const k of ['add', 'pull', 'rest', 'fill'] as const) expect(Array.from(r.ff[k])).toEqual(Array.from(r.fr[k]));
}

describe('applyRange = apply record by record', () => {
  it('real ESH4 2023-12-25 (snapshot, live hours, unknown ids): same book, queues and flow', () => {
    const b = decodeDbnSync(new Uint8Array(readFileSync('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst'))).mbo;
    const r = both(b, 17077, 20_000, (book) => book.bestBidTick - (W >> 1), 7);
    expect(r.ref.orderCount).toBeGreaterThan(10_000);
    expect(r.fr.pull.some((v) => v > 0) && r.fr.rest.some((v) => v > 0) && r.fr.fill.some((v) => v > 0)).toBe(true);
    expectSame(r, r.ref.bestBidTick - 3000, r.ref.bestAskTick + 3000);
  });

  it('real ESM4 2024-05-08 (a file that starts without a snapshot)', () => {
    const b = decodeDbnSync(new Uint8Array(readFileSync('../shared/data/real/orderbooks_mbo_2024-05-08T00-00-00_2024-05-08T00-00-02.dbn.zst'))).mbo;
    const iid = b.instrumentId[0];
    const r = both(b, iid, Math.min(2000, b.count >> 1), (book) => (book.bestBidTick === book.bestBidTick ? book.bestBidTick : 20000) - (W >> 1), 11);
    expect(r.ref.records).toBeGreaterThan(100);
    expectSame(r, r.ref.bestBidTick - 3000, r.ref.bestAskTick + 3000);
  });

  it('with a FlowSink attached, applyRange makes the same calls in the same order as apply', () => {
    const b = decodeDbnSync(new Uint8Array(readFileSync('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst'))).mbo;
    const record = (calls: number[]) => ({
      onAdd: (side: number, tick: number, qty: number) => void calls.push(0, side, tick, qty),
      onRemove: (side: number, tick: number, fill: number, pull: number, rest: number) => void calls.push(1, side, tick, fill, pull, rest),
    });
    const viaApply: number[] = [];
    const viaRange: number[] = [];
    const ref = new OrderBook(T);
    const fast = new OrderBook(T);
    ref.sink = record(viaApply);
    fast.sink = record(viaRange);
    for (let k = 0; k < b.count; k++) if (b.instrumentId[k] === 17077) ref.apply(b, k);
    for (let k = 0; k < b.count; k += 1000) fast.applyRange(b, k, Math.min(b.count, k + 1000), 17077);
    expect(viaApply.length).toBeGreaterThan(100_000);
    expect(viaRange).toEqual(viaApply);
  });

  it('a synthetic stream of every uncommon case, from tiny initial sizes', () => {
    let s = 99;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <X>(xs: X[]) => xs[Math.floor(rnd() * xs.length)];
    const S0 = 1_700_000_000_000_000_000n;
    let ts = S0;
    const live: number[] = [];
    let nextId = 1;
    const recs: MboRecordInput[] = [];
    const price = (tick: number) => BigInt(tick) * BigInt(T);
    for (let n = 0; n < 30_000; n++) {
      ts += BigInt(Math.floor(rnd() * 3e8)) - (rnd() < 0.02 ? 10n ** 9n : 0n); // now and then backwards
      let flags = rnd() < 0.7 ? F_LAST : 0;
      if (rnd() < 0.01) flags |= F_MAYBE_BAD_BOOK;
      const u = rnd();
      const tick = 20000 + Math.floor((rnd() - 0.5) * 60) + (rnd() < 0.01 ? Math.floor((rnd() - 0.5) * 200_000) : 0);
      const side = rnd() < 0.5 ? 'B' : 'A';
      const size = rnd() < 0.03 ? 0 : 1 + Math.floor(rnd() * 20);
      const oddPrice = rnd() < 0.02 ? (rnd() < 0.5 ? undefined : price(tick) + 1n) : price(tick);
      const iid = rnd() < 0.05 ? 2 : 1;
      if (u < 0.004) {
        // A snapshot, with or without a leading R, of a few orders.
        const withR = rnd() < 0.5;
        if (withR) recs.push({ action: 'R', flags: F_SNAPSHOT, tsRecv: ts, instrumentId: 1 });
        live.length = 0;
        const k = 1 + Math.floor(rnd() * 30);
        for (let q = 0; q < k; q++) {
          const id = nextId++;
          live.push(id);
          recs.push({ action: 'A', side: pick(['A', 'B']), price: price(20000 + Math.floor((rnd() - 0.5) * 40)), size: 1 + q, orderId: id, flags: F_SNAPSHOT | (q === k - 1 && rnd() < 0.5 ? F_LAST : 0), tsRecv: ts, instrumentId: 1 });
        }
      } else if (u < 0.006) {
        recs.push({ action: 'R', tsRecv: ts, instrumentId: 1, flags });
        live.length = 0;
      } else if (u < 0.45 || live.length === 0) {
        const dup = live.length > 0 && rnd() < 0.01;
        const id = dup ? pick(live) : nextId++ * (rnd() < 0.1 ? 4294967296 + 3 : 1);
        if (!dup) live.push(id);
        recs.push({ action: 'A', side: rnd() < 0.01 ? 'N' : side, price: oddPrice, size, orderId: id, flags, tsRecv: ts, instrumentId: iid });
      } else {
        const unknown = rnd() < 0.03;
        const id = unknown ? 1e9 + nextId++ : pick(live);
        const action = pick(['C', 'C', 'M', 'M', 'F', 'T', 'N', 'X']);
        recs.push({ action, side: rnd() < 0.3 ? 'N' : side, price: action === 'F' && rnd() < 0.7 ? undefined : oddPrice, size, orderId: id, flags, tsRecv: ts, instrumentId: iid });
      }
    }
    const b = batchOf(recs);
    const r = both(b, 1, 5000, () => 20000 - (W >> 1), 3, 4);
    const c = r.ref.counters();
    // The stream did exercise the hand-over paths.
    expect(c.duplicateAdds).toBeGreaterThan(0);
    expect(c.offTickPrices).toBeGreaterThan(0);
    expect(c.modifyUnknownAdded).toBeGreaterThan(0);
    expect(c.implicitSnapshotClears).toBeGreaterThan(0);
    expect(c.fillsNotAtOrderPrice).toBeGreaterThan(0);
    expect(Object.keys(c.skipped).length).toBeGreaterThan(2);
    expect(r.ref.orderCount).toBeGreaterThan(0);
    expectSame(r, 20000 - 200_000, 20000 + 200_000);
  });
});
