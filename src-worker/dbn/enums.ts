// DBN enumerations as stored on disk (u16 schema, u8 stype, u8 rtype) and their
// Databento names, used in metadata and inspect output.

export const SCHEMA_NAMES = [
  'mbo',
  'mbp-1',
  'mbp-10',
  'tbbo',
  'trades',
  'ohlcv-1s',
  'ohlcv-1m',
  'ohlcv-1h',
  'ohlcv-1d',
  'definition',
  'statistics',
  'status',
  'imbalance',
  'ohlcv-eod',
  'cmbp-1',
  'cbbo-1s',
  'cbbo-1m',
  'tcbbo',
  'bbo-1s',
  'bbo-1m',
] as const;
export type DbnSchema = (typeof SCHEMA_NAMES)[number];
/** On-disk value of "no schema" (a mixed-schema stream, e.g. live data). */
export const NULL_SCHEMA = 0xffff;

export const STYPE_NAMES = [
  'instrument_id',
  'raw_symbol',
  'smart',
  'continuous',
  'parent',
  'nasdaq_symbol',
  'cms_symbol',
  'isin',
  'us_code',
  'bbg_comp_id',
  'bbg_comp_ticker',
  'figi',
  'figi_ticker',
] as const;
export type DbnSType = (typeof STYPE_NAMES)[number];
/** On-disk value of "no stype_in" (mixed). */
export const NULL_STYPE = 0xff;

export const RTYPE = {
  MBP_0: 0x00,
  MBP_1: 0x01,
  MBP_10: 0x0a,
  OHLCV_DEPRECATED: 0x11,
  STATUS: 0x12,
  INSTRUMENT_DEF: 0x13,
  IMBALANCE: 0x14,
  ERROR: 0x15,
  SYMBOL_MAPPING: 0x16,
  SYSTEM: 0x17,
  STATISTICS: 0x18,
  OHLCV_1S: 0x20,
  OHLCV_1M: 0x21,
  OHLCV_1H: 0x22,
  OHLCV_1D: 0x23,
  OHLCV_EOD: 0x24,
  MBO: 0xa0,
  CMBP_1: 0xb1,
  CBBO_1S: 0xc0,
  CBBO_1M: 0xc1,
  TCBBO: 0xc2,
  BBO_1S: 0xc3,
  BBO_1M: 0xc4,
} as const;

const RTYPE_NAME_BY_VALUE = new Map<number, string>(Object.entries(RTYPE).map(([k, v]) => [v, k.toLowerCase()]));

/** Human name of an rtype ("mbo", "instrument_def", …) or "0x.." for unknown ones. */
export function rtypeName(rtype: number): string {
  return RTYPE_NAME_BY_VALUE.get(rtype) ?? `0x${rtype.toString(16).padStart(2, '0')}`;
}

export function schemaFromCode(code: number): DbnSchema | null | undefined {
  if (code === NULL_SCHEMA) return null;
  return SCHEMA_NAMES[code];
}
export function schemaToCode(s: DbnSchema | null): number {
  if (s === null) return NULL_SCHEMA;
  const i = SCHEMA_NAMES.indexOf(s);
  if (i < 0) throw new RangeError(`unknown schema '${s}'`);
  return i;
}
export function stypeFromCode(code: number): DbnSType | null | undefined {
  if (code === NULL_STYPE) return null;
  return STYPE_NAMES[code];
}
export function stypeToCode(s: DbnSType | null): number {
  if (s === null) return NULL_STYPE;
  const i = STYPE_NAMES.indexOf(s);
  if (i < 0) throw new RangeError(`unknown stype '${s}'`);
  return i;
}
