// Structure-aware mutations of DBN bytes, parameter files and protocol envelopes. Every input
// is a pure function of (seed, index): a finding is reproduced with `--replay <index>`.
import { compress } from 'zstd-napi';
import type { Seed } from './corpus';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const int = (r: Rand, n: number) => Math.floor(r() * n);
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 1_000_000, 100_000_000];
const INTERESTING_U8 = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xfe, 0xff];

function setU32(b: Uint8Array, o: number, v: number) {
  if (o + 4 > b.length) return;
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export type Mutator = (r: Rand, b: Uint8Array, seed: Seed, others: Seed[]) => Uint8Array;

/** A record of the seed chosen at random (start, length), or null. */
function someRecord(r: Rand, seed: Seed): [number, number] | null {
  if (!seed.records.length) return null;
  const s = pick(r, seed.records);
  return [s, seed.raw[s] * 4];
}

export const MUTATORS: Record<string, Mutator> = {
  truncate: (r, b) => b.slice(0, int(r, b.length + 1)),
  bitflip: (r, b) => {
    const out = b.slice();
    for (let k = 1 + int(r, 16); k > 0 && out.length; k--) out[int(r, out.length)] ^= 1 << int(r, 8);
    return out;
  },
  interestingBytes: (r, b) => {
    const out = b.slice();
    for (let k = 1 + int(r, 8); k > 0 && out.length; k--) out[int(r, out.length)] = pick(r, INTERESTING_U8);
    return out;
  },
  recordLength: (r, b, seed) => {
    const rec = someRecord(r, seed);
    const out = b.slice();
    if (rec && rec[0] < out.length) out[rec[0]] = pick(r, [0, 1, 2, 3, 4, 5, 13, 14, 20, 0x7f, 0xff, int(r, 256)]);
    return out;
  },
  recordRtype: (r, b, seed) => {
    const rec = someRecord(r, seed);
    const out = b.slice();
    if (rec && rec[0] + 1 < out.length) out[rec[0] + 1] = pick(r, [0x00, 0x01, 0x13, 0x14, 0x15, 0x16, 0x17, 0xa0, 0xa1, 0xc1, 0xc2, 0xff, int(r, 256)]);
    return out;
  },
  /** The action/side characters and price/size/order-id fields of MBO records. */
  mboFields: (r, b, seed) => {
    const out = b.slice();
    for (let k = 1 + int(r, 6); k > 0; k--) {
      const rec = someRecord(r, seed);
      if (!rec || rec[0] + 56 > out.length) continue;
      const [s] = rec;
      switch (int(r, 5)) {
        case 0: out[s + 38] = pick(r, [0x41, 0x43, 0x4d, 0x52, 0x54, 0x46, 0x4e, 0x00, 0xff, int(r, 256)]); break; // action
        case 1: out[s + 39] = pick(r, [0x41, 0x42, 0x4e, 0x00, int(r, 256)]); break; // side
        case 2: setU32(out, s + 24, pick(r, INTERESTING_U32)); setU32(out, s + 28, pick(r, INTERESTING_U32)); break; // price
        case 3: setU32(out, s + 32, pick(r, INTERESTING_U32)); break; // size
        default: setU32(out, s + 16, pick(r, INTERESTING_U32)); break; // order id
      }
    }
    return out;
  },
  metadataLength: (r, b) => {
    const out = b.slice();
    setU32(out, 4, pick(r, [...INTERESTING_U32, int(r, 4096)]));
    return out;
  },
  version: (r, b) => {
    const out = b.slice();
    if (out.length > 3) out[3] = pick(r, [0, 1, 2, 3, 4, 0xff]);
    return out;
  },
  /** Random u32s inside the metadata: symbol counts, string lengths, schema, stype, dates. */
  metadataFields: (r, b, seed) => {
    const out = b.slice();
    const end = Math.min(seed.recordStart, out.length);
    for (let k = 1 + int(r, 6); k > 0 && end > 8; k--) {
      const o = 8 + int(r, end - 8);
      if (r() < 0.5) setU32(out, o, pick(r, INTERESTING_U32));
      else out[o] = int(r, 256);
    }
    return out;
  },
  /** Records of another file (other schema, other version) spliced in between records. */
  interleaveSchemas: (r, b, seed, others) => {
    const other = pick(r, others);
    const rec = someRecord(r, other);
    if (!rec) return b;
    const at = seed.records.length ? pick(r, seed.records) : b.length;
    const piece = other.raw.subarray(rec[0], rec[0] + rec[1] * (1 + int(r, 4)));
    return concat([b.subarray(0, Math.min(at, b.length)), piece, b.subarray(Math.min(at, b.length))]);
  },
  duplicateRecords: (r, b, seed) => {
    const rec = someRecord(r, seed);
    if (!rec) return b;
    const span = b.subarray(rec[0], Math.min(b.length, rec[0] + rec[1] * (1 + int(r, 64))));
    const copies = Array.from({ length: 1 + int(r, 4) }, () => span);
    return concat([b.subarray(0, rec[0]), ...copies, b.subarray(rec[0])]);
  },
  swapRecords: (r, b, seed) => {
    const a = someRecord(r, seed);
    const c = someRecord(r, seed);
    if (!a || !c || a[0] === c[0]) return b;
    const [x, y] = a[0] < c[0] ? [a, c] : [c, a];
    if (y[0] + y[1] > b.length || x[0] + x[1] > y[0]) return b;
    return concat([b.subarray(0, x[0]), b.subarray(y[0], y[0] + y[1]), b.subarray(x[0] + x[1], y[0]), b.subarray(x[0], x[0] + x[1]), b.subarray(y[0] + y[1])]);
  },
  appendGarbage: (r, b) => concat([b, Uint8Array.from({ length: int(r, 200) }, () => int(r, 256))]),
  empty: () => new Uint8Array(0),
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** 1–3 stacked mutations (or none, 8 %); 25 % are then zstd-compressed, some compressed bytes damaged. */
export function mutateDbn(r: Rand, seed: Seed, others: Seed[]): { bytes: Uint8Array; ops: string[]; compressed: boolean } {
  let b = seed.raw;
  const ops: string[] = [];
  if (r() >= 0.08) {
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const name = pick(r, MUTATOR_NAMES.filter((n) => n !== 'empty' || r() < 0.1));
      ops.push(name);
      b = MUTATORS[name](r, b, seed, others);
    }
  }
  let compressed = false;
  if (r() < 0.25 && !seed.fragment) {
    b = new Uint8Array(compress(Buffer.from(b)));
    compressed = true;
    if (r() < 0.5) {
      const name = pick(r, ['truncate', 'bitflip', 'interestingBytes', 'appendGarbage']);
      ops.push(`zst:${name}`);
      b = MUTATORS[name](r, b, seed, others);
    }
  }
  return { bytes: b, ops, compressed };
}

/** A parameter file's text, damaged: values, types, keys, versions, syntax. */
export function mutateParams(r: Rand, text: string): string {
  const obj = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(obj);
  const values: unknown[] = [0, -1, 1e308, -1e308, 1e-320, 0.5, 2 ** 53, '1', null, true, [], {}, 'NaN', 1.5, 1000000];
  switch (int(r, 6)) {
    case 0: obj[pick(r, keys)] = pick(r, values); break;
    case 1: obj[`unknown_${int(r, 9)}`] = 1; break;
    case 2: obj.version = pick(r, [0, 2, '1', null, 1.0]); break;
    case 3: delete obj[pick(r, keys)]; break;
    case 4: {
      const s = JSON.stringify(obj);
      const at = int(r, s.length);
      return s.slice(0, at) + pick(r, ['', '{', '}', '"', ',', 'NaN', '\u0000', '1e999']) + s.slice(at + (r() < 0.5 ? 1 : 0));
    }
    default: for (const k of keys) if (r() < 0.3) obj[k] = pick(r, values);
  }
  return JSON.stringify(obj);
}
