// The 16-byte header every DBN record starts with (all rtypes, all versions): for records the
// decoder does not interpret (see DbnDecoderOptions.onOtherRecord). Not a hot path.
import { rtypeName } from './enums';
import { RECORD_HEADER_FIELDS, RECORD_HEADER_LEN } from './mboLayout';

const [LENGTH, RTYPE_AT, PUBLISHER, INSTRUMENT, TS_EVENT] = RECORD_HEADER_FIELDS.map((f) => f.offset);

export interface RecordHeader {
  /** Record length in bytes (the stored value × 4). */
  length: number;
  rtype: number;
  /** "mbo", "instrument_def", "symbol_mapping", … or "0x.." */
  rtypeName: string;
  publisher_id: number;
  instrument_id: number;
  ts_event: bigint;
}

export function decodeRecordHeader(record: Uint8Array): RecordHeader {
  if (record.length < RECORD_HEADER_LEN) throw new RangeError(`a record header needs ${RECORD_HEADER_LEN} bytes, got ${record.length}`);
  const dv = new DataView(record.buffer, record.byteOffset, RECORD_HEADER_LEN);
  return {
    length: record[LENGTH] * 4,
    rtype: record[RTYPE_AT],
    rtypeName: rtypeName(record[RTYPE_AT]),
    publisher_id: dv.getUint16(PUBLISHER, true),
    instrument_id: dv.getUint32(INSTRUMENT, true),
    ts_event: dv.getBigUint64(TS_EVENT, true),
  };
}
