// Builds MboBatch column batches from readable records — for tests and small tools, not the
// hot path (it uses BigInt to split exact u64 values).
import { createMboBatch, type MboBatch } from '../dbn/mboBatch';

export interface MboRecordInput {
  action: string;
  side?: string;
  /** Price in 1e-9 units; undefined → NaN (undefined price). */
  price?: bigint | number;
  size?: number;
  orderId?: bigint | number;
  flags?: number;
  tsRecv: bigint;
  tsEvent?: bigint;
  instrumentId?: number;
  sequence?: number;
}

export function batchOf(records: MboRecordInput[], capacity = records.length): MboBatch {
  const b = createMboBatch(Math.max(1, capacity));
  records.forEach((r, i) => setRecord(b, i, r));
  b.count = records.length;
  return b;
}

export function setRecord(b: MboBatch, i: number, r: MboRecordInput): void {
  const split = (v: bigint, hi: Uint32Array, lo: Uint32Array) => {
    hi[i] = Number(v >> 32n);
    lo[i] = Number(v & 0xffffffffn);
  };
  b.recordIndex[i] = i;
  b.publisherId[i] = 1;
  b.instrumentId[i] = r.instrumentId ?? 1;
  split(r.tsEvent ?? r.tsRecv, b.tsEventHi, b.tsEventLo);
  split(r.tsRecv, b.tsRecvHi, b.tsRecvLo);
  b.tsRecvSec[i] = Number(r.tsRecv / 1_000_000_000n);
  b.tsRecvNano[i] = Number(r.tsRecv % 1_000_000_000n);
  split(BigInt(r.orderId ?? 0), b.orderIdHi, b.orderIdLo);
  b.price[i] = r.price === undefined ? NaN : Number(r.price);
  b.size[i] = r.size ?? 0;
  b.flags[i] = r.flags ?? 0x80;
  b.channelId[i] = 0;
  b.action[i] = r.action.charCodeAt(0);
  b.side[i] = (r.side ?? 'N').charCodeAt(0);
  b.tsInDelta[i] = 0;
  b.sequence[i] = r.sequence ?? i;
}
