// UTC nanosecond timestamps (> 2^53) split into exact u32 hi/lo pairs without BigInt, from
// whole seconds (exact in float64) and the nanosecond remainder.

/** Scratch output of splitNs (one object, reused: no allocation on the hot path). */
export const nsOut = { hi: 0, lo: 0 };

/** Writes hi/lo of `sec * 1e9 + nano` into nsOut. sec < 2^32, 0 ≤ nano < 1e9. */
export function splitNs(sec: number, nano: number): void {
  const secLo = sec % 65536;
  const secHi = (sec - secLo) / 65536;
  const p1 = secLo * 1e9 + nano; // < 2^16·1e9 + 1e9: exact
  const p2 = secHi * 1e9; // the value of p2 · 2^16
  const p2lo = p2 % 65536;
  const p2hi = (p2 - p2lo) / 65536;
  const x = p2lo * 65536 + p1; // < 2^32 + 2^46: exact
  const xLo = x % 4294967296;
  nsOut.lo = xLo;
  nsOut.hi = p2hi + (x - xLo) / 4294967296;
}

/** Decimal string of the u64 given as hi/lo (for summaries and metadata; not hot). */
export function u64String(hi: number, lo: number): string {
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** UTC ns (as BigInt) of whole seconds plus a nanosecond remainder. */
export function nsBig(sec: number, nano: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nano);
}
