// The simulator's own order book: a typed-array order pool (slots reused through a free
// list) and per-price-level FIFO queues (doubly linked through the pool), one array per side
// over a fixed window of ticks. Nothing here allocates per order or per event.
//
// It is read through the same MarketDepth interface as the engine's books (book/marketDepth.ts)
// but it is not the engine's OrderBook, and why: this book *is* the matching engine that
// invents the orders, the engine's book rebuilds depth from MBO records someone else wrote.
// - The simulator addresses orders by pool slot with a generation count (agents keep handles
//   to their pieces across events; a reused slot must not be mistaken for the old order),
//   not by venue order id through a hash index as the engine must;
// - it walks a level's queue front to back to match a marketable order (head/next), and
//   keeps per-order model state (kind, aux, birth time) the engine never sees;
// - its levels are relative to a fixed window (baseTick) chosen at the start of the day, so
//   the hot paths index levels directly and never grow or rebase.
// The engine's book applies the simulator's records to the same depth (simBook.test.ts).
import { ASK, BID } from '../book/levelBits';
import type { MarketDepth } from '../book/marketDepth';

export { ASK, BID };

export class SimBook implements MarketDepth {
  /** Number of price levels in the window; level i is absolute tick baseTick + i. */
  readonly nLevels: number;
  readonly baseTick: number;
  /** Price of one tick in 1e-9 units (MarketDepth: absolute tick × tickInt = price). */
  readonly tickInt: number;

  // order pool
  cap: number;
  oid: Float64Array;
  lvl: Int32Array;
  sz: Int32Array;
  side: Uint8Array;
  prev: Int32Array;
  next: Int32Array;
  gen: Int32Array;
  kind: Uint8Array;
  aux: Int32Array;
  live: Uint8Array;
  bornNs: Float64Array;
  private free: Int32Array;
  private nFree = 0;
  liveCount = 0;

  // levels: index side * nLevels + level
  head: Int32Array;
  tail: Int32Array;
  qty: Float64Array;
  cnt: Int32Array;

  bestBid = -1;
  bestAsk = -1;

  constructor(nLevels: number, baseTick: number, tickInt: number, cap = 1 << 16) {
    this.nLevels = nLevels;
    this.baseTick = baseTick;
    this.tickInt = tickInt;
    this.cap = 0;
    this.oid = new Float64Array(0);
    this.lvl = new Int32Array(0);
    this.sz = new Int32Array(0);
    this.side = new Uint8Array(0);
    this.prev = new Int32Array(0);
    this.next = new Int32Array(0);
    this.gen = new Int32Array(0);
    this.kind = new Uint8Array(0);
    this.aux = new Int32Array(0);
    this.live = new Uint8Array(0);
    this.bornNs = new Float64Array(0);
    this.free = new Int32Array(0);
    this.grow(cap);
    this.head = new Int32Array(2 * nLevels).fill(-1);
    this.tail = new Int32Array(2 * nLevels).fill(-1);
    this.qty = new Float64Array(2 * nLevels);
    this.cnt = new Int32Array(2 * nLevels);
  }

  private grow(newCap: number): void {
    const old = this.cap;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(newCap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(newCap);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(newCap);
      b.set(a);
      return b;
    };
    this.oid = f64(this.oid);
    this.lvl = i32(this.lvl);
    this.sz = i32(this.sz);
    this.side = u8(this.side);
    this.prev = i32(this.prev);
    this.next = i32(this.next);
    this.gen = i32(this.gen);
    this.kind = u8(this.kind);
    this.aux = i32(this.aux);
    this.live = u8(this.live);
    this.bornNs = f64(this.bornNs);
    const fr = new Int32Array(newCap);
    fr.set(this.free.subarray(0, this.nFree));
    // new slots are handed out lowest first
    for (let s = newCap - 1; s >= old; s--) fr[this.nFree++] = s;
    this.free = fr;
    this.cap = newCap;
  }

  /** Allocates a slot and appends the order to the back of its level's queue. */
  add(side: number, level: number, size: number, oid: number, kind: number, nowNs: number): number {
    if (this.nFree === 0) this.grow(this.cap * 2);
    const s = this.free[--this.nFree];
    this.oid[s] = oid;
    this.lvl[s] = level;
    this.sz[s] = size;
    this.side[s] = side;
    this.kind[s] = kind;
    this.aux[s] = 0;
    this.live[s] = 1;
    this.bornNs[s] = nowNs;
    this.gen[s] = (this.gen[s] + 1) | 0;
    this.liveCount++;
    this.link(s);
    if (side === BID) {
      if (level > this.bestBid) this.bestBid = level;
    } else if (this.bestAsk < 0 || level < this.bestAsk) this.bestAsk = level;
    return s;
  }

  private link(s: number): void {
    const li = this.side[s] * this.nLevels + this.lvl[s];
    const t = this.tail[li];
    this.prev[s] = t;
    this.next[s] = -1;
    if (t >= 0) this.next[t] = s;
    else this.head[li] = s;
    this.tail[li] = s;
    this.qty[li] += this.sz[s];
    this.cnt[li]++;
  }

  private unlink(s: number): void {
    const li = this.side[s] * this.nLevels + this.lvl[s];
    const p = this.prev[s];
    const n = this.next[s];
    if (p >= 0) this.next[p] = n;
    else this.head[li] = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail[li] = p;
    this.qty[li] -= this.sz[s];
    this.cnt[li]--;
  }

  /** Removes an order completely (cancel or full fill) and repairs the best price. */
  remove(s: number): void {
    this.unlink(s);
    this.live[s] = 0;
    this.gen[s] = (this.gen[s] + 1) | 0;
    this.free[this.nFree++] = s;
    this.liveCount--;
    this.repairBest(this.side[s], this.lvl[s]);
  }

  /** Size decrease keeps queue priority. */
  reduce(s: number, newSize: number): void {
    const li = this.side[s] * this.nLevels + this.lvl[s];
    this.qty[li] += newSize - this.sz[s];
    this.sz[s] = newSize;
  }

  /** Price change or size increase: the order goes to the back of the (new) level's queue. */
  requeue(s: number, newLevel: number, newSize: number): void {
    const side = this.side[s];
    const oldLevel = this.lvl[s];
    this.unlink(s);
    this.lvl[s] = newLevel;
    this.sz[s] = newSize;
    this.link(s);
    if (side === BID) {
      if (newLevel > this.bestBid) this.bestBid = newLevel;
    } else if (newLevel < this.bestAsk) this.bestAsk = newLevel;
    if (oldLevel !== newLevel) this.repairBest(side, oldLevel);
  }

  private repairBest(side: number, level: number): void {
    const L = this.nLevels;
    if (side === BID) {
      if (level !== this.bestBid || this.cnt[level] > 0) return;
      let i = level - 1;
      while (i >= 0 && this.cnt[i] === 0) i--;
      this.bestBid = i;
    } else {
      if (level !== this.bestAsk || this.cnt[L + level] > 0) return;
      let i = level + 1;
      while (i < L && this.cnt[L + i] === 0) i++;
      this.bestAsk = i < L ? i : -1;
    }
  }

  levelQty(side: number, level: number): number {
    return this.qty[side * this.nLevels + level];
  }

  levelCount(side: number, level: number): number {
    return this.cnt[side * this.nLevels + level];
  }

  levelHead(side: number, level: number): number {
    return this.head[side * this.nLevels + level];
  }

  levelTail(side: number, level: number): number {
    return this.tail[side * this.nLevels + level];
  }

  // ------------------------------------------------ MarketDepth (absolute ticks; not hot paths)

  get bestBidTick(): number {
    return this.bestBid < 0 ? NaN : this.bestBid + this.baseTick;
  }
  get bestAskTick(): number {
    return this.bestAsk < 0 ? NaN : this.bestAsk + this.baseTick;
  }
  get orderCount(): number {
    return this.liveCount;
  }
  // Counted by a scan when asked: keeping a counter would add a branch to every link/unlink
  // of the simulator's hot path for a figure only reports and tests read.
  get bidLevels(): number {
    return this.nonEmpty(BID);
  }
  get askLevels(): number {
    return this.nonEmpty(ASK);
  }
  qtyAt(side: number, tick: number): number {
    const level = tick - this.baseTick;
    return level < 0 || level >= this.nLevels ? 0 : this.qty[side * this.nLevels + level];
  }
  countAt(side: number, tick: number): number {
    const level = tick - this.baseTick;
    return level < 0 || level >= this.nLevels ? 0 : this.cnt[side * this.nLevels + level];
  }
  topLevels(side: number, n: number): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    const L = this.nLevels;
    const best = side === BID ? this.bestBid : this.bestAsk;
    if (best < 0) return out;
    const step = side === BID ? -1 : 1;
    for (let level = best; level >= 0 && level < L && out.length < n; level += step) {
      const li = side * L + level;
      if (this.cnt[li] > 0) out.push([level + this.baseTick, this.qty[li], this.cnt[li]]);
    }
    return out;
  }

  private nonEmpty(side: number): number {
    let n = 0;
    for (let li = side * this.nLevels, end = li + this.nLevels; li < end; li++) if (this.cnt[li] > 0) n++;
    return n;
  }
}
