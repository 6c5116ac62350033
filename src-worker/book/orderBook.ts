// L3 (per-order) book of one instrument with Databento MBO semantics (SPEC §2):
//   A add · C reduce by size, remove at 0 · M new price and/or size (a price change or a size
//   increase loses queue priority, a decrease keeps it) · R clear · T last trade (no book
//   change) · F marks filled quantity as pending so the following C/M counts as fill · N none.
// Side N is resolved from the resting order. Robust to files cut mid-session: a cancel or
// fill of an unknown order is counted and skipped; a modify of an unknown order adds it.
//
// Hot path: typed arrays only. Orders live in 32-byte int32 records (one per slot, fields on
// one cache line) indexed through an open-addressing u64 hash (OrderIndex); price levels are dense arrays indexed by tick offset from an anchor
// (grown and re-centred when a price falls outside), with a per-side bitset so the next best
// price after a level empties is found 32 ticks per step. Each level keeps its FIFO queue as a
// doubly linked list of slots in priority order, so queue position and enter time are exact.
//
// Two ways in: apply(b, i) / applyRecord(b, i) — one record, the reference implementation of
// every rule — and applyRange(b, from, to, iid), the engine's hot loop: the common records
// (A/C/M/F/T/N on known state, in range, no growth) are applied inline with the book's state in
// locals, anything else is handed to applyRecord. The two are bit-identical (fastPath.test.ts).
//
// Flow attribution for Silver goes either to a flow target (four dense arrays over a tick range,
// summed into directly: the engine's open window, no call per change) or to an optional FlowSink
// (tests, tools); the book itself is Silver-agnostic.
// Clock: ns since the first record's whole second; a record whose ts_recv goes backwards is
// applied at the latest time seen (ages never run backwards).
import {
  ACTION_ADD,
  ACTION_CANCEL,
  ACTION_CLEAR,
  ACTION_FILL,
  ACTION_MODIFY,
  ACTION_NONE,
  ACTION_TRADE,
  F_LAST,
  F_MAYBE_BAD_BOOK,
  F_SNAPSHOT,
  SIDE_ASK,
  SIDE_BID,
  type MboBatch,
} from '../dbn/mboBatch';
import { runFast, type FastBookState } from './fastPath';
import { ASK, BID, nextSetBit, prevSetBit } from './levelBits';
import type { MboDepth } from './marketDepth';
import { OrderIndex } from './orderIndex';

export { ASK, BID } from './levelBits';

/** Receives every depth change with its cause. side: 0 bid, 1 ask; tick: absolute tick index. */
export interface FlowSink {
  onAdd(side: number, tick: number, qty: number): void;
  /** fill + pull = quantity removed; pullRest = part of pull from orders older than the rest threshold. */
  onRemove(side: number, tick: number, fill: number, pull: number, pullRest: number): void;
}

/** Counters a user can read to judge the data (all plain numbers). */
export interface BookCounters {
  records: number;
  byAction: Record<string, number>;
  skipped: Record<string, number>;
  modifyUnknownAdded: number;
  duplicateAdds: number;
  fillsNotAtOrderPrice: number;
  implicitSnapshotClears: number;
  offTickPrices: number;
  maybeBadBook: number;
  crossedEvents: number;
}

const MAX_TICK_SPAN = 1 << 23;

export class OrderBook implements MboDepth {
  readonly tickInt: number;
  /** Rest threshold in ns (SPEC: 500 ms). */
  readonly restNs: number;

  // ---- orders (slot arrays) ----
  private cap = 0;
  /**
   * One 32-byte record per order slot (an order's fields share a cache line):
   * [id hi, id lo, side, tick, prev, next, size, pending fill] as int32.
   */
  private O = new Int32Array(0);
  /** Enter time (ns since the book's first record), reset on priority loss. */
  private oT = new Float64Array(0);
  private freeHead = -1;
  private used = 0;
  private index: OrderIndex;

  // ---- levels: [side * span + (tick - base)] ----
  private base = 0;
  private span = 0;
  private lQty = new Float64Array(0);
  private lCount = new Int32Array(0);
  private lHead = new Int32Array(0);
  private lTail = new Int32Array(0);
  private bits: Uint32Array[] = [new Uint32Array(0), new Uint32Array(0)];
  /** Best level offsets (tick - base) or -1. */
  private bestBidOff = -1;
  private bestAskOff = -1;
  levelCount0 = 0;
  levelCount1 = 0;

  // ---- clock and state flags ----
  private baseSec = NaN;
  /** ns since the first record's whole second; exact in float64 for ~100 days. */
  nowT = 0;
  private tsMonotonic = true;
  private inSnapshot = false;
  private lastWasClear = false;
  /** True after a record carrying F_LAST: the book is a consistent exchange state. */
  consistent = false;
  lastFlags = 0;
  lastSequence = 0;
  lastTsRecvHi = 0;
  lastTsRecvLo = 0;
  lastTradePriceInt = NaN;
  crossed = false;

  // ---- counters ----
  records = 0;
  private actionCounts = new Float64Array(256);
  private skippedCounts = new Float64Array(256);
  modifyUnknownAdded = 0;
  duplicateAdds = 0;
  fillsNotAtOrderPrice = 0;
  implicitSnapshotClears = 0;
  offTickPrices = 0;
  maybeBadBook = 0;
  crossedEvents = 0;

  sink: FlowSink | null = null;

  // ---- flow target: cell = side * flowW + (tick - flowLo) for ticks in [flowLo, flowLo + flowW) ----
  private flowOn = false;
  private flowLo = 0;
  private flowW = 0;
  private fAdd: Float64Array = new Float64Array(0);
  private fPull: Float64Array = new Float64Array(0);
  private fRest: Float64Array = new Float64Array(0);
  private fFill: Float64Array = new Float64Array(0);

  constructor(tickInt: number, restThresholdMs = 500, initialOrders = 1 << 15) {
    if (!(tickInt > 0) || !Number.isInteger(tickInt)) throw new RangeError(`tick size must be a positive integer in 1e-9 units, got ${tickInt}`);
    this.tickInt = tickInt;
    this.restNs = restThresholdMs * 1e6;
    this.index = new OrderIndex(this.O, initialOrders * 2);
    this.growOrders(initialOrders);
  }

  // =========================================================================== queries

  get orderCount(): number {
    return this.used;
  }
  get bidLevels(): number {
    return this.levelCount0;
  }
  get askLevels(): number {
    return this.levelCount1;
  }
  /** Absolute tick of the best bid / ask, or NaN when the side is empty. */
  get bestBidTick(): number {
    return this.bestBidOff < 0 ? NaN : this.bestBidOff + this.base;
  }
  get bestAskTick(): number {
    return this.bestAskOff < 0 ? NaN : this.bestAskOff + this.base;
  }
  /** Resting quantity at an absolute tick (0 outside the book). */
  qtyAt(side: number, tick: number): number {
    const off = tick - this.base;
    if (off < 0 || off >= this.span) return 0;
    return this.lQty[side * this.span + off];
  }
  countAt(side: number, tick: number): number {
    const off = tick - this.base;
    if (off < 0 || off >= this.span) return 0;
    return this.lCount[side * this.span + off];
  }
  /** The book's clock (ns since its first record's whole second) for a UTC second + nanos. */
  clockAt(sec: number, nano = 0): number {
    return this.baseSec !== this.baseSec ? 0 : (sec - this.baseSec) * 1e9 + nano;
  }
  /** Quantity at a level in orders older than the rest threshold at book time `at` (default now). */
  restQtyAt(side: number, tick: number, at = this.nowT): number {
    const off = tick - this.base;
    if (off < 0 || off >= this.span) return 0;
    const li = side * this.span + off;
    if (this.lCount[li] === 0) return 0;
    // age > threshold ⇔ enterT < at − threshold
    const limit = at - this.restNs;
    if (this.tsMonotonic) {
      // Queues are in enter-time order when ts_recv never decreases: sum the young tail only.
      let young = 0;
      for (let o = this.lTail[li]; o >= 0; o = this.O[o * 8 + 4]) {
        if (this.oT[o] < limit) break;
        young += this.O[o * 8 + 6];
      }
      return this.lQty[li] - young;
    }
    let rest = 0;
    for (let o = this.lHead[li]; o >= 0; o = this.O[o * 8 + 5]) if (this.oT[o] < limit) rest += this.O[o * 8 + 6];
    return rest;
  }
  /**
   * Dense read of a price ladder: resting quantity (and, with `rest`, the quantity in orders
   * older than the rest threshold at book time `at`) for ticks lo … lo + n − 1 of one side,
   * written at out[outOff …]. One pass over the level arrays instead of n lookups.
   */
  readLadder(side: number, lo: number, n: number, qty: Float64Array, outOff: number, rest: Float64Array | null = null, at = this.nowT): void {
    // Ticks of the ladder that lie inside the level arrays: j in [j0, j1).
    const j0 = Math.min(n, Math.max(0, this.base - lo));
    const j1 = Math.max(j0, Math.min(n, this.base + this.span - lo));
    qty.fill(0, outOff, outOff + j0);
    qty.fill(0, outOff + j1, outOff + n);
    if (rest !== null) {
      rest.fill(0, outOff, outOff + j0);
      rest.fill(0, outOff + j1, outOff + n);
    }
    const lQty = this.lQty;
    const li0 = side * this.span + lo - this.base;
    if (rest === null) {
      for (let j = j0; j < j1; j++) qty[outOff + j] = lQty[li0 + j];
      return;
    }
    // age > threshold ⇔ enterT < at − threshold
    const limit = at - this.restNs;
    const O = this.O;
    const oT = this.oT;
    const mono = this.tsMonotonic;
    for (let j = j0; j < j1; j++) {
      const li = li0 + j;
      const q = lQty[li];
      qty[outOff + j] = q;
      if (!(q > 0)) {
        rest[outOff + j] = 0;
        continue;
      }
      if (mono) {
        // Queues are in enter-time order when ts_recv never decreases: sum the young tail only.
        let young = 0;
        for (let o = this.lTail[li]; o >= 0; o = O[o * 8 + 4]) {
          if (oT[o] < limit) break;
          young += O[o * 8 + 6];
        }
        rest[outOff + j] = q - young;
      } else rest[outOff + j] = this.restQtyAt(side, lo + j, at);
    }
  }

  /** Visit the orders of a level in queue (priority) order. */
  forEachOrderAt(side: number, tick: number, fn: (size: number, ageNs: number, idHi: number, idLo: number) => void): void {
    const off = tick - this.base;
    if (off < 0 || off >= this.span) return;
    for (let o = this.lHead[side * this.span + off]; o >= 0; o = this.O[o * 8 + 5]) fn(this.O[o * 8 + 6], this.nowT - this.oT[o], this.O[o * 8 + 0] >>> 0, this.O[o * 8 + 1] >>> 0);
  }
  /** Non-empty levels of a side from the best outwards: [tick, qty, count] triples, up to n. */
  topLevels(side: number, n: number): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    let off = side === BID ? this.bestBidOff : this.bestAskOff;
    while (off >= 0 && out.length < n) {
      const li = side * this.span + off;
      out.push([off + this.base, this.lQty[li], this.lCount[li]]);
      off = side === BID ? this.prevSet(BID, off) : this.nextSet(ASK, off);
    }
    return out;
  }
  counters(): BookCounters {
    const byAction: Record<string, number> = {};
    const skipped: Record<string, number> = {};
    for (let c = 0; c < 256; c++) {
      if (this.actionCounts[c]) byAction[String.fromCharCode(c)] = this.actionCounts[c];
      if (this.skippedCounts[c]) skipped[String.fromCharCode(c)] = this.skippedCounts[c];
    }
    return {
      records: this.records,
      byAction,
      skipped,
      modifyUnknownAdded: this.modifyUnknownAdded,
      duplicateAdds: this.duplicateAdds,
      fillsNotAtOrderPrice: this.fillsNotAtOrderPrice,
      implicitSnapshotClears: this.implicitSnapshotClears,
      offTickPrices: this.offTickPrices,
      maybeBadBook: this.maybeBadBook,
      crossedEvents: this.crossedEvents,
    };
  }
  skippedTotal(): number {
    let s = 0;
    for (let c = 0; c < 256; c++) s += this.skippedCounts[c];
    return s;
  }

  /**
   * Sum every depth change at ticks [lo, lo + width) of either side into these arrays (index
   * side * width + tick − lo): add += added quantity; fill, pull += removed quantity by cause;
   * pullRest += the pull of orders older than the rest threshold. Outside the range: ignored.
   */
  setFlowTarget(lo: number, width: number, add: Float64Array, pull: Float64Array, pullRest: Float64Array, fill: Float64Array): void {
    this.flowLo = lo;
    this.flowW = width;
    this.fAdd = add;
    this.fPull = pull;
    this.fRest = pullRest;
    this.fFill = fill;
    this.flowOn = true;
  }
  clearFlowTarget(): void {
    this.flowOn = false;
  }

  private flowAdd(side: number, tick: number, qty: number): void {
    const j = tick - this.flowLo;
    if (j >= 0 && j < this.flowW) this.fAdd[side * this.flowW + j] += qty;
  }
  /** Removal from order o (still holding its enter time) at side/tick, split into fill and pull. */
  private flowRemove(o: number, side: number, tick: number, fill: number, pull: number): void {
    const j = tick - this.flowLo;
    if (j < 0 || j >= this.flowW) return;
    const c = side * this.flowW + j;
    this.fFill[c] += fill;
    this.fPull[c] += pull;
    if (pull > 0 && this.nowT - this.oT[o] > this.restNs) this.fRest[c] += pull;
  }

  // =========================================================================== apply

  /** Apply record i of a batch (the caller filters by instrument). */
  apply(b: MboBatch, i: number): void {
    this.applyRecord(b, i);
    this.noteLast(b, i);
  }

  /** Record the sequence and ts_recv of the last applied record (apply does it per record). */
  noteLast(b: MboBatch, i: number): void {
    this.lastSequence = b.sequence[i];
    this.lastTsRecvHi = b.tsRecvHi[i];
    this.lastTsRecvLo = b.tsRecvLo[i];
  }

  /**
   * apply() without noting the record's sequence and ts_recv: for a caller that applies a run
   * of records and then calls noteLast once for the last one (three column reads and stores
   * per record less on the hot path).
   */
  applyRecord(b: MboBatch, i: number): void {
    const sec = b.tsRecvSec[i];
    if (this.baseSec !== this.baseSec) this.baseSec = sec;
    const t = (sec - this.baseSec) * 1e9 + b.tsRecvNano[i];
    if (t < this.nowT) this.tsMonotonic = false;
    else this.nowT = t;
    const action = b.action[i];
    const flags = b.flags[i];
    this.records++;
    this.actionCounts[action]++;

    if (flags & F_SNAPSHOT) {
      if (!this.inSnapshot) {
        this.inSnapshot = true;
        // A snapshot replaces the book; without a leading R, clear what is there first.
        if (action !== ACTION_CLEAR && !this.lastWasClear && this.used > 0) {
          this.implicitSnapshotClears++;
          this.clear();
        }
      }
    } else this.inSnapshot = false;
    this.lastWasClear = action === ACTION_CLEAR;

    switch (action) {
      case ACTION_ADD:
        this.onAdd(b, i);
        break;
      case ACTION_CANCEL:
        this.onCancel(b, i);
        break;
      case ACTION_MODIFY:
        this.onModify(b, i);
        break;
      case ACTION_FILL:
        this.onFill(b, i);
        break;
      case ACTION_TRADE: {
        const p = b.price[i];
        if (p === p) this.lastTradePriceInt = p;
        break;
      }
      case ACTION_CLEAR:
        this.clear();
        break;
      case ACTION_NONE:
        break;
      default:
        this.skippedCounts[action]++;
    }

    if (flags & F_MAYBE_BAD_BOOK) this.maybeBadBook++;
    this.lastFlags = flags;
    this.consistent = (flags & F_LAST) !== 0;
    if (this.consistent) {
      this.crossed = this.bestBidOff >= 0 && this.bestAskOff >= 0 && this.bestBidOff >= this.bestAskOff;
      if (this.crossed) this.crossedEvents++;
    }
  }

  // =========================================================================== fast path

  /**
   * Apply the records of instrument `iid` among rows [from, to) of a batch, then note the last
   * one (sequence, ts_recv) — the same result as apply() on each of them, bit for bit
   * (fastPath.test.ts). This is the engine's hot loop (runFast): the book's state lives in
   * locals for the whole run (V8 reloads a field and re-checks a typed array after every call
   * it cannot see through; the common cases make no calls), the index bucket found by the
   * lookup is reused for the insert or the removal, and every uncommon case — snapshot
   * records, R, unknown or duplicate ids, NaN or off-tick prices, a price outside the level
   * arrays, any growth, a FlowSink — stops the loop (state written back) and is handed to
   * applyRecord, so the semantics live in one place.
   */
  applyRange(b: MboBatch, from: number, to: number, iid: number): void {
    let last = -1;
    for (let i = from; i < to; ) {
      // Sinks (tests, tools) and the very first record (it sets the clock's base) take the reference path.
      const stop = this.sink === null && this.baseSec === this.baseSec ? runFast(this as unknown as FastBookState, b, i, to, iid) : i;
      if (stop >= to) break;
      if (b.instrumentId[stop] === iid) this.applyRecord(b, stop);
      i = stop + 1;
      // A snapshot is thousands of records that all take the reference path: apply them here
      // rather than entering (and leaving) the fast loop once per record.
      for (; i < to && (b.flags[i] & F_SNAPSHOT) !== 0; i++) if (b.instrumentId[i] === iid) this.applyRecord(b, i);
    }
    for (let i = to - 1; i >= from; i--) {
      if (b.instrumentId[i] === iid) {
        last = i;
        break;
      }
    }
    if (last >= 0) this.noteLast(b, last);
  }


  private sideIndex(code: number): number {
    return code === SIDE_BID ? BID : code === SIDE_ASK ? ASK : -1;
  }

  private tickOf(price: number): number {
    const q = price / this.tickInt;
    const tk = Math.round(q);
    if (tk !== q) this.offTickPrices++;
    return tk;
  }

  private onAdd(b: MboBatch, i: number): void {
    const side = this.sideIndex(b.side[i]);
    const price = b.price[i];
    if (side < 0 || price !== price) {
      this.skippedCounts[ACTION_ADD]++;
      return;
    }
    const hi = b.orderIdHi[i];
    const lo = b.orderIdLo[i];
    const existing = this.index.find(hi, lo);
    if (existing >= 0) {
      // Same id added twice: the newer add wins (the old quantity is withdrawn).
      this.duplicateAdds++;
      this.removeWhole(existing, false);
    }
    const tick = this.tickOf(price);
    if (!this.ensureTick(tick)) {
      this.skippedCounts[ACTION_ADD]++;
      return;
    }
    this.insertOrder(hi, lo, side, tick, b.size[i]);
  }

  private onCancel(b: MboBatch, i: number): void {
    const o = this.index.find(b.orderIdHi[i], b.orderIdLo[i]);
    if (o < 0) {
      this.skippedCounts[ACTION_CANCEL]++;
      return;
    }
    const size = this.O[o * 8 + 6];
    const removed = Math.min(b.size[i], size);
    if (removed >= size) this.removeWhole(o, true);
    else if (removed > 0) this.reduce(o, removed);
  }

  private onFill(b: MboBatch, i: number): void {
    const o = this.index.find(b.orderIdHi[i], b.orderIdLo[i]);
    if (o < 0) {
      this.skippedCounts[ACTION_FILL]++;
      return;
    }
    const p = b.price[i];
    // Only a fill at the order's resting price is a passive fill of that order.
    if (p === p && this.tickOf(p) === this.O[o * 8 + 3]) {
      this.O[o * 8 + 7] = Math.min(this.O[o * 8 + 6], this.O[o * 8 + 7] + b.size[i]);
    } else this.fillsNotAtOrderPrice++;
  }

  private onModify(b: MboBatch, i: number): void {
    const hi = b.orderIdHi[i];
    const lo = b.orderIdLo[i];
    const price = b.price[i];
    const newSize = b.size[i];
    const o = this.index.find(hi, lo);
    if (o < 0) {
      const side = this.sideIndex(b.side[i]);
      if (side < 0 || price !== price || newSize === 0) {
        this.skippedCounts[ACTION_MODIFY]++;
        return;
      }
      const tick = this.tickOf(price);
      if (!this.ensureTick(tick)) {
        this.skippedCounts[ACTION_MODIFY]++;
        return;
      }
      this.modifyUnknownAdded++;
      this.insertOrder(hi, lo, side, tick, newSize);
      return;
    }
    if (newSize === 0) {
      this.removeWhole(o, true);
      return;
    }
    const newTick = price === price ? this.tickOf(price) : this.O[o * 8 + 3];
    const oldSize = this.O[o * 8 + 6];
    if (newTick !== this.O[o * 8 + 3]) {
      if (!this.ensureTick(newTick)) {
        this.skippedCounts[ACTION_MODIFY]++;
        return;
      }
      // Price change: the old level loses the whole order (its reduction up to the pending
      // amount is fill, the rest pull), the new level gains the new size; priority is lost.
      const side = this.O[o * 8 + 2];
      const red = oldSize > newSize ? oldSize - newSize : 0;
      const pend = this.O[o * 8 + 7];
      const fill = red < pend ? red : pend;
      const pull = oldSize - fill;
      if (this.flowOn) this.flowRemove(o, side, this.O[o * 8 + 3], fill, pull);
      if (this.sink !== null) this.sink.onRemove(side, this.O[o * 8 + 3], fill, pull, this.nowT - this.oT[o] > this.restNs ? pull : 0);
      this.unlink(o);
      this.O[o * 8 + 7] = 0;
      this.O[o * 8 + 6] = newSize;
      this.O[o * 8 + 3] = newTick;
      this.oT[o] = this.nowT;
      this.linkTail(o);
      if (this.flowOn) this.flowAdd(side, newTick, newSize);
      if (this.sink !== null) this.sink.onAdd(side, newTick, newSize);
    } else if (newSize > oldSize) {
      // Size increase: the level gains the difference and the order goes to the back.
      const inc = newSize - oldSize;
      const side = this.O[o * 8 + 2];
      this.unlink(o);
      this.O[o * 8 + 6] = newSize;
      this.oT[o] = this.nowT;
      this.linkTail(o);
      if (this.flowOn) this.flowAdd(side, newTick, inc);
      if (this.sink !== null) this.sink.onAdd(side, newTick, inc);
    } else if (newSize < oldSize) {
      this.reduce(o, oldSize - newSize);
    }
  }

  // =========================================================================== orders

  private insertOrder(hi: number, lo: number, side: number, tick: number, size: number): void {
    if (this.freeHead < 0) this.growOrders(this.cap * 2);
    const o = this.freeHead;
    this.freeHead = this.O[o * 8 + 5];
    this.O[o * 8 + 0] = hi;
    this.O[o * 8 + 1] = lo;
    this.O[o * 8 + 2] = side;
    this.O[o * 8 + 3] = tick;
    this.O[o * 8 + 6] = size;
    this.O[o * 8 + 7] = 0;
    this.oT[o] = this.nowT;
    this.index.insert(o);
    this.used++;
    this.linkTail(o);
    if (this.flowOn) this.flowAdd(side, tick, size);
    if (this.sink !== null) this.sink.onAdd(side, tick, size);
  }

  /** Reduce a resting order by r < size, keeping its priority; r splits into fill (pending) and pull. */
  private reduce(o: number, r: number): void {
    const pend = this.O[o * 8 + 7];
    const fill = r < pend ? r : pend;
    this.O[o * 8 + 7] = pend - fill;
    this.O[o * 8 + 6] -= r;
    const li = this.O[o * 8 + 2] * this.span + (this.O[o * 8 + 3] - this.base);
    this.lQty[li] -= r;
    if (this.flowOn) this.flowRemove(o, this.O[o * 8 + 2], this.O[o * 8 + 3], fill, r - fill);
    if (this.sink !== null) {
      const pull = r - fill;
      this.sink.onRemove(this.O[o * 8 + 2], this.O[o * 8 + 3], fill, pull, this.nowT - this.oT[o] > this.restNs ? pull : 0);
    }
  }

  /** Remove a whole order; with attribution, its pending part is fill, the rest pull. */
  private removeWhole(o: number, pendingIsFill: boolean): void {
    const size = this.O[o * 8 + 6];
    if (this.flowOn) {
      const pend = pendingIsFill ? Math.min(this.O[o * 8 + 7], size) : 0;
      this.flowRemove(o, this.O[o * 8 + 2], this.O[o * 8 + 3], pend, size - pend);
    }
    if (this.sink !== null) {
      const pend = pendingIsFill ? Math.min(this.O[o * 8 + 7], size) : 0;
      const pull = size - pend;
      this.sink.onRemove(this.O[o * 8 + 2], this.O[o * 8 + 3], pend, pull, this.nowT - this.oT[o] > this.restNs ? pull : 0);
    }
    this.unlink(o);
    this.index.remove(o);
    this.O[o * 8 + 5] = this.freeHead;
    this.freeHead = o;
    this.used--;
  }

  /** Remove every order (R, or a snapshot without a leading R); all of it is pull. */
  clear(): void {
    if (this.flowOn) {
      for (let side = 0; side < 2; side++) {
        for (let off = 0; off < this.span; off++) {
          for (let o = this.lHead[side * this.span + off]; o >= 0; o = this.O[o * 8 + 5]) this.flowRemove(o, side, off + this.base, 0, this.O[o * 8 + 6]);
        }
      }
    }
    if (this.sink !== null) {
      for (let side = 0; side < 2; side++) {
        for (let off = 0; off < this.span; off++) {
          const li = side * this.span + off;
          for (let o = this.lHead[li]; o >= 0; o = this.O[o * 8 + 5]) {
            const size = this.O[o * 8 + 6];
            this.sink.onRemove(side, off + this.base, 0, size, this.nowT - this.oT[o] > this.restNs ? size : 0);
          }
        }
      }
    }
    this.lQty.fill(0);
    this.lCount.fill(0);
    this.lHead.fill(-1);
    this.lTail.fill(-1);
    this.bits[0].fill(0);
    this.bits[1].fill(0);
    this.bestBidOff = this.bestAskOff = -1;
    this.levelCount0 = this.levelCount1 = 0;
    this.index.clear();
    this.used = 0;
    this.freeHead = -1;
    for (let o = this.cap - 1; o >= 0; o--) {
      this.O[o * 8 + 5] = this.freeHead;
      this.freeHead = o;
    }
  }

  private growOrders(n: number): void {
    const old = this.cap;
    const grow = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T, stride: number): T => {
      const b = new C(n * stride);
      b.set(a);
      return b;
    };
    this.O = grow(this.O, Int32Array, 8);
    this.oT = grow(this.oT, Float64Array, 1);
    this.cap = n;
    this.index.K = this.O;
    for (let o = n - 1; o >= old; o--) {
      this.O[o * 8 + 5] = this.freeHead;
      this.freeHead = o;
    }
  }

  // =========================================================================== levels

  /** Make sure an absolute tick has a level slot; false when the price is absurdly far. */
  private ensureTick(tick: number): boolean {
    if (this.span === 0) {
      this.resizeLevels(tick - 8192, 16384);
      return true;
    }
    const off = tick - this.base;
    if (off >= 0 && off < this.span) return true;
    const lo = Math.min(this.base, tick);
    const hi = Math.max(this.base + this.span, tick + 1);
    const need = hi - lo;
    if (need > MAX_TICK_SPAN) {
      this.offTickPrices++;
      return false;
    }
    const span = Math.min(MAX_TICK_SPAN, Math.max(this.span * 2, need + 4096));
    const extra = span - need;
    // Leave room on the side that grew.
    const newBase = tick < this.base ? lo - Math.floor(extra * 0.75) : lo - Math.floor(extra * 0.25);
    this.resizeLevels(newBase, span);
    return true;
  }

  private resizeLevels(newBase: number, newSpan: number): void {
    newSpan = (newSpan + 31) & ~31;
    const oldSpan = this.span;
    const shift = this.base - newBase;
    const q = new Float64Array(2 * newSpan);
    const c = new Int32Array(2 * newSpan);
    const h = new Int32Array(2 * newSpan).fill(-1);
    const t = new Int32Array(2 * newSpan).fill(-1);
    const bits = [new Uint32Array(newSpan >>> 5), new Uint32Array(newSpan >>> 5)];
    for (let side = 0; side < 2; side++) {
      for (let off = 0; off < oldSpan; off++) {
        const li = side * oldSpan + off;
        if (this.lCount[li] === 0) continue;
        const ni = side * newSpan + off + shift;
        q[ni] = this.lQty[li];
        c[ni] = this.lCount[li];
        h[ni] = this.lHead[li];
        t[ni] = this.lTail[li];
        bits[side][(off + shift) >>> 5] |= 1 << ((off + shift) & 31);
      }
    }
    this.lQty = q;
    this.lCount = c;
    this.lHead = h;
    this.lTail = t;
    this.bits = bits;
    if (this.bestBidOff >= 0) this.bestBidOff += shift;
    if (this.bestAskOff >= 0) this.bestAskOff += shift;
    this.base = newBase;
    this.span = newSpan;
  }

  private linkTail(o: number): void {
    const side = this.O[o * 8 + 2];
    const off = this.O[o * 8 + 3] - this.base;
    const li = side * this.span + off;
    const tail = this.lTail[li];
    this.O[o * 8 + 4] = tail;
    this.O[o * 8 + 5] = -1;
    if (tail >= 0) this.O[tail * 8 + 5] = o;
    else this.lHead[li] = o;
    this.lTail[li] = o;
    this.lQty[li] += this.O[o * 8 + 6];
    if (this.lCount[li]++ === 0) {
      this.bits[side][off >>> 5] |= 1 << (off & 31);
      if (side === BID) {
        this.levelCount0++;
        if (off > this.bestBidOff) this.bestBidOff = off;
      } else {
        this.levelCount1++;
        if (this.bestAskOff < 0 || off < this.bestAskOff) this.bestAskOff = off;
      }
    }
  }

  private unlink(o: number): void {
    const side = this.O[o * 8 + 2];
    const off = this.O[o * 8 + 3] - this.base;
    const li = side * this.span + off;
    const p = this.O[o * 8 + 4];
    const n = this.O[o * 8 + 5];
    if (p >= 0) this.O[p * 8 + 5] = n;
    else this.lHead[li] = n;
    if (n >= 0) this.O[n * 8 + 4] = p;
    else this.lTail[li] = p;
    this.lQty[li] -= this.O[o * 8 + 6];
    if (--this.lCount[li] === 0) {
      this.lQty[li] = 0;
      this.bits[side][off >>> 5] &= ~(1 << (off & 31));
      if (side === BID) {
        this.levelCount0--;
        if (off === this.bestBidOff) this.bestBidOff = this.prevSet(BID, off);
      } else {
        this.levelCount1--;
        if (off === this.bestAskOff) this.bestAskOff = this.nextSet(ASK, off);
      }
    }
  }

  /** Highest non-empty offset below off on a side, or -1. */
  private prevSet(side: number, off: number): number {
    return prevSetBit(this.bits[side], off);
  }

  /** Lowest non-empty offset above off on a side, or -1. */
  private nextSet(side: number, off: number): number {
    return nextSetBit(this.bits[side], off, this.span);
  }
}

