// Sides and the per-side level bitsets of the order book (orderBook.ts, fastPath.ts): the
// next best price after a level empties is found 32 ticks per step.
export const BID = 0;
export const ASK = 1;

/** Highest set bit below off in a level bitset, or -1. */
export function prevSetBit(bits: Uint32Array, off: number): number {
  if (off <= 0) return -1;
  let w = (off - 1) >>> 5;
  const b = (off - 1) & 31;
  let m = bits[w] & (b === 31 ? 0xffffffff : (1 << (b + 1)) - 1);
  while (m === 0) {
    if (--w < 0) return -1;
    m = bits[w];
  }
  return (w << 5) + 31 - Math.clz32(m);
}

/** Lowest set bit above off in a level bitset of `span` bits, or -1. */
export function nextSetBit(bits: Uint32Array, off: number, span: number): number {
  const start = off + 1;
  if (start >= span) return -1;
  let w = start >>> 5;
  let m = bits[w] & (0xffffffff << (start & 31));
  while (m === 0) {
    if (++w >= bits.length) return -1;
    m = bits[w];
  }
  return (w << 5) + 31 - Math.clz32(m & -m);
}
