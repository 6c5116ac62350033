// Instrument definition records (rtype 0x13): the three on-disk layouts (v1 360 bytes,
// v2 400, v3 520) declared once as field lists, decoded into one v3-shaped object, and
// encoded as v3. Version differences live ONLY in the layout tables and upgradeDefinition()
// below (the explicit upgrade step), never as scattered ifs. Not a hot path.
//
// Value conventions: u64 timestamps and ids are bigint; i64 fixed prices (1e-9 units) are
// bigint, or undefined for the "undefined price" sentinel i64::MAX; narrower integers are
// numbers; c_char fields are one-character strings ('' for NUL); char arrays are strings.

import { RTYPE } from './enums';

export const UNDEF_PRICE = 0x7fffffffffffffffn;
export const UNDEF_TS = 0xffffffffffffffffn;

export interface InstrumentDefinition {
  ts_event: bigint;
  publisher_id: number;
  instrument_id: number;
  ts_recv: bigint;
  min_price_increment: bigint | undefined;
  display_factor: bigint | undefined;
  expiration: bigint;
  activation: bigint;
  high_limit_price: bigint | undefined;
  low_limit_price: bigint | undefined;
  max_price_variation: bigint | undefined;
  unit_of_measure_qty: bigint | undefined;
  min_price_increment_amount: bigint | undefined;
  price_ratio: bigint | undefined;
  strike_price: bigint | undefined;
  raw_instrument_id: bigint;
  leg_price: bigint | undefined;
  leg_delta: bigint | undefined;
  inst_attrib_value: number;
  underlying_id: number;
  market_depth_implied: number;
  market_depth: number;
  market_segment_id: number;
  max_trade_vol: number;
  min_lot_size: number;
  min_lot_size_block: number;
  min_lot_size_round_lot: number;
  min_trade_vol: number;
  contract_multiplier: number;
  decay_quantity: number;
  original_contract_size: number;
  leg_instrument_id: number;
  leg_ratio_price_numerator: number;
  leg_ratio_price_denominator: number;
  leg_ratio_qty_numerator: number;
  leg_ratio_qty_denominator: number;
  leg_underlying_id: number;
  appl_id: number;
  maturity_year: number;
  decay_start_date: number;
  channel_id: number;
  leg_count: number;
  leg_index: number;
  currency: string;
  settl_currency: string;
  secsubtype: string;
  raw_symbol: string;
  group: string;
  exchange: string;
  asset: string;
  cfi: string;
  security_type: string;
  unit_of_measure: string;
  underlying: string;
  strike_price_currency: string;
  leg_raw_symbol: string;
  /** 'C' call, 'P' put, 'F' future, 'S' stock, 'K' equity?, 'M' mixed spread, 'T' fx spot … */
  instrument_class: string;
  match_algorithm: string;
  main_fraction: number;
  price_display_format: number;
  sub_fraction: number;
  underlying_product: number;
  security_update_action: string;
  maturity_month: number;
  maturity_day: number;
  maturity_week: number;
  user_defined_instrument: string;
  contract_multiplier_unit: number;
  flow_schedule_type: number;
  tick_rule: number;
  leg_instrument_class: string;
  leg_side: string;
}

export type DefinitionField = keyof InstrumentDefinition;

/** Field kinds: ts/u64 → bigint, px → bigint|undefined, c → char, sN → string of N, rN → reserved. */
type Kind = 'ts' | 'u64' | 'px' | 'i64' | 'u32' | 'i32' | 'u16' | 'i16' | 'u8' | 'i8' | 'c' | `s${number}` | `r${number}`;
type FieldSpec = readonly [name: string, kind: Kind];

const HEADER: FieldSpec[] = [
  ['_length', 'u8'],
  ['_rtype', 'u8'],
  ['publisher_id', 'u16'],
  ['instrument_id', 'u32'],
  ['ts_event', 'ts'],
  ['ts_recv', 'ts'],
  ['min_price_increment', 'px'],
  ['display_factor', 'px'],
  ['expiration', 'ts'],
  ['activation', 'ts'],
  ['high_limit_price', 'px'],
  ['low_limit_price', 'px'],
  ['max_price_variation', 'px'],
];

const V1: FieldSpec[] = [
  ...HEADER,
  ['trading_reference_price', 'px'],
  ['unit_of_measure_qty', 'px'],
  ['min_price_increment_amount', 'px'],
  ['price_ratio', 'px'],
  ['inst_attrib_value', 'i32'],
  ['underlying_id', 'u32'],
  ['raw_instrument_id', 'u32'],
  ['market_depth_implied', 'i32'],
  ['market_depth', 'i32'],
  ['market_segment_id', 'u32'],
  ['max_trade_vol', 'u32'],
  ['min_lot_size', 'i32'],
  ['min_lot_size_block', 'i32'],
  ['min_lot_size_round_lot', 'i32'],
  ['min_trade_vol', 'u32'],
  ['_reserved2', 'r4'],
  ['contract_multiplier', 'i32'],
  ['decay_quantity', 'i32'],
  ['original_contract_size', 'i32'],
  ['_reserved3', 'r4'],
  ['trading_reference_date', 'u16'],
  ['appl_id', 'i16'],
  ['maturity_year', 'u16'],
  ['decay_start_date', 'u16'],
  ['channel_id', 'u16'],
  ['currency', 's4'],
  ['settl_currency', 's4'],
  ['secsubtype', 's6'],
  ['raw_symbol', 's22'],
  ['group', 's21'],
  ['exchange', 's5'],
  ['asset', 's7'],
  ['cfi', 's7'],
  ['security_type', 's7'],
  ['unit_of_measure', 's31'],
  ['underlying', 's21'],
  ['strike_price_currency', 's4'],
  ['instrument_class', 'c'],
  ['_reserved4', 'r2'],
  ['strike_price', 'px'],
  ['_reserved5', 'r6'],
  ['match_algorithm', 'c'],
  ['md_security_trading_status', 'u8'],
  ['main_fraction', 'u8'],
  ['price_display_format', 'u8'],
  ['settl_price_type', 'u8'],
  ['sub_fraction', 'u8'],
  ['underlying_product', 'u8'],
  ['security_update_action', 'c'],
  ['maturity_month', 'u8'],
  ['maturity_day', 'u8'],
  ['maturity_week', 'u8'],
  ['user_defined_instrument', 'c'],
  ['contract_multiplier_unit', 'i8'],
  ['flow_schedule_type', 'i8'],
  ['tick_rule', 'u8'],
  ['_dummy', 'r3'],
];

const V2: FieldSpec[] = [
  ...HEADER,
  ['trading_reference_price', 'px'],
  ['unit_of_measure_qty', 'px'],
  ['min_price_increment_amount', 'px'],
  ['price_ratio', 'px'],
  ['strike_price', 'px'],
  ['inst_attrib_value', 'i32'],
  ['underlying_id', 'u32'],
  ['raw_instrument_id', 'u32'],
  ['market_depth_implied', 'i32'],
  ['market_depth', 'i32'],
  ['market_segment_id', 'u32'],
  ['max_trade_vol', 'u32'],
  ['min_lot_size', 'i32'],
  ['min_lot_size_block', 'i32'],
  ['min_lot_size_round_lot', 'i32'],
  ['min_trade_vol', 'u32'],
  ['contract_multiplier', 'i32'],
  ['decay_quantity', 'i32'],
  ['original_contract_size', 'i32'],
  ['trading_reference_date', 'u16'],
  ['appl_id', 'i16'],
  ['maturity_year', 'u16'],
  ['decay_start_date', 'u16'],
  ['channel_id', 'u16'],
  ['currency', 's4'],
  ['settl_currency', 's4'],
  ['secsubtype', 's6'],
  ['raw_symbol', 's71'],
  ['group', 's21'],
  ['exchange', 's5'],
  ['asset', 's7'],
  ['cfi', 's7'],
  ['security_type', 's7'],
  ['unit_of_measure', 's31'],
  ['underlying', 's21'],
  ['strike_price_currency', 's4'],
  ['instrument_class', 'c'],
  ['match_algorithm', 'c'],
  ['md_security_trading_status', 'u8'],
  ['main_fraction', 'u8'],
  ['price_display_format', 'u8'],
  ['settl_price_type', 'u8'],
  ['sub_fraction', 'u8'],
  ['underlying_product', 'u8'],
  ['security_update_action', 'c'],
  ['maturity_month', 'u8'],
  ['maturity_day', 'u8'],
  ['maturity_week', 'u8'],
  ['user_defined_instrument', 'c'],
  ['contract_multiplier_unit', 'i8'],
  ['flow_schedule_type', 'i8'],
  ['tick_rule', 'u8'],
  ['_reserved', 'r10'],
];

const V3: FieldSpec[] = [
  ...HEADER,
  ['unit_of_measure_qty', 'px'],
  ['min_price_increment_amount', 'px'],
  ['price_ratio', 'px'],
  ['strike_price', 'px'],
  ['raw_instrument_id', 'u64'],
  ['leg_price', 'px'],
  ['leg_delta', 'px'],
  ['inst_attrib_value', 'i32'],
  ['underlying_id', 'u32'],
  ['market_depth_implied', 'i32'],
  ['market_depth', 'i32'],
  ['market_segment_id', 'u32'],
  ['max_trade_vol', 'u32'],
  ['min_lot_size', 'i32'],
  ['min_lot_size_block', 'i32'],
  ['min_lot_size_round_lot', 'i32'],
  ['min_trade_vol', 'u32'],
  ['contract_multiplier', 'i32'],
  ['decay_quantity', 'i32'],
  ['original_contract_size', 'i32'],
  ['leg_instrument_id', 'u32'],
  ['leg_ratio_price_numerator', 'i32'],
  ['leg_ratio_price_denominator', 'i32'],
  ['leg_ratio_qty_numerator', 'i32'],
  ['leg_ratio_qty_denominator', 'i32'],
  ['leg_underlying_id', 'u32'],
  ['appl_id', 'i16'],
  ['maturity_year', 'u16'],
  ['decay_start_date', 'u16'],
  ['channel_id', 'u16'],
  ['leg_count', 'u16'],
  ['leg_index', 'u16'],
  ['currency', 's4'],
  ['settl_currency', 's4'],
  ['secsubtype', 's6'],
  ['raw_symbol', 's71'],
  ['group', 's21'],
  ['exchange', 's5'],
  ['asset', 's11'],
  ['cfi', 's7'],
  ['security_type', 's7'],
  ['unit_of_measure', 's31'],
  ['underlying', 's21'],
  ['strike_price_currency', 's4'],
  ['leg_raw_symbol', 's71'],
  ['instrument_class', 'c'],
  ['match_algorithm', 'c'],
  ['main_fraction', 'u8'],
  ['price_display_format', 'u8'],
  ['sub_fraction', 'u8'],
  ['underlying_product', 'u8'],
  ['security_update_action', 'c'],
  ['maturity_month', 'u8'],
  ['maturity_day', 'u8'],
  ['maturity_week', 'u8'],
  ['user_defined_instrument', 'c'],
  ['contract_multiplier_unit', 'i8'],
  ['flow_schedule_type', 'i8'],
  ['tick_rule', 'u8'],
  ['leg_instrument_class', 'c'],
  ['leg_side', 'c'],
  ['_reserved', 'r17'],
];

interface Field {
  name: string;
  kind: Kind;
  offset: number;
  size: number;
}
export interface DefinitionLayout {
  version: 1 | 2 | 3;
  size: number;
  fields: Field[];
}

function sizeOf(kind: Kind): { size: number; align: number } {
  switch (kind) {
    case 'ts':
    case 'u64':
    case 'px':
    case 'i64':
      return { size: 8, align: 8 };
    case 'u32':
    case 'i32':
      return { size: 4, align: 4 };
    case 'u16':
    case 'i16':
      return { size: 2, align: 2 };
    case 'u8':
    case 'i8':
    case 'c':
      return { size: 1, align: 1 };
    default:
      return { size: Number(kind.slice(1)), align: 1 };
  }
}

/** C (repr(C)) layout: each scalar aligned to its size, struct size rounded to 8. */
function layout(version: 1 | 2 | 3, specs: FieldSpec[]): DefinitionLayout {
  let off = 0;
  const fields: Field[] = [];
  for (const [name, kind] of specs) {
    const { size, align } = sizeOf(kind);
    off = Math.ceil(off / align) * align;
    fields.push({ name, kind, offset: off, size });
    off += size;
  }
  return { version, size: Math.ceil(off / 8) * 8, fields };
}

export const DEFINITION_LAYOUTS = { 1: layout(1, V1), 2: layout(2, V2), 3: layout(3, V3) } as const;
export const DEFINITION_V3_SIZE = DEFINITION_LAYOUTS[3].size;

/** Which layout a definition record of `bodyLen` bytes (without ts_out) uses, by size. */
export function definitionLayoutForLength(bodyLen: number, version: number): DefinitionLayout | undefined {
  for (const v of [1, 2, 3] as const) if (DEFINITION_LAYOUTS[v].size === bodyLen) return DEFINITION_LAYOUTS[v];
  // Unknown size: trust the stream version if the record is at least that long.
  const l = (DEFINITION_LAYOUTS as Record<number, DefinitionLayout>)[version];
  return l && bodyLen >= l.size ? l : undefined;
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

function readValue(dv: DataView, bytes: Uint8Array, at: number, kind: Kind, size: number): unknown {
  switch (kind) {
    case 'ts':
    case 'u64':
      return dv.getBigUint64(at, true);
    case 'px': {
      const v = dv.getBigInt64(at, true);
      return v === UNDEF_PRICE ? undefined : v;
    }
    case 'i64':
      return dv.getBigInt64(at, true);
    case 'u32':
      return dv.getUint32(at, true);
    case 'i32':
      return dv.getInt32(at, true);
    case 'u16':
      return dv.getUint16(at, true);
    case 'i16':
      return dv.getInt16(at, true);
    case 'u8':
      return bytes[at];
    case 'i8':
      return dv.getInt8(at);
    case 'c':
      return bytes[at] === 0 ? '' : String.fromCharCode(bytes[at]);
    default: {
      if (kind[0] === 'r') return undefined;
      let end = at;
      while (end < at + size && bytes[end] !== 0) end++;
      return textDecoder.decode(bytes.subarray(at, end));
    }
  }
}

/** Fields of the v3 object and their defaults (databento/dbn `Default for InstrumentDefMsg`). */
export function defaultDefinition(): InstrumentDefinition {
  const I32_MAX = 0x7fffffff;
  return {
    ts_event: UNDEF_TS,
    publisher_id: 0,
    instrument_id: 0,
    ts_recv: UNDEF_TS,
    min_price_increment: undefined,
    display_factor: undefined,
    expiration: UNDEF_TS,
    activation: UNDEF_TS,
    high_limit_price: undefined,
    low_limit_price: undefined,
    max_price_variation: undefined,
    unit_of_measure_qty: undefined,
    min_price_increment_amount: undefined,
    price_ratio: undefined,
    strike_price: undefined,
    raw_instrument_id: 0n,
    leg_price: undefined,
    leg_delta: undefined,
    inst_attrib_value: I32_MAX,
    underlying_id: 0,
    market_depth_implied: I32_MAX,
    market_depth: I32_MAX,
    market_segment_id: 0xffffffff,
    max_trade_vol: 0xffffffff,
    min_lot_size: I32_MAX,
    min_lot_size_block: I32_MAX,
    min_lot_size_round_lot: I32_MAX,
    min_trade_vol: 0xffffffff,
    contract_multiplier: I32_MAX,
    decay_quantity: I32_MAX,
    original_contract_size: I32_MAX,
    leg_instrument_id: 0,
    leg_ratio_price_numerator: 0,
    leg_ratio_price_denominator: 0,
    leg_ratio_qty_numerator: 0,
    leg_ratio_qty_denominator: 0,
    leg_underlying_id: 0,
    appl_id: 0x7fff,
    maturity_year: 0xffff,
    decay_start_date: 0xffff,
    channel_id: 0xffff,
    leg_count: 0,
    leg_index: 0,
    currency: '',
    settl_currency: '',
    secsubtype: '',
    raw_symbol: '',
    group: '',
    exchange: '',
    asset: '',
    cfi: '',
    security_type: '',
    unit_of_measure: '',
    underlying: '',
    strike_price_currency: '',
    leg_raw_symbol: '',
    instrument_class: '',
    match_algorithm: ' ',
    main_fraction: 0xff,
    price_display_format: 0xff,
    sub_fraction: 0xff,
    underlying_product: 0xff,
    security_update_action: 'A',
    maturity_month: 0xff,
    maturity_day: 0xff,
    maturity_week: 0xff,
    user_defined_instrument: 'N',
    contract_multiplier_unit: 0x7f,
    flow_schedule_type: 0x7f,
    tick_rule: 0xff,
    leg_instrument_class: '',
    leg_side: 'N',
  };
}

const V3_NAMES = new Set(Object.keys(defaultDefinition()));

/**
 * The version-upgrade step: read a v1/v2/v3 definition record at `offset` and return the v3
 * object. Fields that v3 dropped (trading_reference_price/date, md_security_trading_status,
 * settl_price_type) are discarded; fields v3 added (legs) keep their v3 defaults; narrower
 * v1/v2 fields (raw_instrument_id u32, 22-byte symbols, 7-byte asset) widen.
 */
export function upgradeDefinition(bytes: Uint8Array, offset: number, lay: DefinitionLayout): InstrumentDefinition {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = defaultDefinition() as unknown as Record<string, unknown>;
  for (const f of lay.fields) {
    if (!V3_NAMES.has(f.name)) continue;
    let v = readValue(dv, bytes, offset + f.offset, f.kind, f.size);
    if (f.name === 'raw_instrument_id' && typeof v === 'number') v = BigInt(v);
    out[f.name] = v;
  }
  return out as unknown as InstrumentDefinition;
}

/** Encode a definition as a 520-byte v3 record (length/rtype filled) into `dst` at `offset`. */
export function encodeDefinitionV3(d: Partial<InstrumentDefinition>, dst: Uint8Array, offset: number): void {
  const lay = DEFINITION_LAYOUTS[3];
  const full = { ...defaultDefinition(), ...d } as unknown as Record<string, unknown>;
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  dst.fill(0, offset, offset + lay.size);
  for (const f of lay.fields) {
    const at = offset + f.offset;
    if (f.name === '_length') {
      dst[at] = lay.size / 4;
      continue;
    }
    if (f.name === '_rtype') {
      dst[at] = RTYPE.INSTRUMENT_DEF;
      continue;
    }
    if (f.kind[0] === 'r') continue;
    const v = full[f.name];
    switch (f.kind) {
      case 'ts':
      case 'u64':
        dv.setBigUint64(at, toBig(v, f.name), true);
        break;
      case 'px':
        dv.setBigInt64(at, v === undefined || v === null ? UNDEF_PRICE : toBig(v, f.name), true);
        break;
      case 'i64':
        dv.setBigInt64(at, toBig(v, f.name), true);
        break;
      case 'u32':
        dv.setUint32(at, Number(v), true);
        break;
      case 'i32':
        dv.setInt32(at, Number(v), true);
        break;
      case 'u16':
        dv.setUint16(at, Number(v), true);
        break;
      case 'i16':
        dv.setInt16(at, Number(v), true);
        break;
      case 'u8':
        dv.setUint8(at, Number(v));
        break;
      case 'i8':
        dv.setInt8(at, Number(v));
        break;
      case 'c': {
        const s = String(v ?? '');
        dst[at] = s.length ? s.charCodeAt(0) & 0xff : 0;
        break;
      }
      default: {
        const b = textEncoder.encode(String(v ?? ''));
        if (b.length >= f.size) throw new RangeError(`definition field ${f.name} '${String(v)}' is longer than ${f.size - 1} bytes`);
        dst.set(b, at);
      }
    }
  }
}

function toBig(v: unknown, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`definition field ${name} must be a bigint (got ${typeof v})`);
}

/** Number of a fixed price field in price units (e.g. strike 4250.0), NaN when undefined. */
export function pxToNumber(v: bigint | undefined): number {
  if (v === undefined) return NaN;
  const whole = v / 1000000000n;
  const frac = v % 1000000000n;
  return Number(whole) + Number(frac) / 1e9;
}
