// The 56-byte DBN MBO record (rtype 0xA0, identical in DBN v1, v2 and v3), declared once:
// field name, byte offset, width and signedness, in Databento's own field names (their
// `MboMsg`: the 16-byte record header every rtype shares, then the order fields). Every MBO
// code path is fed from this table instead of carrying its own numbers:
// - decoder.ts (the JS hot loop and decodeMboAt) and encoder.ts read the u32-word indexes and
//   bit shifts derived below (MBO_WORD, MBO_SHIFT): plain numbers, so the loops index typed
//   arrays exactly as before;
// - the WebAssembly kernel's source wasm/mboKernel.wat is generated from this table by
//   wasm/kernelSource.ts (scripts/genMboKernel.ts writes it and the compiled module); a test
//   fails when the committed kernel is stale (mboLayout.test.ts);
// - recordHeader.ts reads the header of any record with RECORD_HEADER_FIELDS.
// All integers are little-endian. u64/i64 fields are read as two u32 words (lo at the field's
// offset, hi 4 bytes later); the four 1-byte fields flags…side share one u32 word.

import { RTYPE } from './enums';

/** One field of a fixed-layout DBN record. */
export interface RecordField {
  /** Databento's field name. */
  readonly name: string;
  /** Byte offset from the start of the record. */
  readonly offset: number;
  /** Width in bytes. */
  readonly width: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly meaning: string;
}

/** The 16-byte header every DBN record starts with (all rtypes, all versions). */
export const RECORD_HEADER_FIELDS = [
  { name: 'length', offset: 0, width: 1, signed: false, meaning: 'record length in 4-byte words' },
  { name: 'rtype', offset: 1, width: 1, signed: false, meaning: 'record type (0xA0 = MBO)' },
  { name: 'publisher_id', offset: 2, width: 2, signed: false, meaning: 'dataset / venue publisher' },
  { name: 'instrument_id', offset: 4, width: 4, signed: false, meaning: 'numeric instrument id' },
  { name: 'ts_event', offset: 8, width: 8, signed: false, meaning: 'matching-engine time, UTC ns' },
] as const satisfies readonly RecordField[];
export const RECORD_HEADER_LEN = 16;

export const MBO_RECORD_LEN = 56;

export const MBO_FIELDS = [
  ...RECORD_HEADER_FIELDS,
  { name: 'order_id', offset: 16, width: 8, signed: false, meaning: 'venue order id' },
  { name: 'price', offset: 24, width: 8, signed: true, meaning: 'price in 1e-9 units; i64::MAX = undefined' },
  { name: 'size', offset: 32, width: 4, signed: false, meaning: 'order quantity' },
  { name: 'flags', offset: 36, width: 1, signed: false, meaning: 'bit flags (F_LAST, F_SNAPSHOT, …)' },
  { name: 'channel_id', offset: 37, width: 1, signed: false, meaning: 'venue channel' },
  { name: 'action', offset: 38, width: 1, signed: false, meaning: "ASCII event: 'A','C','M','R','T','F','N'" },
  { name: 'side', offset: 39, width: 1, signed: false, meaning: "ASCII side: 'A' ask, 'B' bid, 'N' none" },
  { name: 'ts_recv', offset: 40, width: 8, signed: false, meaning: 'capture-server receive time, UTC ns' },
  { name: 'ts_in_delta', offset: 48, width: 4, signed: true, meaning: 'ts_recv − venue send time, ns' },
  { name: 'sequence', offset: 52, width: 4, signed: false, meaning: 'venue message sequence number' },
] as const satisfies readonly RecordField[];

export type MboFieldName = (typeof MBO_FIELDS)[number]['name'];

/** The declaration of one field (throws on a name the table does not have). */
export function mboField(name: MboFieldName): RecordField {
  const f = MBO_FIELDS.find((x) => x.name === name);
  if (!f) throw new Error(`MBO layout has no field ${name}`);
  return f;
}

/** Problems with a record layout: gaps, overlaps, misaligned fields, wrong total length. */
export function layoutProblems(fields: readonly RecordField[], length: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (const f of fields) {
    if (f.offset !== at) out.push(`${f.name} at ${f.offset}, expected ${at} (fields must be contiguous, in order)`);
    // Natural alignment is what lets the readers use one aligned typed-array load per field.
    if (f.offset % f.width !== 0) out.push(`${f.name} at ${f.offset} is not aligned to its width ${f.width}`);
    at = f.offset + f.width;
  }
  if (at !== length) out.push(`fields end at ${at}, the record is ${length} bytes`);
  return out;
}

{
  const problems = [...layoutProblems(RECORD_HEADER_FIELDS, RECORD_HEADER_LEN), ...layoutProblems(MBO_FIELDS, MBO_RECORD_LEN)];
  if (problems.length > 0) throw new Error(`MBO layout: ${problems.join('; ')}`);
}

const wordOf = (name: MboFieldName): number => mboField(name).offset >>> 2;
const shiftOf = (name: MboFieldName): number => (mboField(name).offset & 3) * 8;

/**
 * u32-word index (byte offset / 4) of each field inside a 4-aligned record, for the JS paths.
 * 8-byte fields have a Lo and a Hi word; fields narrower than 4 bytes name the word they sit
 * in (read it once, shift by MBO_SHIFT).
 */
export const MBO_WORD = {
  /** length, rtype and publisher_id */
  header: wordOf('length'),
  instrumentId: wordOf('instrument_id'),
  tsEventLo: wordOf('ts_event'),
  tsEventHi: wordOf('ts_event') + 1,
  orderIdLo: wordOf('order_id'),
  orderIdHi: wordOf('order_id') + 1,
  priceLo: wordOf('price'),
  priceHi: wordOf('price') + 1,
  size: wordOf('size'),
  /** flags, channel_id, action and side */
  flagsWord: wordOf('flags'),
  tsRecvLo: wordOf('ts_recv'),
  tsRecvHi: wordOf('ts_recv') + 1,
  tsInDelta: wordOf('ts_in_delta'),
  sequence: wordOf('sequence'),
} as const;

/** Bit shift of each sub-word field inside its u32 word. */
export const MBO_SHIFT = {
  length: shiftOf('length'),
  rtype: shiftOf('rtype'),
  publisherId: shiftOf('publisher_id'),
  flags: shiftOf('flags'),
  channelId: shiftOf('channel_id'),
  action: shiftOf('action'),
  side: shiftOf('side'),
} as const;

{
  // The JS paths read the header word and the flags word whole; the fields they split must
  // really share those words.
  const same = (a: MboFieldName, b: MboFieldName) => wordOf(a) === wordOf(b);
  if (!same('length', 'publisher_id') || !same('rtype', 'publisher_id')) throw new Error('MBO layout: length, rtype and publisher_id must share the first u32 word');
  if (!same('flags', 'side') || !same('channel_id', 'side') || !same('action', 'side')) throw new Error('MBO layout: flags, channel_id, action and side must share one u32 word');
}

export const MBO_RTYPE = RTYPE.MBO;

/**
 * Low 16 bits of the first word of a plain MBO record (length byte 14, rtype 0xA0): one
 * compare accepts a record for the hot paths.
 */
export const MBO_HEADER_TAG = ((MBO_RECORD_LEN >>> 2) << MBO_SHIFT.length) | (MBO_RTYPE << MBO_SHIFT.rtype);

/** Bit pattern of the undefined price (i64::MAX) as its two u32 words. */
export const UNDEF_PRICE_LO = 0xffffffff;
export const UNDEF_PRICE_HI = 0x7fffffff;
