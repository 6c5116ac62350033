// An independent replay of an MBO record stream that checks the conventions the simulator
// promises (and real Databento CME files follow). It shares no code with the generator: a
// plain Map-based book per instrument, built from Databento's book rules.
//   - every C / M / F refers to a live order; C and F never exceed the order's size
//   - sizes are positive (A, M), prices defined for A/C/M/T/F
//   - the book is never crossed (or locked) after a record with F_LAST
//   - ts_recv never decreases; ts_event ≤ ts_recv
//   - a trade event is T (aggressor side), then F on the opposite (resting) side at the same
//     price, and every filled quantity is removed by a C or M of the same order in the same event
//   - snapshot records carry F_SNAPSHOT|F_BAD_TS_RECV and end with F_LAST
import type { MboBatch } from '../dbn/mboBatch';

export interface ReplayReport {
  records: number;
  events: number;
  trades: number;
  instruments: number;
  violations: string[];
  /** Per instrument at the end: resting orders, best bid/ask (1e-9 units, NaN if empty). */
  books: Map<number, { orders: number; bestBid: number; bestAsk: number }>;
}

interface Book {
  orders: Map<number, { price: number; size: number; bid: boolean }>;
  bids: Map<number, number>;
  asks: Map<number, number>;
  /** Cached best prices; NaN = must be recomputed (a best level emptied). */
  bb: number;
  ba: number;
}

function newBook(): Book {
  return { orders: new Map(), bids: new Map(), asks: new Map(), bb: NaN, ba: NaN };
}

function best(levels: Map<number, number>, bid: boolean): number {
  let b = NaN;
  for (const p of levels.keys()) if (b !== b || (bid ? p > b : p < b)) b = p;
  return b;
}

function levelAdd(book: Book, bid: boolean, price: number, q: number): void {
  const levels = bid ? book.bids : book.asks;
  const v = (levels.get(price) ?? 0) + q;
  if (v === 0) {
    levels.delete(price);
    if (bid && price === book.bb) book.bb = NaN;
    if (!bid && price === book.ba) book.ba = NaN;
  } else {
    levels.set(price, v);
    if (q > 0) {
      if (bid && book.bb === book.bb && price > book.bb) book.bb = price;
      if (!bid && book.ba === book.ba && price < book.ba) book.ba = price;
    }
  }
}

function bestBid(book: Book): number {
  if (book.bb !== book.bb) book.bb = best(book.bids, true);
  return book.bb;
}
function bestAsk(book: Book): number {
  if (book.ba !== book.ba) book.ba = best(book.asks, false);
  return book.ba;
}

export class ReplayChecker {
  private books = new Map<number, Book>();
  private lastRecv = -1;
  private records = 0;
  private events = 0;
  private trades = 0;
  private readonly violations: string[] = [];
  // per-event state for trade structure
  private evFills = new Map<number, number>();
  private evRemoved = new Map<number, number>();
  private evTradeSide = 0;
  private evTradePrice = NaN;
  private evInSnapshot = false;

  constructor(private readonly maxViolations = 20) {}

  private fail(msg: string): void {
    if (this.violations.length < this.maxViolations) this.violations.push(msg);
  }

  private book(iid: number): Book {
    let b = this.books.get(iid);
    if (!b) {
      b = newBook();
      this.books.set(iid, b);
    }
    return b;
  }

  push(b: MboBatch): void {
    for (let i = 0; i < b.count; i++) this.one(b, i);
  }

  private one(b: MboBatch, i: number): void {
    const at = `record ${this.records}`;
    this.records++;
    const recv = b.tsRecvSec[i] * 1e9 + b.tsRecvNano[i]; // float: fine for ordering at µs scale
    const recvHi = b.tsRecvHi[i];
    const recvLo = b.tsRecvLo[i];
    const evtHi = b.tsEventHi[i];
    const evtLo = b.tsEventLo[i];
    if (evtHi > recvHi || (evtHi === recvHi && evtLo > recvLo)) this.fail(`${at}: ts_event after ts_recv`);
    if (recv < this.lastRecv) this.fail(`${at}: ts_recv decreased`);
    this.lastRecv = recv;
    const flags = b.flags[i];
    const snapshot = (flags & 0x20) !== 0;
    if (snapshot && (flags & 0x08) === 0) this.fail(`${at}: snapshot record without F_BAD_TS_RECV`);
    this.evInSnapshot = snapshot;
    const action = b.action[i];
    const side = b.side[i];
    const price = b.price[i];
    const size = b.size[i];
    const oid = b.orderIdHi[i] * 4294967296 + b.orderIdLo[i];
    const iid = b.instrumentId[i];
    const book = this.book(iid);
    if (action !== 0x52 && price !== price) this.fail(`${at}: undefined price on ${String.fromCharCode(action)}`);
    switch (action) {
      case 0x41: {
        // A
        if (size <= 0) this.fail(`${at}: add with size ${size}`);
        if (book.orders.has(oid)) this.fail(`${at}: add of an order id already live (${oid})`);
        if (side !== 0x42 && side !== 0x41) this.fail(`${at}: add without a side`);
        const bid = side === 0x42;
        book.orders.set(oid, { price, size, bid });
        levelAdd(book, bid, price, size);
        break;
      }
      case 0x43: {
        // C
        const o = book.orders.get(oid);
        if (!o) {
          this.fail(`${at}: cancel of unknown order ${oid}`);
          break;
        }
        if (size > o.size || size <= 0) this.fail(`${at}: cancel of ${size} from an order of ${o.size}`);
        if (o.price !== price) this.fail(`${at}: cancel at a price other than the order's`);
        const q = Math.min(size, o.size);
        levelAdd(book, o.bid, o.price, -q);
        o.size -= q;
        if (o.size === 0) book.orders.delete(oid);
        this.evRemoved.set(oid, (this.evRemoved.get(oid) ?? 0) + q);
        break;
      }
      case 0x4d: {
        // M
        const o = book.orders.get(oid);
        if (!o) {
          this.fail(`${at}: modify of unknown order ${oid}`);
          break;
        }
        if (size <= 0) this.fail(`${at}: modify to size ${size}`);
        if ((side === 0x42) !== o.bid) this.fail(`${at}: modify changes the side`);
        levelAdd(book, o.bid, o.price, -o.size);
        if (price === o.price && size < o.size) this.evRemoved.set(oid, (this.evRemoved.get(oid) ?? 0) + (o.size - size));
        o.price = price;
        o.size = size;
        levelAdd(book, o.bid, price, size);
        break;
      }
      case 0x54: {
        // T
        if (size <= 0) this.fail(`${at}: trade of size ${size}`);
        if (side !== 0x41 && side !== 0x42) this.fail(`${at}: trade without an aggressor side`);
        this.evTradeSide = side;
        this.evTradePrice = price;
        this.trades++;
        break;
      }
      case 0x46: {
        // F
        const o = book.orders.get(oid);
        if (!o) {
          this.fail(`${at}: fill of unknown order ${oid}`);
          break;
        }
        const pending = this.evFills.get(oid) ?? 0;
        if (size <= 0 || pending + size > o.size) this.fail(`${at}: fill of ${size} (+${pending} pending) on an order of ${o.size}`);
        if (o.price !== price) this.fail(`${at}: fill at a price other than the order's`);
        if (this.evTradeSide === 0) this.fail(`${at}: fill without a preceding trade`);
        else if (this.evTradeSide === side) this.fail(`${at}: fill on the aggressor's side`);
        if (price !== this.evTradePrice) this.fail(`${at}: fill price differs from the trade price`);
        this.evFills.set(oid, pending + size);
        break;
      }
      case 0x52: {
        book.orders.clear();
        book.bids.clear();
        book.asks.clear();
        book.bb = NaN;
        book.ba = NaN;
        break;
      }
      default:
        this.fail(`${at}: unexpected action ${action}`);
    }
    if (flags & 0x80) {
      this.events++;
      // every fill of the event has been taken off the book by a C or M
      for (const [o, q] of this.evFills) {
        const rem = this.evRemoved.get(o) ?? 0;
        if (rem < q) this.fail(`${at}: order ${o} filled ${q} but only ${rem} removed in the event`);
      }
      this.evFills.clear();
      this.evRemoved.clear();
      this.evTradeSide = 0;
      this.evTradePrice = NaN;
      const bb = bestBid(book);
      const ba = bestAsk(book);
      if (bb === bb && ba === ba && bb >= ba) this.fail(`${at}: book crossed or locked after F_LAST (${bb / 1e9} ≥ ${ba / 1e9}, instrument ${iid})`);
    }
  }

  finish(): ReplayReport {
    if (this.evFills.size > 0 || this.evTradeSide !== 0) this.fail('the stream ends inside an exchange event (no F_LAST)');
    const books = new Map<number, { orders: number; bestBid: number; bestAsk: number }>();
    for (const [iid, b] of this.books) books.set(iid, { orders: b.orders.size, bestBid: best(b.bids, true), bestAsk: best(b.asks, false) });
    return { records: this.records, events: this.events, trades: this.trades, instruments: this.books.size, violations: this.violations, books };
  }
}
