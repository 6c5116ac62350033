import { describe, expect, it } from 'vitest';
import { ASK, BID, OrderBook, type FlowSink } from './orderBook';
import { batchOf, type MboRecordInput } from './batchBuilder';

const T = 250_000_000; // ES tick in 1e-9 units
const px = (ticks: number) => BigInt(ticks) * BigInt(T);
const S = 1_700_000_000_000_000_000n;

class RecordingSink implements FlowSink {
  events: string[] = [];
  onAdd(side: number, tick: number, qty: number) {
    this.events.push(`add ${side ? 'A' : 'B'}${tick} ${qty}`);
  }
  onRemove(side: number, tick: number, fill: number, pull: number, pullRest: number) {
    this.events.push(`rm ${side ? 'A' : 'B'}${tick} fill=${fill} pull=${pull} rest=${pullRest}`);
  }
}

function run(records: MboRecordInput[], sink?: FlowSink): OrderBook {
  const book = new OrderBook(T);
  if (sink) book.sink = sink;
  const b = batchOf(records);
  for (let i = 0; i < b.count; i++) book.apply(b, i);
  return book;
}

describe('order book: Databento MBO semantics', () => {
  it('adds, partial and full cancels keep level size and order count', () => {
    const book = run([
      { action: 'A', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: S },
      { action: 'A', side: 'B', price: px(100), size: 3, orderId: 2, tsRecv: S },
      { action: 'A', side: 'A', price: px(101), size: 4, orderId: 3, tsRecv: S },
      { action: 'C', side: 'B', price: px(100), size: 2, orderId: 1, tsRecv: S },
    ]);
    expect(book.bestBidTick).toBe(100);
    expect(book.qtyAt(BID, 100)).toBe(6);
    expect(book.countAt(BID, 100)).toBe(2);
    const b2 = run([
      { action: 'A', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: S },
      { action: 'A', side: 'B', price: px(99), size: 1, orderId: 2, tsRecv: S },
      { action: 'C', side: 'B', price: px(100), size: 5, orderId: 1, tsRecv: S },
    ]);
    expect(b2.bestBidTick).toBe(99);
    expect(b2.bidLevels).toBe(1);
    expect(b2.orderCount).toBe(1);
  });

  it('M with a price change or size increase goes to the back of the queue; a decrease keeps priority', () => {
    const book = run([
      { action: 'A', side: 'A', price: px(200), size: 1, orderId: 1, tsRecv: S },
      { action: 'A', side: 'A', price: px(200), size: 1, orderId: 2, tsRecv: S + 1n },
      { action: 'A', side: 'A', price: px(200), size: 5, orderId: 3, tsRecv: S + 2n },
      { action: 'M', side: 'A', price: px(200), size: 2, orderId: 1, tsRecv: S + 3n }, // increase → back
      { action: 'M', side: 'A', price: px(200), size: 4, orderId: 3, tsRecv: S + 4n }, // decrease → keeps place
    ]);
    const ids: number[] = [];
    book.forEachOrderAt(ASK, 200, (_s, _a, _hi, lo) => ids.push(lo));
    expect(ids).toEqual([2, 3, 1]);
    expect(book.qtyAt(ASK, 200)).toBe(7);
  });

  it('F marks pending fill: the following C counts as fill, the excess as pull', () => {
    const sink = new RecordingSink();
    run(
      [
        { action: 'A', side: 'B', price: px(100), size: 10, orderId: 7, tsRecv: S },
        { action: 'T', side: 'A', price: px(100), size: 3, tsRecv: S + 2_000_000_000n, flags: 0 },
        { action: 'F', side: 'B', price: px(100), size: 3, orderId: 7, tsRecv: S + 2_000_000_000n, flags: 0 },
        { action: 'C', side: 'B', price: px(100), size: 5, orderId: 7, tsRecv: S + 2_000_000_000n },
      ],
      sink,
    );
    expect(sink.events).toEqual(['add B100 10', 'rm B100 fill=3 pull=2 rest=2']);
  });

  it('an F at another price (aggressor after a crossing modify) marks nothing', () => {
    const sink = new RecordingSink();
    run(
      [
        { action: 'A', side: 'B', price: px(100), size: 2, orderId: 7, tsRecv: S },
        { action: 'F', side: 'B', price: px(101), size: 2, orderId: 7, tsRecv: S, flags: 0 },
        { action: 'C', side: 'B', price: px(100), size: 2, orderId: 7, tsRecv: S },
      ],
      sink,
    );
    expect(sink.events[1]).toBe('rm B100 fill=0 pull=2 rest=0');
  });

  it('a price-changing M: reduction up to pending is fill, rest of old size pull, new size added', () => {
    const sink = new RecordingSink();
    const book = run(
      [
        { action: 'A', side: 'A', price: px(50), size: 10, orderId: 9, tsRecv: S },
        { action: 'F', side: 'A', price: px(50), size: 4, orderId: 9, tsRecv: S + 100n, flags: 0 },
        { action: 'M', side: 'A', price: px(52), size: 6, orderId: 9, tsRecv: S + 100n },
      ],
      sink,
    );
    expect(sink.events).toEqual(['add A50 10', 'rm A50 fill=4 pull=6 rest=0', 'add A52 6']);
    expect(book.bestAskTick).toBe(52);
  });

  it('resolves side N from the resting order; skips unknown cancels and fills; adds unknown modifies', () => {
    const book = run([
      { action: 'A', side: 'A', price: px(10), size: 1, orderId: 1, tsRecv: S },
      { action: 'C', side: 'N', price: px(10), size: 1, orderId: 1, tsRecv: S },
      { action: 'C', side: 'B', price: px(10), size: 1, orderId: 99, tsRecv: S },
      { action: 'F', side: 'N', price: px(10), size: 1, orderId: 98, tsRecv: S },
      { action: 'M', side: 'B', price: px(8), size: 4, orderId: 97, tsRecv: S },
    ]);
    expect(book.askLevels).toBe(0);
    expect(book.qtyAt(BID, 8)).toBe(4);
    const c = book.counters();
    expect(c.skipped).toEqual({ C: 1, F: 1 });
    expect(c.modifyUnknownAdded).toBe(1);
  });

  it('R clears everything as pull; a snapshot without a leading R replaces the book', () => {
    const sink = new RecordingSink();
    const book = run(
      [
        { action: 'A', side: 'B', price: px(10), size: 2, orderId: 1, tsRecv: S },
        { action: 'R', tsRecv: S },
        { action: 'A', side: 'B', price: px(11), size: 3, orderId: 2, tsRecv: S },
        { action: 'A', side: 'A', price: px(12), size: 3, orderId: 3, tsRecv: S, flags: 0x20 },
      ],
      sink,
    );
    expect(sink.events[1]).toBe('rm B10 fill=0 pull=2 rest=0');
    expect(book.orderCount).toBe(1);
    expect(book.bidLevels).toBe(0);
    expect(book.counters().implicitSnapshotClears).toBe(1);
  });

  it('flags a crossed book at F_LAST without failing', () => {
    const book = run([
      { action: 'A', side: 'B', price: px(10), size: 1, orderId: 1, tsRecv: S },
      { action: 'A', side: 'A', price: px(9), size: 1, orderId: 2, tsRecv: S, flags: 0x84 },
    ]);
    expect(book.crossed).toBe(true);
    expect(book.counters().maybeBadBook).toBe(1);
  });

  it('rest quantity counts orders older than 500 ms (age since add or last priority loss)', () => {
    const book = run([
      { action: 'A', side: 'B', price: px(10), size: 2, orderId: 1, tsRecv: S },
      { action: 'A', side: 'B', price: px(10), size: 3, orderId: 2, tsRecv: S + 400_000_000n },
      { action: 'N', tsRecv: S + 600_000_001n },
    ]);
    expect(book.restQtyAt(BID, 10)).toBe(2);
  });

  it('keeps u64 ids exact and survives heavy churn across a wide price range (reference model)', () => {
    const book = new OrderBook(T, 500, 16);
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const ref = new Map<bigint, { side: number; tick: number; size: number }>();
    const recs: MboRecordInput[] = [];
    for (let n = 0; n < 20000; n++) {
      const live = [...ref.keys()];
      if (live.length > 0 && rnd() < 0.45) {
        const id = live[Math.floor(rnd() * live.length)];
        const o = ref.get(id)!;
        if (rnd() < 0.5) {
          recs.push({ action: 'C', side: 'N', price: px(o.tick), size: o.size, orderId: id, tsRecv: S });
          ref.delete(id);
        } else {
          const tick = o.tick + Math.floor(rnd() * 5) - 2;
          const size = 1 + Math.floor(rnd() * 9);
          recs.push({ action: 'M', side: o.side ? 'A' : 'B', price: px(tick), size, orderId: id, tsRecv: S });
          ref.set(id, { side: o.side, tick, size });
        }
      } else {
        const id = (BigInt(Math.floor(rnd() * 2 ** 20)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
        if (ref.has(id)) continue;
        const side = rnd() < 0.5 ? 0 : 1;
        const tick = side === 0 ? 20000 - Math.floor(rnd() * 30000) : 20001 + Math.floor(rnd() * 30000);
        const size = 1 + Math.floor(rnd() * 9);
        recs.push({ action: 'A', side: side ? 'A' : 'B', price: px(tick), size, orderId: id, tsRecv: S });
        ref.set(id, { side, tick, size });
      }
    }
    const b = batchOf(recs);
    for (let i = 0; i < b.count; i++) book.apply(b, i);
    const levels = [new Map<number, number>(), new Map<number, number>()];
    for (const o of ref.values()) levels[o.side].set(o.tick, (levels[o.side].get(o.tick) ?? 0) + o.size);
    expect(book.orderCount).toBe(ref.size);
    expect(book.bidLevels).toBe(levels[0].size);
    expect(book.askLevels).toBe(levels[1].size);
    expect(book.bestBidTick).toBe(Math.max(...levels[0].keys()));
    expect(book.bestAskTick).toBe(Math.min(...levels[1].keys()));
    for (const [tick, q] of levels[0]) expect(book.qtyAt(BID, tick)).toBe(q);
    for (const [tick, q] of levels[1]) expect(book.qtyAt(ASK, tick)).toBe(q);
    expect(book.skippedTotal()).toBe(0);
  });
});
