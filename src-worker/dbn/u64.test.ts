// The u64 helpers must be exact for every u64 — checked against BigInt on edge cases and a
// deterministic pseudo-random sweep (timestamps near 2^64, order ids, negative prices).
import { describe, expect, it } from 'vitest';
import {
  bigintToHiLo,
  decimalToU64,
  hiLoToBigInt,
  hiLoToSecNano,
  i64ToDecimal,
  priceToHiLo,
  secNanoToDecimal,
  secNanoToHiLo,
  u64ToDecimal,
  numberToHiLo,
} from './u64';

/** xorshift64* — deterministic values spread over the whole u64 range. */
function* u64Samples(n: number): Generator<bigint> {
  let x = 0x9e3779b97f4a7c15n;
  const edges = [0n, 1n, 999999999n, 1000000000n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, 1703548799446821072n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 2n, (1n << 64n) - 1n];
  yield* edges;
  for (let i = 0; i < n; i++) {
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffffffffffffffffn;
    x ^= x >> 27n;
    const v = (x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
    yield i % 3 === 0 ? v >> BigInt(i % 64) : v; // also small magnitudes
  }
}

describe('u64 helpers are exact', () => {
  it('decimal strings, seconds/nanos and hi/lo round trips agree with BigInt', () => {
    const hl = { hi: 0, lo: 0 };
    const sn = { sec: 0, nano: 0 };
    let bad = 0;
    for (const v of u64Samples(20000)) {
      bigintToHiLo(v, hl);
      if (hiLoToBigInt(hl.hi, hl.lo) !== v) bad++;
      if (u64ToDecimal(hl.hi, hl.lo) !== v.toString()) bad++;
      hiLoToSecNano(hl.hi, hl.lo, sn);
      if (BigInt(sn.sec) !== v / 1000000000n || BigInt(sn.nano) !== v % 1000000000n) bad++;
      if (secNanoToDecimal(sn.sec, sn.nano) !== v.toString()) bad++;
      const back = secNanoToHiLo(sn.sec, sn.nano, { hi: 0, lo: 0 });
      if (back.hi !== hl.hi || back.lo !== hl.lo) bad++;
      const signed = BigInt.asIntN(64, v);
      if (i64ToDecimal(hl.hi, hl.lo) !== signed.toString()) bad++;
      const parsed = decimalToU64(v.toString());
      if (parsed.hi !== hl.hi || parsed.lo !== hl.lo) bad++;
    }
    expect(bad).toBe(0);
  });

  it('decimalToU64 rejects what is not a u64', () => {
    expect(() => decimalToU64('-1')).toThrow(RangeError);
    expect(() => decimalToU64('12a')).toThrow(RangeError);
    expect(() => decimalToU64('18446744073709551616')).toThrow(/u64 range/);
    expect(decimalToU64(' 18446744073709551615 ')).toEqual({ hi: 0xffffffff, lo: 0xffffffff });
  });

  it('prices: NaN is i64::MAX, negatives are two’s complement', () => {
    expect(priceToHiLo(NaN, { hi: 0, lo: 0 })).toEqual({ hi: 0x7fffffff, lo: 0xffffffff });
    const neg = priceToHiLo(-1500000000, { hi: 0, lo: 0 });
    expect(i64ToDecimal(neg.hi, neg.lo)).toBe('-1500000000');
    const pos = priceToHiLo(5214250000000, { hi: 0, lo: 0 });
    expect(u64ToDecimal(pos.hi, pos.lo)).toBe('5214250000000');
    expect(numberToHiLo(2 ** 40 + 7, { hi: 0, lo: 0 })).toEqual({ hi: 256, lo: 7 });
  });
});
