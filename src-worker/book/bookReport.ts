// A readable snapshot of an OrderBook's state (used by the `book` command and the tests).
import { ASK, BID, type OrderBook } from './orderBook';

export interface BookLevelView {
  price: string;
  size: number;
  orders: number;
}

export interface BookStateView {
  /** Number of MBO records of the instrument applied so far (1-based index of the last one). */
  record: number;
  bestBid: BookLevelView | null;
  bestAsk: BookLevelView | null;
  bidLevels: number;
  askLevels: number;
  restingOrders: number;
  lastTsRecv: string;
  lastSequence: number;
  skipped: Record<string, number>;
  modifyUnknownAdded: number;
  crossed: boolean;
  consistent: boolean;
}

/** Decimal text of a 1e-9 price, without trailing zeros ("4810.25", "4810"). */
export function formatPrice(priceInt: number): string {
  const neg = priceInt < 0;
  const a = Math.abs(priceInt);
  const whole = Math.floor(a / 1e9);
  const frac = String(Math.round(a - whole * 1e9)).padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

function u64Text(hi: number, lo: number): string {
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export function bookState(book: OrderBook, record: number): BookStateView {
  const level = (side: number, tick: number): BookLevelView | null =>
    tick === tick ? { price: formatPrice(tick * book.tickInt), size: book.qtyAt(side, tick), orders: book.countAt(side, tick) } : null;
  const c = book.counters();
  return {
    record,
    bestBid: level(BID, book.bestBidTick),
    bestAsk: level(ASK, book.bestAskTick),
    bidLevels: book.bidLevels,
    askLevels: book.askLevels,
    restingOrders: book.orderCount,
    lastTsRecv: u64Text(book.lastTsRecvHi, book.lastTsRecvLo),
    lastSequence: book.lastSequence,
    skipped: c.skipped,
    modifyUnknownAdded: c.modifyUnknownAdded,
    crossed: book.crossed,
    consistent: book.consistent,
  };
}

export function formatBookState(s: BookStateView): string {
  const lvl = (l: BookLevelView | null) => (l ? `${l.price} (${l.size} lots, ${l.orders} orders)` : 'none');
  const skipped = Object.entries(s.skipped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `after record ${s.record}:`,
    `  best bid ${lvl(s.bestBid)}   best ask ${lvl(s.bestAsk)}`,
    `  levels ${s.bidLevels} bid / ${s.askLevels} ask   resting orders ${s.restingOrders}`,
    `  last ts_recv ${s.lastTsRecv}   sequence ${s.lastSequence}`,
    `  skipped ${skipped || 'none'}   modify-of-unknown added ${s.modifyUnknownAdded}   crossed/locked ${s.crossed}   consistent (F_LAST) ${s.consistent}`,
  ].join('\n');
}
