// An MboBatch whose columns are views into one ArrayBuffer (e.g. wasm memory), plus the
// byte offsets of each column in the order the wasm kernel's init() takes them.
import type { MboBatch } from '../mboBatch';

type Ctor = Float64ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor;

/** Columns in the kernel's init() parameter order. */
const COLUMNS: [keyof MboBatch, Ctor][] = [
  ['recordIndex', Float64Array],
  ['publisherId', Uint16Array],
  ['instrumentId', Uint32Array],
  ['tsEventHi', Uint32Array],
  ['tsEventLo', Uint32Array],
  ['tsRecvHi', Uint32Array],
  ['tsRecvLo', Uint32Array],
  ['tsRecvSec', Float64Array],
  ['tsRecvNano', Uint32Array],
  ['orderIdHi', Uint32Array],
  ['orderIdLo', Uint32Array],
  ['price', Float64Array],
  ['size', Uint32Array],
  ['flags', Uint8Array],
  ['channelId', Uint8Array],
  ['action', Uint8Array],
  ['side', Uint8Array],
  ['tsInDelta', Int32Array],
  ['sequence', Uint32Array],
];

export type MboColumnName = Exclude<keyof MboBatch, 'count'>;

export const MBO_COLUMN_NAMES = COLUMNS.map(([k]) => k) as MboColumnName[];

/** Bytes per row of each column (the wasm kernel's store width; kernelSource.ts). */
export const MBO_COLUMN_BYTES = Object.fromEntries(COLUMNS.map(([k, C]) => [k, C.BYTES_PER_ELEMENT])) as Record<MboColumnName, number>;

export function createMboBatchOn(buffer: ArrayBuffer, byteOffset: number, capacity: number): { batch: MboBatch; offsets: number[] } {
  const batch = { count: 0 } as Record<string, unknown>;
  const offsets: number[] = [];
  let at = byteOffset;
  for (const [name, C] of COLUMNS) {
    at = Math.ceil(at / 8) * 8;
    batch[name] = new C(buffer, at, capacity);
    offsets.push(at);
    at += capacity * C.BYTES_PER_ELEMENT;
  }
  return { batch: batch as unknown as MboBatch, offsets };
}
