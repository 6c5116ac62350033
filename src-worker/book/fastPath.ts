// The order book's hot loop (OrderBook.applyRange → runFast), in a file of its own so the
// book's reference rules (orderBook.ts applyRecord) and this inlined copy of their common
// cases can be read apart. Bit-identical to applyRecord on every record it takes
// (fastPath.test.ts); anything uncommon stops the loop and is handed back.
//
// It works on the book's fields directly (FastBookState is the OrderBook instance itself,
// typed by the fields this loop reads and writes): the state is read into locals once per
// run and written back at the end, exactly as when it was a method.
import {
  ACTION_ADD,
  ACTION_CANCEL,
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
import { ASK, BID, nextSetBit, prevSetBit } from './levelBits';
import { OrderIndex } from './orderIndex';

/** The OrderBook fields the fast loop uses (the instance is passed as this type). */
export interface FastBookState {
  O: Int32Array;
  actionCounts: Float64Array;
  base: number;
  baseSec: number;
  bestAskOff: number;
  bestBidOff: number;
  bits: Uint32Array[];
  consistent: boolean;
  crossed: boolean;
  crossedEvents: number;
  fAdd: Float64Array;
  fFill: Float64Array;
  fPull: Float64Array;
  fRest: Float64Array;
  flowLo: number;
  flowOn: boolean;
  flowW: number;
  freeHead: number;
  inSnapshot: boolean;
  index: OrderIndex;
  lCount: Int32Array;
  lHead: Int32Array;
  lQty: Float64Array;
  lTail: Int32Array;
  lastFlags: number;
  lastTradePriceInt: number;
  lastWasClear: boolean;
  levelCount0: number;
  levelCount1: number;
  maybeBadBook: number;
  nowT: number;
  oT: Float64Array;
  records: number;
  restNs: number;
  span: number;
  tickInt: number;
  tsMonotonic: boolean;
  used: number;
}

/**
 * The fast loop of applyRange: applies records of `iid` from `from` while they take a common
 * path and returns the index of the first one that does not (not applied), or `to`.
 * Every typed array is a const local for the whole loop: nothing in it can replace one.
 */
export function runFast(bk: FastBookState, b: MboBatch, from: number, to: number, iid: number): number {
  const iidCol = b.instrumentId;
  const secCol = b.tsRecvSec;
  const nanoCol = b.tsRecvNano;
  const actCol = b.action;
  const flagsCol = b.flags;
  const hiCol = b.orderIdHi;
  const loCol = b.orderIdLo;
  const priceCol = b.price;
  const sizeCol = b.size;
  const sideCol = b.side;
  const tickInt = bk.tickInt;
  const restNs = bk.restNs;
  const baseSec = bk.baseSec;
  const actionCounts = bk.actionCounts;
  const index = bk.index;
  // Flow target (not changed by applyRecord).
  const flowOn = bk.flowOn;
  const flowLo = bk.flowLo;
  const flowW = bk.flowW;
  const fAdd = bk.fAdd;
  const fPull = bk.fPull;
  const fRest = bk.fRest;
  const fFill = bk.fFill;
  // Book state (read fresh at every entry: applyRecord may have grown or changed it).
  const O = bk.O;
  const oT = bk.oT;
  const T = index.table;
  const mask = index.mask;
  let idxSize = index.size;
  const lQty = bk.lQty;
  const lCount = bk.lCount;
  const lHead = bk.lHead;
  const lTail = bk.lTail;
  const bits0 = bk.bits[0];
  const bits1 = bk.bits[1];
  const base = bk.base;
  const span = bk.span;
  let bestBid = bk.bestBidOff;
  let bestAsk = bk.bestAskOff;
  let lc0 = bk.levelCount0;
  let lc1 = bk.levelCount1;
  let used = bk.used;
  let freeHead = bk.freeHead;
  let nowT = bk.nowT;
  let mono = bk.tsMonotonic;
  let records = bk.records;
  let lastTrade = bk.lastTradePriceInt;
  let maybeBad = bk.maybeBadBook;
  let crossedEvents = bk.crossedEvents;
  let lastFlags = bk.lastFlags;
  let consistent = bk.consistent;
  let crossed = bk.crossed;
  let inSnapshot = bk.inSnapshot;
  let lastWasClear = bk.lastWasClear;

  let i = from;
  for (; i < to; i++) {
    if (iidCol[i] !== iid) continue;
    const t = (secCol[i] - baseSec) * 1e9 + nanoCol[i];
    // Same clock rule as applyRecord (idempotent, so a hand-over may apply it again).
    if (t < nowT) mono = false;
    else nowT = t;
    const action = actCol[i];
    const flags = flagsCol[i];
    let ok = (flags & F_SNAPSHOT) === 0;
    if (ok) {
      if (action === ACTION_TRADE) {
        const p = priceCol[i];
        if (p === p) lastTrade = p;
      } else if (action === ACTION_ADD || action === ACTION_CANCEL || action === ACTION_MODIFY || action === ACTION_FILL) {
        // ---- find the order: o = slot or -1, fp = its bucket ----
        const h = hiCol[i] | 0;
        const l = loCol[i] | 0;
        const hv = OrderIndex.hash(h, l);
        let fp = hv & mask;
        let o = -1;
        for (;;) {
          const s = T[2 * fp];
          if (s === 0) break;
          if (T[2 * fp + 1] === hv) {
            const r = (s - 1) << 3;
            if (O[r + 1] === l && O[r] === h) {
              o = s - 1;
              break;
            }
          }
          fp = (fp + 1) & mask;
        }
        if (action === ACTION_ADD) {
          const sc = sideCol[i];
          const side = sc === SIDE_BID ? BID : sc === SIDE_ASK ? ASK : -1;
          const price = priceCol[i];
          const q = price / tickInt;
          const tick = Math.round(q);
          const off = tick - base;
          // Fast only for a new id with a side, an exact on-tick price inside the level arrays, a free slot and index room.
          ok = o < 0 && side >= 0 && tick === q && off >= 0 && off < span && freeHead >= 0 && (idxSize + 1) * 2 <= mask + 1;
          if (ok) {
            const size = sizeCol[i];
            const n = freeHead;
            const r = n << 3;
            freeHead = O[r + 5];
            O[r] = h;
            O[r + 1] = l;
            O[r + 2] = side;
            O[r + 3] = tick;
            O[r + 6] = size;
            O[r + 7] = 0;
            oT[n] = nowT;
            // Index: the probe for this id ended at its first empty bucket, fp.
            T[2 * fp] = n + 1;
            T[2 * fp + 1] = hv;
            idxSize++;
            used++;
            // Link at the level's tail.
            const li = side * span + off;
            const tail = lTail[li];
            O[r + 4] = tail;
            O[r + 5] = -1;
            if (tail >= 0) O[(tail << 3) + 5] = n;
            else lHead[li] = n;
            lTail[li] = n;
            lQty[li] += size;
            if (lCount[li]++ === 0) {
              if (side === BID) {
                bits0[off >>> 5] |= 1 << (off & 31);
                lc0++;
                if (off > bestBid) bestBid = off;
              } else {
                bits1[off >>> 5] |= 1 << (off & 31);
                lc1++;
                if (bestAsk < 0 || off < bestAsk) bestAsk = off;
              }
            }
            if (flowOn) {
              const j = tick - flowLo;
              if (j >= 0 && j < flowW) fAdd[side * flowW + j] += size;
            }
          }
        } else if (o < 0) ok = false;
        else {
          const r = o << 3;
          const side = O[r + 2];
          const tick = O[r + 3];
          const oldSize = O[r + 6];
          // What happens to the order: 0 none (fill mark), 1 remove whole, 2 reduce by `red`,
          // 3 move to the back at `newTick` with `newSize` (price change or size increase).
          let op = 0;
          let red = 0;
          let newTick = tick;
          let newSize = 0;
          if (action === ACTION_CANCEL) {
            const cs = sizeCol[i];
            const removed = cs < oldSize ? cs : oldSize;
            if (removed >= oldSize) op = 1;
            else if (removed > 0) {
              op = 2;
              red = removed;
            }
          } else if (action === ACTION_MODIFY) {
            newSize = sizeCol[i];
            const price = priceCol[i];
            if (newSize === 0) op = 1;
            else {
              if (price === price) {
                const q = price / tickInt;
                newTick = Math.round(q);
                if (newTick !== q) ok = false; // off-tick: counted by applyRecord
                else if (newTick !== tick && !(newTick - base >= 0 && newTick - base < span)) ok = false; // needs the level arrays grown
              }
              if (newTick !== tick || newSize > oldSize) op = 3;
              else if (newSize < oldSize) {
                op = 2;
                red = oldSize - newSize;
              }
            }
          } else {
            // Fill: marks quantity as pending when at the order's resting price.
            const p = priceCol[i];
            const q = p / tickInt;
            if (p === p && Math.round(q) === q && q === tick) {
              const pend = O[r + 7] + sizeCol[i];
              O[r + 7] = oldSize < pend ? oldSize : pend;
            } else ok = false; // not at the order's price (or off-tick): counted by applyRecord
          }
          if (ok && op !== 0) {
            const off = tick - base;
            const li = side * span + off;
            // Flow attribution of the removal (fill from the pending mark, the rest pull).
            let fill = 0;
            let pull = 0;
            if (op === 1) {
              const pend = O[r + 7];
              fill = pend < oldSize ? pend : oldSize;
              pull = oldSize - fill;
            } else if (op === 2) {
              const pend = O[r + 7];
              fill = red < pend ? red : pend;
              pull = red - fill;
              O[r + 7] = pend - fill;
              O[r + 6] = oldSize - red;
              lQty[li] -= red;
            } else if (newTick !== tick) {
              const dec = oldSize > newSize ? oldSize - newSize : 0;
              const pend = O[r + 7];
              fill = dec < pend ? dec : pend;
              pull = oldSize - fill;
            }
            if (flowOn && op !== 3 || flowOn && newTick !== tick) {
              const j = tick - flowLo;
              if (j >= 0 && j < flowW) {
                const c = side * flowW + j;
                fFill[c] += fill;
                fPull[c] += pull;
                if (pull > 0 && nowT - oT[o] > restNs) fRest[c] += pull;
              }
            }
            if (op !== 2) {
              // Unlink from the level's queue.
              const pv = O[r + 4];
              const nx = O[r + 5];
              if (pv >= 0) O[(pv << 3) + 5] = nx;
              else lHead[li] = nx;
              if (nx >= 0) O[(nx << 3) + 4] = pv;
              else lTail[li] = pv;
              lQty[li] -= oldSize;
              if (--lCount[li] === 0) {
                lQty[li] = 0;
                if (side === BID) {
                  bits0[off >>> 5] &= ~(1 << (off & 31));
                  lc0--;
                  if (off === bestBid) bestBid = prevSetBit(bits0, off);
                } else {
                  bits1[off >>> 5] &= ~(1 << (off & 31));
                  lc1--;
                  if (off === bestAsk) bestAsk = nextSetBit(bits1, off, span);
                }
              }
              if (op === 1) {
                // Index removal at the bucket the lookup found (backward shift, as OrderIndex.remove).
                let hole = fp;
                let j = hole;
                for (;;) {
                  j = (j + 1) & mask;
                  const s = T[2 * j];
                  if (s === 0) break;
                  const k = T[2 * j + 1] & mask;
                  const inside = hole <= j ? k > hole && k <= j : k > hole || k <= j;
                  if (!inside) {
                    T[2 * hole] = s;
                    T[2 * hole + 1] = T[2 * j + 1];
                    hole = j;
                  }
                }
                T[2 * hole] = 0;
                idxSize--;
                O[r + 5] = freeHead;
                freeHead = o;
                used--;
              } else {
                // op 3: new size (and price), loses priority: back of the (new) level's queue.
                const inc = newSize - oldSize;
                if (newTick !== tick) {
                  O[r + 7] = 0;
                  O[r + 3] = newTick;
                }
                O[r + 6] = newSize;
                oT[o] = nowT;
                const noff = newTick - base;
                const nli = side * span + noff;
                const tail = lTail[nli];
                O[r + 4] = tail;
                O[r + 5] = -1;
                if (tail >= 0) O[(tail << 3) + 5] = o;
                else lHead[nli] = o;
                lTail[nli] = o;
                lQty[nli] += newSize;
                if (lCount[nli]++ === 0) {
                  if (side === BID) {
                    bits0[noff >>> 5] |= 1 << (noff & 31);
                    lc0++;
                    if (noff > bestBid) bestBid = noff;
                  } else {
                    bits1[noff >>> 5] |= 1 << (noff & 31);
                    lc1++;
                    if (bestAsk < 0 || noff < bestAsk) bestAsk = noff;
                  }
                }
                if (flowOn) {
                  const j = newTick - flowLo;
                  if (j >= 0 && j < flowW) fAdd[side * flowW + j] += newTick !== tick ? newSize : inc;
                }
              }
            }
          }
        }
      } else if (action !== ACTION_NONE) ok = false; // R and unknown actions
    }
    if (ok) {
      records++;
      actionCounts[action]++;
      inSnapshot = false;
      lastWasClear = false;
      if (flags & F_MAYBE_BAD_BOOK) maybeBad++;
      lastFlags = flags;
      consistent = (flags & F_LAST) !== 0;
      if (consistent) {
        crossed = bestBid >= 0 && bestAsk >= 0 && bestBid >= bestAsk;
        if (crossed) crossedEvents++;
      }
      continue;
    }
    // Uncommon: stop here; applyRange hands this record to applyRecord.
    break;
  }
  bk.bestBidOff = bestBid;
  bk.bestAskOff = bestAsk;
  bk.levelCount0 = lc0;
  bk.levelCount1 = lc1;
  bk.used = used;
  bk.freeHead = freeHead;
  bk.nowT = nowT;
  bk.tsMonotonic = mono;
  bk.records = records;
  bk.lastTradePriceInt = lastTrade;
  bk.maybeBadBook = maybeBad;
  bk.crossedEvents = crossedEvents;
  bk.lastFlags = lastFlags;
  bk.consistent = consistent;
  bk.crossed = crossed;
  bk.inSnapshot = inSnapshot;
  bk.lastWasClear = lastWasClear;
  index.size = idxSize;
  return i;
}
