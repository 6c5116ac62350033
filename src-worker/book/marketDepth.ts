// What a consumer of a book reads: its depth per price level (hftbacktest `MarketDepth`).
// Two implementations behind it:
// - OrderBook (orderBook.ts): dense level arrays over a tick range and a per-side bitset —
//   the futures book, where every window reads a ±200-tick ladder around spot and the hot
//   loop (fastPath.ts) indexes levels directly;
// - SparseBook (sparseBook.ts): levels in a map — the thin books of option series (a few
//   levels each, prices far apart, thousands of books in one build), where dense arrays
//   would waste memory per book.
// Both apply MBO records with the same per-order rules (A/C/M/F/R/T, snapshots, unknown ids)
// and give the same depth (sparseBook.test.ts on the real ESH4 records).
// A third implements MarketDepth but not MboDepth: the simulator's SimBook (sim/simBook.ts),
// the matching book that writes MBO records rather than reading them; fed its records, the
// dense OrderBook reports its depth (sim/simBook.test.ts).
import type { MboBatch } from '../dbn/mboBatch';

export interface MarketDepth {
  readonly tickInt: number;
  /** Absolute ticks (price / tickInt); NaN when the side is empty. */
  readonly bestBidTick: number;
  readonly bestAskTick: number;
  readonly orderCount: number;
  readonly bidLevels: number;
  readonly askLevels: number;
  /** Resting quantity at (side 0 bid / 1 ask, absolute tick); 0 when none. */
  qtyAt(side: number, tick: number): number;
  /** Orders resting at (side, tick). */
  countAt(side: number, tick: number): number;
  /** The best n levels of a side, best first: [tick, qty, order count]. */
  topLevels(side: number, n: number): Array<[number, number, number]>;
}

/** A depth that rebuilds itself from MBO records (one instrument; the caller filters). */
export interface MboDepth extends MarketDepth {
  apply(b: MboBatch, i: number): void;
  clear(): void;
}
