// DBN metadata header: decode (v1/v2/v3) and encode (v3). Not a hot path: bigint is fine.
//
// Layout after the 8-byte prelude ("DBN", version u8, u32 length of what follows):
//   dataset[16] schema u16 start u64 end u64 limit u64 [v1: record_count u64]
//   stype_in u8 stype_out u8 ts_out u8 [v2+: symbol_cstr_len u16]
//   reserved (v1: 47, v2+: 53) schema_definition_length u32 (always 0)
//   symbols, partial, not_found: u32 count + count × cstr[symbol_cstr_len]
//   mappings: u32 count + { raw_symbol cstr, u32 n, n × { start u32 YYYYMMDD, end u32, symbol cstr } }

import { schemaFromCode, schemaToCode, stypeFromCode, stypeToCode, type DbnSchema, type DbnSType } from './enums';
import { InvalidMetadataError, TruncatedMetadataError } from './errors';

export const DBN_VERSION = 3;
export const METADATA_PRELUDE_LEN = 8;
export const METADATA_DATASET_CSTR_LEN = 16;
export const SYMBOL_CSTR_LEN_V1 = 22;
export const SYMBOL_CSTR_LEN_V2 = 71;
/** Size of the fixed part after the prelude, up to and including schema_definition_length. */
export const METADATA_FIXED_LEN = 104;
export const UNDEF_TIMESTAMP = 0xffffffffffffffffn;

export interface MappingInterval {
  /** First date (inclusive) 'YYYY-MM-DD'. */
  start_date: string;
  /** Last date (exclusive) 'YYYY-MM-DD'. */
  end_date: string;
  /** Output symbol for the interval (e.g. an instrument id as text). */
  symbol: string;
}

export interface SymbolMapping {
  raw_symbol: string;
  intervals: MappingInterval[];
}

export interface DbnMetadata {
  /** DBN version of the input (1, 2 or 3); records are upgraded to v3 layouts. */
  version: number;
  dataset: string;
  /** null for a mixed-schema stream. */
  schema: DbnSchema | null;
  /** Query start, UTC ns. */
  start: bigint;
  /** Query end, UTC ns; null when undefined. */
  end: bigint | null;
  /** Record limit; null when none (stored as 0). */
  limit: bigint | null;
  /** null when mixed. */
  stype_in: DbnSType | null;
  stype_out: DbnSType;
  /** Every record carries an extra trailing u64 ts_out (gateway send time). */
  ts_out: boolean;
  /** Fixed length of symbol strings in the input (22 in v1, 71 in v2/v3). */
  symbol_cstr_len: number;
  symbols: string[];
  partial: string[];
  not_found: string[];
  mappings: SymbolMapping[];
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });
const textEncoder = new TextEncoder();

function readCStr(buf: Uint8Array, pos: number, len: number): string {
  let end = pos;
  const stop = pos + len;
  while (end < stop && buf[end] !== 0) end++;
  return textDecoder.decode(buf.subarray(pos, end));
}

function dateFromU32(v: number, at: number): string {
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  if (m < 1 || m > 12 || d < 1 || d > 31) throw new InvalidMetadataError(at, `invalid mapping date ${v}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function dateToU32(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new RangeError(`mapping date '${s}' is not YYYY-MM-DD`);
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}

/**
 * Decode metadata from `buf` (which starts right after the prelude and holds exactly the
 * `length` bytes announced by it). `base` is the file offset of buf[0], for error offsets.
 */
export function decodeMetadataBody(version: number, buf: Uint8Array, base = METADATA_PRELUDE_LEN): DbnMetadata {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < METADATA_FIXED_LEN) {
    throw new InvalidMetadataError(base, `metadata length ${buf.length} is shorter than the fixed header (${METADATA_FIXED_LEN})`);
  }
  let pos = 0;
  const dataset = readCStr(buf, pos, METADATA_DATASET_CSTR_LEN);
  pos += METADATA_DATASET_CSTR_LEN;
  const schemaCode = dv.getUint16(pos, true);
  const schema = schemaFromCode(schemaCode);
  if (schema === undefined) throw new InvalidMetadataError(base + pos, `unknown schema code ${schemaCode}`);
  pos += 2;
  const start = dv.getBigUint64(pos, true);
  pos += 8;
  const endRaw = dv.getBigUint64(pos, true);
  pos += 8;
  const limitRaw = dv.getBigUint64(pos, true);
  pos += 8;
  if (version === 1) pos += 8; // deprecated record_count
  const stypeInCode = buf[pos++];
  const stypeIn = stypeFromCode(stypeInCode);
  if (stypeIn === undefined) throw new InvalidMetadataError(base + pos - 1, `unknown stype_in ${stypeInCode}`);
  const stypeOutCode = buf[pos++];
  const stypeOut = stypeFromCode(stypeOutCode);
  if (stypeOut === undefined || stypeOut === null) throw new InvalidMetadataError(base + pos - 1, `unknown stype_out ${stypeOutCode}`);
  const tsOut = buf[pos++] !== 0;
  let cstrLen = SYMBOL_CSTR_LEN_V1;
  if (version >= 2) {
    cstrLen = dv.getUint16(pos, true);
    pos += 2;
    pos += 53;
  } else {
    pos += 47;
  }
  if (cstrLen === 0) throw new InvalidMetadataError(base + pos, 'symbol_cstr_len is 0');
  const schemaDefLen = dv.getUint32(pos, true);
  if (schemaDefLen !== 0) throw new InvalidMetadataError(base + pos, `unsupported schema definition of ${schemaDefLen} bytes`);
  pos += 4;

  const need = (n: number, what: string): void => {
    if (pos + n > buf.length) {
      throw new InvalidMetadataError(base + pos, `${what} runs past the end of the metadata (${buf.length} bytes)`);
    }
  };
  const readSymbols = (what: string): string[] => {
    need(4, what);
    const count = dv.getUint32(pos, true);
    pos += 4;
    need(count * cstrLen, what);
    const out: string[] = new Array(count);
    for (let i = 0; i < count; i++, pos += cstrLen) out[i] = readCStr(buf, pos, cstrLen);
    return out;
  };
  const symbols = readSymbols('symbols');
  const partial = readSymbols('partial');
  const notFound = readSymbols('not_found');
  need(4, 'mappings');
  const mappingCount = dv.getUint32(pos, true);
  pos += 4;
  const mappings: SymbolMapping[] = [];
  for (let i = 0; i < mappingCount; i++) {
    need(cstrLen + 4, `symbol mapping ${i}`);
    const raw = readCStr(buf, pos, cstrLen);
    pos += cstrLen;
    const n = dv.getUint32(pos, true);
    pos += 4;
    need(n * (8 + cstrLen), `intervals of symbol mapping ${i}`);
    const intervals: MappingInterval[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const s = dateFromU32(dv.getUint32(pos, true), base + pos);
      const e = dateFromU32(dv.getUint32(pos + 4, true), base + pos + 4);
      intervals[j] = { start_date: s, end_date: e, symbol: readCStr(buf, pos + 8, cstrLen) };
      pos += 8 + cstrLen;
    }
    mappings.push({ raw_symbol: raw, intervals });
  }
  return {
    version,
    dataset,
    schema,
    start,
    end: endRaw === UNDEF_TIMESTAMP ? null : endRaw,
    limit: limitRaw === 0n ? null : limitRaw,
    stype_in: stypeIn,
    stype_out: stypeOut,
    ts_out: tsOut,
    symbol_cstr_len: cstrLen,
    symbols,
    partial,
    not_found: notFound,
    mappings,
  };
}

/** Encode metadata as DBN v3 (prelude included), padded so the record area starts 8-aligned. */
export function encodeMetadataV3(m: DbnMetadata): Uint8Array {
  const cstrLen = SYMBOL_CSTR_LEN_V2;
  const symbolsLen = (list: string[]): number => 4 + list.length * cstrLen;
  let bodyLen = METADATA_FIXED_LEN + symbolsLen(m.symbols) + symbolsLen(m.partial) + symbolsLen(m.not_found) + 4;
  for (const mp of m.mappings) bodyLen += cstrLen + 4 + mp.intervals.length * (8 + cstrLen);
  // Pad so prelude + body is a multiple of 8 (the decoder ignores trailing metadata bytes).
  const total = Math.ceil((METADATA_PRELUDE_LEN + bodyLen) / 8) * 8;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set([0x44, 0x42, 0x4e, DBN_VERSION], 0);
  dv.setUint32(4, total - METADATA_PRELUDE_LEN, true);
  let pos = METADATA_PRELUDE_LEN;
  const writeCStr = (s: string, len: number, what: string): void => {
    const bytes = textEncoder.encode(s);
    if (bytes.length >= len) throw new RangeError(`${what} '${s}' is longer than ${len - 1} bytes`);
    out.set(bytes, pos);
    pos += len;
  };
  writeCStr(m.dataset, METADATA_DATASET_CSTR_LEN, 'dataset');
  dv.setUint16(pos, schemaToCode(m.schema), true);
  pos += 2;
  dv.setBigUint64(pos, m.start, true);
  pos += 8;
  dv.setBigUint64(pos, m.end ?? UNDEF_TIMESTAMP, true);
  pos += 8;
  dv.setBigUint64(pos, m.limit ?? 0n, true);
  pos += 8;
  out[pos++] = stypeToCode(m.stype_in);
  out[pos++] = stypeToCode(m.stype_out);
  out[pos++] = m.ts_out ? 1 : 0;
  dv.setUint16(pos, cstrLen, true);
  pos += 2 + 53; // reserved
  dv.setUint32(pos, 0, true); // schema definition length
  pos += 4;
  for (const list of [m.symbols, m.partial, m.not_found]) {
    dv.setUint32(pos, list.length, true);
    pos += 4;
    for (const s of list) writeCStr(s, cstrLen, 'symbol');
  }
  dv.setUint32(pos, m.mappings.length, true);
  pos += 4;
  for (const mp of m.mappings) {
    writeCStr(mp.raw_symbol, cstrLen, 'raw symbol');
    dv.setUint32(pos, mp.intervals.length, true);
    pos += 4;
    for (const iv of mp.intervals) {
      dv.setUint32(pos, dateToU32(iv.start_date), true);
      dv.setUint32(pos + 4, dateToU32(iv.end_date), true);
      pos += 8;
      writeCStr(iv.symbol, cstrLen, 'mapping symbol');
    }
  }
  return out;
}

/** A metadata object with sensible defaults (v3, MBO, raw_symbol → instrument_id). */
export function makeMetadata(p: Partial<DbnMetadata> & { dataset: string; start: bigint }): DbnMetadata {
  return {
    version: DBN_VERSION,
    schema: 'mbo',
    end: null,
    limit: null,
    stype_in: 'raw_symbol',
    stype_out: 'instrument_id',
    ts_out: false,
    symbol_cstr_len: SYMBOL_CSTR_LEN_V2,
    symbols: [],
    partial: [],
    not_found: [],
    mappings: [],
    ...p,
  };
}

/** Used by the decoder to reject a truncated header with a specific message. */
export function truncatedMetadata(offset: number, have: number, need: number): TruncatedMetadataError {
  return new TruncatedMetadataError(offset, `the header announces ${need} bytes but only ${have} are present`);
}
