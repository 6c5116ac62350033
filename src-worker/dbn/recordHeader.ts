// The 16-byte header every DBN record starts with (all rtypes, all versions): for records the
// decoder does not interpret (see DbnDecoderOptions.onOtherRecord). Not a hot path.
import { rtypeName } from './enums';

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
  if (record.length < 16) throw new RangeError(`a record header needs 16 bytes, got ${record.length}`);
  const dv = new DataView(record.buffer, record.byteOffset, 16);
  return {
    length: record[0] * 4,
    rtype: record[1],
    rtypeName: rtypeName(record[1]),
    publisher_id: dv.getUint16(2, true),
    instrument_id: dv.getUint32(4, true),
    ts_event: dv.getBigUint64(8, true),
  };
}
