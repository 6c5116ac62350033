// The book's two ways of reporting flow must agree: the direct flow target (dense arrays the
// engine's window is summed into) against a FlowSink that sums the same calls itself, over the
// real ESH4 hour with a ladder around the first touch, and under apply vs applyRecord+noteLast.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDbnSync } from '../dbn/reader';
import { ASK, BID, OrderBook, type FlowSink } from './orderBook';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const T = 250_000_000;
const W = 81;

class SummingSink implements FlowSink {
  add = new Float64Array(2 * W);
  pull = new Float64Array(2 * W);
  rest = new Float64Array(2 * W);
  fill = new Float64Array(2 * W);
  calls = 0;
  constructor(private readonly lo: number) {}
  onAdd(side: number, tick: number, qty: number): void {
    this.calls++;
    const j = tick - this.lo;
    if (j >= 0 && j < W) this.add[side * W + j] += qty;
  }
  onRemove(side: number, tick: number, fill: number, pull: number, pullRest: number): void {
    this.calls++;
    const j = tick - this.lo;
    if (j < 0 || j >= W) return;
    this.fill[side * W + j] += fill;
    this.pull[side * W + j] += pull;
    this.rest[side * W + j] += pullRest;
  }
}

describe('flow target = FlowSink', () => {
  it('real ESH4: every add, fill, pull and rest pull sums to the same cells either way', () => {
    const b = decodeDbnSync(new Uint8Array(readFileSync(FILE))).mbo;
    // Warm up to a live touch, then attribute the rest of the file around it.
    const warm = new OrderBook(T);
    let i = 0;
    for (; i < b.count && !(warm.bestBidTick === warm.bestBidTick && i > 5000); i++) if (b.instrumentId[i] === 17077) warm.apply(b, i);
    const lo = warm.bestBidTick - (W >> 1);

    const viaSink = new OrderBook(T);
    const viaTarget = new OrderBook(T);
    const sink = new SummingSink(lo);
    const target = { add: new Float64Array(2 * W), pull: new Float64Array(2 * W), rest: new Float64Array(2 * W), fill: new Float64Array(2 * W) };
    for (let k = 0; k < b.count; k++) {
      if (b.instrumentId[k] !== 17077) continue;
      if (k === i) {
        viaSink.sink = sink;
        viaTarget.setFlowTarget(lo, W, target.add, target.pull, target.rest, target.fill);
      }
      viaSink.apply(b, k);
      viaTarget.applyRecord(b, k);
    }
    viaTarget.noteLast(b, b.count - 1);
    expect(sink.calls).toBeGreaterThan(50_000);
    expect(Array.from(target.add)).toEqual(Array.from(sink.add));
    expect(Array.from(target.pull)).toEqual(Array.from(sink.pull));
    expect(Array.from(target.rest)).toEqual(Array.from(sink.rest));
    expect(Array.from(target.fill)).toEqual(Array.from(sink.fill));
    // Rest pulls are a real, strict part of pulls here (not all zero, not all pull).
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(target.rest)).toBeGreaterThan(0);
    expect(sum(target.rest)).toBeLessThan(sum(target.pull));
    expect(sum(target.fill)).toBeGreaterThan(0);
    // Same book either way, and noteLast leaves the same last-record fields as apply.
    expect([viaTarget.orderCount, viaTarget.bestBidTick, viaTarget.bestAskTick]).toEqual([viaSink.orderCount, viaSink.bestBidTick, viaSink.bestAskTick]);
    expect([viaTarget.lastSequence, viaTarget.lastTsRecvHi, viaTarget.lastTsRecvLo]).toEqual([viaSink.lastSequence, viaSink.lastTsRecvHi, viaSink.lastTsRecvLo]);
    for (let t = lo; t < lo + W; t++) expect([viaTarget.qtyAt(BID, t), viaTarget.qtyAt(ASK, t)]).toEqual([viaSink.qtyAt(BID, t), viaSink.qtyAt(ASK, t)]);
  });

  it('clearFlowTarget stops attribution (the same range without it does attribute)', () => {
    const b = decodeDbnSync(new Uint8Array(readFileSync(FILE))).mbo;
    const run = (clear: boolean): Float64Array => {
      const book = new OrderBook(T);
      const add = new Float64Array(2 * W);
      for (let k = 0; k < 30_000; k++) {
        if (b.instrumentId[k] !== 17077) continue;
        if (k === 10_000) {
          book.setFlowTarget(book.bestBidTick - (W >> 1), W, add, new Float64Array(2 * W), new Float64Array(2 * W), new Float64Array(2 * W));
          if (clear) book.clearFlowTarget();
        }
        book.applyRecord(b, k);
      }
      return add;
    };
    expect(run(false).some((v) => v > 0)).toBe(true);
    expect(run(true).every((v) => v === 0)).toBe(true);
  });
});
