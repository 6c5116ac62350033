// A per-order book with sparse price levels (a Map per side), for thin books: an option
// series has a handful of levels, often far apart, and a build holds thousands of them. The
// rules per record are OrderBook's (orderBook.ts applyRecord): same depth, same counts; what
// it leaves out is what only the futures engine needs — queue order and enter times (rest
// ages), the flow target and the fast path.
import { ACTION_ADD, ACTION_CANCEL, ACTION_CLEAR, ACTION_FILL, ACTION_MODIFY, ACTION_TRADE, F_SNAPSHOT, SIDE_ASK, SIDE_BID, type MboBatch } from '../dbn/mboBatch';
import { ASK, BID } from './levelBits';
import type { MboDepth } from './marketDepth';

interface Order {
  side: number;
  tick: number;
  size: number;
}
interface Level {
  qty: number;
  count: number;
}

export class SparseBook implements MboDepth {
  private readonly orders = new Map<string, Order>();
  private readonly levels: [Map<number, Level>, Map<number, Level>] = [new Map(), new Map()];
  private best: [number, number] = [NaN, NaN];
  private inSnapshot = false;
  private lastWasClear = false;
  lastTradePriceInt = NaN;

  constructor(readonly tickInt: number) {}

  get bestBidTick(): number {
    return this.best[BID];
  }
  get bestAskTick(): number {
    return this.best[ASK];
  }
  get orderCount(): number {
    return this.orders.size;
  }
  get bidLevels(): number {
    return this.levels[BID].size;
  }
  get askLevels(): number {
    return this.levels[ASK].size;
  }
  qtyAt(side: number, tick: number): number {
    return this.levels[side].get(tick)?.qty ?? 0;
  }
  countAt(side: number, tick: number): number {
    return this.levels[side].get(tick)?.count ?? 0;
  }
  topLevels(side: number, n: number): Array<[number, number, number]> {
    const ticks = [...this.levels[side].keys()].sort((a, b) => (side === BID ? b - a : a - b)).slice(0, n);
    return ticks.map((t) => {
      const l = this.levels[side].get(t)!;
      return [t, l.qty, l.count];
    });
  }

  clear(): void {
    this.orders.clear();
    this.levels[BID].clear();
    this.levels[ASK].clear();
    this.best = [NaN, NaN];
  }

  apply(b: MboBatch, i: number): void {
    const action = b.action[i];
    if (b.flags[i] & F_SNAPSHOT) {
      if (!this.inSnapshot) {
        this.inSnapshot = true;
        // A snapshot replaces the book; without a leading R, clear what is there first.
        if (action !== ACTION_CLEAR && !this.lastWasClear && this.orders.size > 0) this.clear();
      }
    } else this.inSnapshot = false;
    this.lastWasClear = action === ACTION_CLEAR;
    const key = `${b.orderIdHi[i]}:${b.orderIdLo[i]}`;
    switch (action) {
      case ACTION_ADD: {
        const side = sideOf(b.side[i]);
        const price = b.price[i];
        if (side < 0 || price !== price) return;
        const old = this.orders.get(key);
        if (old) this.remove(key, old);
        this.insert(key, side, Math.round(price / this.tickInt), b.size[i]);
        return;
      }
      case ACTION_CANCEL: {
        const o = this.orders.get(key);
        if (!o) return;
        const removed = Math.min(b.size[i], o.size);
        if (removed >= o.size) this.remove(key, o);
        else if (removed > 0) this.change(o.side, o.tick, -removed, 0), (o.size -= removed);
        return;
      }
      case ACTION_MODIFY: {
        const price = b.price[i];
        const size = b.size[i];
        const o = this.orders.get(key);
        if (!o) {
          const side = sideOf(b.side[i]);
          if (side < 0 || price !== price || size === 0) return;
          this.insert(key, side, Math.round(price / this.tickInt), size);
          return;
        }
        if (size === 0) return this.remove(key, o);
        const tick = price === price ? Math.round(price / this.tickInt) : o.tick;
        if (tick !== o.tick) {
          this.remove(key, o);
          this.insert(key, o.side, tick, size);
        } else if (size !== o.size) {
          this.change(o.side, o.tick, size - o.size, 0);
          o.size = size;
        }
        return;
      }
      case ACTION_TRADE: {
        const p = b.price[i];
        if (p === p) this.lastTradePriceInt = p;
        return;
      }
      case ACTION_CLEAR:
        return this.clear();
      case ACTION_FILL: // pending fill: no depth change until the C/M that follows
      default:
        return;
    }
  }

  private insert(key: string, side: number, tick: number, size: number): void {
    this.orders.set(key, { side, tick, size });
    this.change(side, tick, size, 1);
  }

  private remove(key: string, o: Order): void {
    this.orders.delete(key);
    this.change(o.side, o.tick, -o.size, -1);
  }

  /** Add dq quantity and dc orders at a level; a level without orders goes, the best follows. */
  private change(side: number, tick: number, dq: number, dc: number): void {
    const m = this.levels[side];
    let l = m.get(tick);
    if (!l) {
      l = { qty: 0, count: 0 };
      m.set(tick, l);
      const b = this.best[side];
      if (b !== b || (side === BID ? tick > b : tick < b)) this.best[side] = tick;
    }
    l.qty += dq;
    l.count += dc;
    if (l.count <= 0) {
      m.delete(tick);
      if (tick === this.best[side]) this.best[side] = bestOf(m, side);
    }
  }
}

function sideOf(code: number): number {
  return code === SIDE_BID ? BID : code === SIDE_ASK ? ASK : -1;
}

/** Best price of a side's level map (thin books: a scan of a few keys). */
function bestOf(m: Map<number, Level>, side: number): number {
  let best = NaN;
  for (const t of m.keys()) if (best !== best || (side === BID ? t > best : t < best)) best = t;
  return best;
}
