// Text encodings of decoded DBN in Databento's conventions (the dbn CLI / databento-python
// without pretty_px / pretty_ts): u64/i64 as decimal strings in JSON, integer prices
// (undefined = 9223372036854775807), nanosecond timestamps, JSON field order as Databento's
// encode order, CSV columns in Databento's order.

import type { DbnCounts } from './decoder';
import { DEFINITION_LAYOUTS, UNDEF_PRICE, type InstrumentDefinition } from './definition';
import { RTYPE } from './enums';
import type { MboBatch } from './mboBatch';
import type { DbnMetadata } from './metadata';
import { secNanoToDecimal, u64ToDecimal } from './u64';

const UNDEF_PRICE_TEXT = '9223372036854775807';

export const MBO_CSV_HEADER = 'ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence';

function priceText(p: number): string {
  return p !== p ? UNDEF_PRICE_TEXT : String(p);
}

function charText(c: number): string {
  return String.fromCharCode(c);
}

/** One MBO row as a Databento CSV line (no newline). */
export function mboCsvLine(b: MboBatch, i: number): string {
  return (
    secNanoToDecimal(b.tsRecvSec[i], b.tsRecvNano[i]) +
    ',' +
    u64ToDecimal(b.tsEventHi[i], b.tsEventLo[i]) +
    ',160,' +
    b.publisherId[i] +
    ',' +
    b.instrumentId[i] +
    ',' +
    charText(b.action[i]) +
    ',' +
    charText(b.side[i]) +
    ',' +
    priceText(b.price[i]) +
    ',' +
    b.size[i] +
    ',' +
    b.channelId[i] +
    ',' +
    u64ToDecimal(b.orderIdHi[i], b.orderIdLo[i]) +
    ',' +
    b.flags[i] +
    ',' +
    b.tsInDelta[i] +
    ',' +
    b.sequence[i]
  );
}

/** One MBO row in Databento's JSON encoding (one line, no newline). */
export function mboJson(b: MboBatch, i: number): string {
  return (
    '{"ts_recv":"' +
    secNanoToDecimal(b.tsRecvSec[i], b.tsRecvNano[i]) +
    '","hd":{"ts_event":"' +
    u64ToDecimal(b.tsEventHi[i], b.tsEventLo[i]) +
    '","rtype":160,"publisher_id":' +
    b.publisherId[i] +
    ',"instrument_id":' +
    b.instrumentId[i] +
    '},"action":' +
    JSON.stringify(charText(b.action[i])) +
    ',"side":' +
    JSON.stringify(charText(b.side[i])) +
    ',"price":"' +
    priceText(b.price[i]) +
    '","size":' +
    b.size[i] +
    ',"channel_id":' +
    b.channelId[i] +
    ',"order_id":"' +
    u64ToDecimal(b.orderIdHi[i], b.orderIdLo[i]) +
    '","flags":' +
    b.flags[i] +
    ',"ts_in_delta":' +
    b.tsInDelta[i] +
    ',"sequence":' +
    b.sequence[i] +
    '}'
  );
}

/** Databento's encode order for definition fields (dbn-macros get_sorted_fields). */
const DEFINITION_ENCODE_ORDER: Record<string, number> = {
  ts_recv: 0,
  raw_symbol: 2,
  security_update_action: 3,
  instrument_class: 4,
  raw_instrument_id: 20,
  strike_price: 54,
  leg_count: 158,
  leg_index: 159,
  leg_instrument_id: 160,
  leg_raw_symbol: 161,
  leg_instrument_class: 163,
  leg_side: 164,
  leg_price: 165,
  leg_delta: 166,
  leg_ratio_price_numerator: 167,
  leg_ratio_price_denominator: 168,
  leg_ratio_qty_numerator: 169,
  leg_ratio_qty_denominator: 170,
  leg_underlying_id: 171,
};

const HEADER_FIELDS = new Set(['_length', '_rtype', 'publisher_id', 'instrument_id', 'ts_event']);

const DEFINITION_JSON_FIELDS: { name: string; kind: string }[] = (() => {
  const fields: { name: string; kind: string }[] = [{ name: 'hd', kind: 'hd' }];
  for (const f of DEFINITION_LAYOUTS[3].fields) {
    if (HEADER_FIELDS.has(f.name) || f.name.startsWith('_')) continue;
    fields.push({ name: f.name, kind: f.kind });
  }
  const prioritized = Object.entries(DEFINITION_ENCODE_ORDER).sort((a, b) => a[1] - b[1]);
  for (const [name, order] of prioritized) {
    const idx = fields.findIndex((f) => f.name === name);
    const [f] = fields.splice(idx, 1);
    if (order >= fields.length) fields.push(f);
    else fields.splice(order, 0, f);
  }
  return fields;
})();

/** A definition in Databento's JSON encoding (one line). */
export function definitionJson(d: InstrumentDefinition): string {
  const rec = d as unknown as Record<string, unknown>;
  const parts: string[] = [];
  for (const f of DEFINITION_JSON_FIELDS) {
    let v: string;
    if (f.kind === 'hd') {
      v = `{"ts_event":"${d.ts_event}","rtype":${RTYPE.INSTRUMENT_DEF},"publisher_id":${d.publisher_id},"instrument_id":${d.instrument_id}}`;
    } else {
      const x = rec[f.name];
      if (f.kind === 'px') v = `"${x === undefined ? UNDEF_PRICE : x}"`;
      else if (f.kind === 'ts' || f.kind === 'u64' || f.kind === 'i64') v = `"${String(x)}"`;
      else if (f.kind === 'c') v = x === '' ? 'null' : JSON.stringify(x);
      else if (typeof x === 'string') v = JSON.stringify(x);
      else v = String(x);
    }
    parts.push(`${JSON.stringify(f.name)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}

function dateInt(s: string): number {
  return Number(s.replaceAll('-', ''));
}

/** Metadata as a plain JSON-ready object (Databento's encoding: u64 as strings, dates as YYYYMMDD). */
export function metadataJsonObject(m: DbnMetadata): Record<string, unknown> {
  return {
    version: m.version,
    dataset: m.dataset,
    schema: m.schema,
    start: String(m.start),
    end: m.end === null ? null : String(m.end),
    limit: m.limit === null ? null : String(m.limit),
    stype_in: m.stype_in,
    stype_out: m.stype_out,
    ts_out: m.ts_out,
    symbol_cstr_len: m.symbol_cstr_len,
    symbols: m.symbols,
    partial: m.partial,
    not_found: m.not_found,
    mappings: m.mappings.map((mp) => ({
      raw_symbol: mp.raw_symbol,
      intervals: mp.intervals.map((iv) => ({ start_date: dateInt(iv.start_date), end_date: dateInt(iv.end_date), symbol: iv.symbol })),
    })),
  };
}

export function countsJsonObject(c: DbnCounts): Record<string, unknown> {
  return { records: c.records, by_rtype: c.by_rtype, by_action: c.by_action, skipped: c.skipped };
}

// ---- CSV straight to bytes (streaming multi-GB output without building strings) ----------

/** Longest CSV row in bytes (generous): flush before less than this is left. */
export const MBO_CSV_MAX_ROW = 256;
const UNDEF_PRICE_BYTES = new TextEncoder().encode(UNDEF_PRICE_TEXT);

function writeUint(out: Uint8Array, pos: number, v: number): number {
  // v: a non-negative integer below 2^53
  let len = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
  let p = pos + len;
  while (v >= 10) {
    const q = Math.floor(v / 10);
    out[--p] = 48 + (v - q * 10);
    v = q;
  }
  out[--p] = 48 + v;
  return pos + len;
}

function writePad9(out: Uint8Array, pos: number, v: number): number {
  for (let i = 8; i >= 0; i--) {
    const q = Math.floor(v / 10);
    out[pos + i] = 48 + (v - q * 10);
    v = q;
  }
  return pos + 9;
}

/** Exact u64 (hi, lo) as decimal digits (see u64ToDecimal). */
function writeU64(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < 0x200000) return writeUint(out, pos, hi * 4294967296 + lo);
  const d = 1000000000;
  let cur = hi >>> 16;
  let ql = Math.floor(cur / d);
  let r = cur - ql * d;
  let q = ql;
  cur = r * 65536 + (hi & 0xffff);
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  cur = r * 65536 + (lo >>> 16);
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  cur = r * 65536 + (lo & 0xffff);
  ql = Math.floor(cur / d);
  r = cur - ql * d;
  q = q * 65536 + ql;
  if (q === 0) return writeUint(out, pos, r);
  return writePad9(out, writeUint(out, pos, q), r);
}

function writeInt(out: Uint8Array, pos: number, v: number): number {
  if (v < 0) {
    out[pos] = 45; // '-'
    return writeUint(out, pos + 1, -v);
  }
  return writeUint(out, pos, v);
}

/** Write row i as a Databento CSV line (with '\n') at out[pos]; returns the new position. */
export function writeMboCsvRow(b: MboBatch, i: number, out: Uint8Array, pos: number): number {
  const sec = b.tsRecvSec[i];
  if (sec > 0) pos = writePad9(out, writeUint(out, pos, sec), b.tsRecvNano[i]);
  else pos = writeUint(out, pos, b.tsRecvNano[i]);
  out[pos++] = 44;
  pos = writeU64(out, pos, b.tsEventHi[i], b.tsEventLo[i]);
  out[pos++] = 44;
  out[pos++] = 49; // "160"
  out[pos++] = 54;
  out[pos++] = 48;
  out[pos++] = 44;
  pos = writeUint(out, pos, b.publisherId[i]);
  out[pos++] = 44;
  pos = writeUint(out, pos, b.instrumentId[i]);
  out[pos++] = 44;
  out[pos++] = b.action[i];
  out[pos++] = 44;
  out[pos++] = b.side[i];
  out[pos++] = 44;
  const px = b.price[i];
  if (px !== px) {
    out.set(UNDEF_PRICE_BYTES, pos);
    pos += UNDEF_PRICE_BYTES.length;
  } else pos = writeInt(out, pos, px);
  out[pos++] = 44;
  pos = writeUint(out, pos, b.size[i]);
  out[pos++] = 44;
  pos = writeUint(out, pos, b.channelId[i]);
  out[pos++] = 44;
  pos = writeU64(out, pos, b.orderIdHi[i], b.orderIdLo[i]);
  out[pos++] = 44;
  pos = writeUint(out, pos, b.flags[i]);
  out[pos++] = 44;
  pos = writeInt(out, pos, b.tsInDelta[i]);
  out[pos++] = 44;
  pos = writeUint(out, pos, b.sequence[i]);
  out[pos++] = 10;
  return pos;
}
