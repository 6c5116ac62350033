// Exact unsigned/signed 64-bit helpers without BigInt on hot paths.
//
// DBN timestamps (~1.7e18 ns) and order ids are u64: beyond 2^53 a float64 loses the low
// bits, so the engine carries them as (hi, lo) u32 pairs, and timestamps additionally as
// (whole seconds, nanoseconds) which are both exact in float64. Conversions here are exact
// for every u64 value; BigInt is used only in helpers documented as "not hot".

export const TWO_32 = 4294967296;
const NS_PER_S = 1000000000;

/** Scratch output for functions that return two numbers without allocating. */
export interface HiLo {
  hi: number;
  lo: number;
}
export interface SecNano {
  sec: number;
  nano: number;
}

/** hi*2^32 + lo as a float64 (exact only below 2^53). */
export function hiLoToNumber(hi: number, lo: number): number {
  return hi * TWO_32 + lo;
}

/** Split a non-negative integer number (< 2^64, exact only if it is exact) into hi/lo. */
export function numberToHiLo(v: number, out: HiLo): HiLo {
  const lo = v >>> 0; // ToUint32 is v mod 2^32, exact for any integral double
  out.lo = lo;
  out.hi = Math.round((v - lo) / TWO_32) >>> 0;
  return out;
}

/**
 * (hi, lo) ns → whole seconds and nanoseconds, exact for every u64. The float estimate of
 * the seconds is off by at most one; the remainder is computed exactly modulo 2^32 (it is
 * small, so its int32 reading is its true value) and corrects it.
 */
export function hiLoToSecNano(hi: number, lo: number, out: SecNano): SecNano {
  let sec = Math.floor((hi * TWO_32 + lo) / NS_PER_S);
  let rem = (lo - Math.imul(sec, NS_PER_S)) | 0;
  if (rem < 0) {
    sec -= 1;
    rem += NS_PER_S;
  } else if (rem >= NS_PER_S) {
    sec += 1;
    rem -= NS_PER_S;
  }
  out.sec = sec;
  out.nano = rem;
  return out;
}

/** Whole seconds and nanoseconds → exact (hi, lo) ns. */
export function secNanoToHiLo(sec: number, nano: number, out: HiLo): HiLo {
  const lo = (Math.imul(sec, NS_PER_S) + nano) >>> 0;
  out.lo = lo;
  // (value - lo) is a multiple of 2^32; the float error (< 2^12) cannot move the rounding.
  out.hi = Math.round((sec * NS_PER_S - lo + nano) / TWO_32) >>> 0;
  return out;
}

/** Exact decimal string of a u64 (hi, lo), e.g. for JSON/CSV output. */
export function u64ToDecimal(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a number
  // Long division by 1e9 in base 2^16: quotient < 2^34 fits a double exactly.
  const d = NS_PER_S;
  let r = 0;
  let q = 0;
  const limbs0 = hi >>> 16;
  const limbs1 = hi & 0xffff;
  const limbs2 = lo >>> 16;
  const limbs3 = lo & 0xffff;
  let cur = limbs0;
  let ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = ql;
  cur = r * 65536 + limbs1;
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  cur = r * 65536 + limbs2;
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  cur = r * 65536 + limbs3;
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  return q > 0 ? String(q) + String(r).padStart(9, '0') : String(r);
}

/** Exact decimal string of an i64 given as (hi as unsigned u32 bits, lo). */
export function i64ToDecimal(hi: number, lo: number): string {
  if ((hi & 0x80000000) === 0) return u64ToDecimal(hi >>> 0, lo >>> 0);
  // two's complement negate
  let nlo = (~lo + 1) >>> 0;
  let nhi = ~hi >>> 0;
  if (nlo === 0) nhi = (nhi + 1) >>> 0;
  return '-' + u64ToDecimal(nhi, nlo);
}

/** Decimal string of ts given as whole seconds and nanoseconds (exact). */
export function secNanoToDecimal(sec: number, nano: number): string {
  return sec > 0 ? String(sec) + String(nano).padStart(9, '0') : String(nano);
}

const U64_MAX = (1n << 64n) - 1n;

/** Parse a decimal u64 (e.g. a CLI argument). Not hot. Throws RangeError on bad input. */
export function decimalToU64(str: string, out: HiLo = { hi: 0, lo: 0 }): HiLo {
  const s = str.trim();
  if (!/^[0-9]+$/.test(s)) throw new RangeError(`'${str}' is not an unsigned integer`);
  const v = BigInt(s);
  if (v > U64_MAX) throw new RangeError(`'${str}' exceeds the u64 range`);
  return bigintToHiLo(v, out);
}

/** (hi, lo) → bigint. Not hot. */
export function hiLoToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** bigint (u64, or i64 as two's complement) → (hi, lo). Not hot. */
export function bigintToHiLo(v: bigint, out: HiLo = { hi: 0, lo: 0 }): HiLo {
  const u = BigInt.asUintN(64, v);
  out.hi = Number(u >> 32n);
  out.lo = Number(u & 0xffffffffn);
  return out;
}

/** Convert a bigint ns timestamp to whole seconds and nanoseconds. Not hot. */
export function bigintToSecNano(v: bigint, out: SecNano = { sec: 0, nano: 0 }): SecNano {
  out.sec = Number(v / 1000000000n);
  out.nano = Number(v % 1000000000n);
  return out;
}

/** i64 price in 1e-9 units as float64 (NaN = undefined) → (hi, lo) two's complement. */
export function priceToHiLo(price: number, out: HiLo): HiLo {
  if (price !== price) {
    out.hi = 0x7fffffff;
    out.lo = 0xffffffff;
    return out;
  }
  const lo = price >>> 0;
  out.lo = lo;
  out.hi = Math.round((price - lo) / TWO_32) >>> 0;
  return out;
}
