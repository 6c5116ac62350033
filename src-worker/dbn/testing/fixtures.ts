// Paths of the shared real DBN files (tests read them in place; never copied into the repo)
// and small helpers to look at decoded MBO rows as plain values in assertions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MboBatch } from '../mboBatch';
import { u64ToDecimal, secNanoToDecimal } from '../u64';

export const DATA = join(process.cwd(), '..', 'shared', 'data');
export const FIX = join(DATA, 'dbn-fixtures');
export const REAL = join(DATA, 'real');

export const fixture = (name: string): string => join(FIX, name);
export const real = (name: string): string => join(REAL, name);
export const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

export const ESH4 = real('esh4-glbx-mdp3-20231225.mbo.dbn.zst');
export const ESH4_SNAPSHOT = real('esh4-glbx-mdp3-20231224.mbo.dbn.zst');
export const ESM4 = real('orderbooks_mbo_2024-05-08T00-00-00_2024-05-08T00-00-02.dbn.zst');

/** One MBO row as strings/numbers in Databento's field names (for readable assertions). */
export function mboRow(b: MboBatch, i: number): Record<string, string | number> {
  return {
    ts_recv: secNanoToDecimal(b.tsRecvSec[i], b.tsRecvNano[i]),
    ts_recv_hilo: u64ToDecimal(b.tsRecvHi[i], b.tsRecvLo[i]),
    ts_event: u64ToDecimal(b.tsEventHi[i], b.tsEventLo[i]),
    publisher_id: b.publisherId[i],
    instrument_id: b.instrumentId[i],
    order_id: u64ToDecimal(b.orderIdHi[i], b.orderIdLo[i]),
    price: Number.isNaN(b.price[i]) ? 'UNDEF' : b.price[i],
    size: b.size[i],
    flags: b.flags[i],
    channel_id: b.channelId[i],
    action: String.fromCharCode(b.action[i]),
    side: String.fromCharCode(b.side[i]),
    ts_in_delta: b.tsInDelta[i],
    sequence: b.sequence[i],
    record_index: b.recordIndex[i],
  };
}

/** JSON with bigint as decimal strings (to compare decoded objects). */
export const stable = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
