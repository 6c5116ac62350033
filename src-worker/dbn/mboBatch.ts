// The decoder's MBO output: a column batch of typed arrays, reused between calls
// (no object and no BigInt per record on the hot path). Consumers read index i < count.
//
// Representation choices (why):
// - u64/i64 values that can exceed 2^53 (timestamps, order ids) are split into exact
//   hi/lo u32 pairs. ts_recv additionally comes pre-split into whole seconds and the
//   nanosecond remainder, because every clock rule (1-s windows, 500 ms rest times) works
//   on those two numbers and they are exact in float64.
// - Prices (i64, 1e-9 units) are exact in float64 up to ±9,007,199 USD, far above any
//   futures or option price; the undefined price (i64::MAX) is NaN.
// - action and side are ASCII codes (see ACTION_* / SIDE_* below).

export interface MboBatch {
  /** Number of valid rows in the arrays below (arrays may be longer: capacity). */
  count: number;
  /** Index of each record in the file's record stream (all rtypes counted), for error messages and ordering. */
  recordIndex: Float64Array;
  publisherId: Uint16Array;
  instrumentId: Uint32Array;
  tsEventHi: Uint32Array;
  tsEventLo: Uint32Array;
  tsRecvHi: Uint32Array;
  tsRecvLo: Uint32Array;
  /** floor(ts_recv / 1e9): whole UTC seconds, exact. */
  tsRecvSec: Float64Array;
  /** ts_recv mod 1e9: nanoseconds within the second. */
  tsRecvNano: Uint32Array;
  orderIdHi: Uint32Array;
  orderIdLo: Uint32Array;
  /** Price in 1e-9 units as float64 (exact for |price| < 2^53); NaN when undefined. */
  price: Float64Array;
  size: Uint32Array;
  flags: Uint8Array;
  channelId: Uint8Array;
  /** ASCII: 'A' add, 'C' cancel, 'M' modify, 'R' clear, 'T' trade, 'F' fill, 'N' none. */
  action: Uint8Array;
  /** ASCII: 'A' ask, 'B' bid, 'N' none. */
  side: Uint8Array;
  tsInDelta: Int32Array;
  sequence: Uint32Array;
}

export const ACTION_ADD = 0x41; // 'A'
export const ACTION_CANCEL = 0x43; // 'C'
export const ACTION_MODIFY = 0x4d; // 'M'
export const ACTION_CLEAR = 0x52; // 'R'
export const ACTION_TRADE = 0x54; // 'T'
export const ACTION_FILL = 0x46; // 'F'
export const ACTION_NONE = 0x4e; // 'N'

export const SIDE_ASK = 0x41; // 'A'
export const SIDE_BID = 0x42; // 'B'
export const SIDE_NONE = 0x4e; // 'N'

export const F_LAST = 0x80;
export const F_TOB = 0x40;
export const F_SNAPSHOT = 0x20;
export const F_MBP = 0x10;
export const F_BAD_TS_RECV = 0x08;
export const F_MAYBE_BAD_BOOK = 0x04;

/** Allocate an empty batch with the given capacity. */
export function createMboBatch(capacity: number): MboBatch {
  return {
    count: 0,
    recordIndex: new Float64Array(capacity),
    publisherId: new Uint16Array(capacity),
    instrumentId: new Uint32Array(capacity),
    tsEventHi: new Uint32Array(capacity),
    tsEventLo: new Uint32Array(capacity),
    tsRecvHi: new Uint32Array(capacity),
    tsRecvLo: new Uint32Array(capacity),
    tsRecvSec: new Float64Array(capacity),
    tsRecvNano: new Uint32Array(capacity),
    orderIdHi: new Uint32Array(capacity),
    orderIdLo: new Uint32Array(capacity),
    price: new Float64Array(capacity),
    size: new Uint32Array(capacity),
    flags: new Uint8Array(capacity),
    channelId: new Uint8Array(capacity),
    action: new Uint8Array(capacity),
    side: new Uint8Array(capacity),
    tsInDelta: new Int32Array(capacity),
    sequence: new Uint32Array(capacity),
  };
}
