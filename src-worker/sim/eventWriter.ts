// Writes simulated MBO records into the shared column batch (src-worker/dbn/mboBatch.ts),
// framed as CME exchange events: every record of one event shares ts_event; the last one
// carries F_LAST; sequence numbers grow per packet; ts_recv = ts_event + a realistic capture
// latency, never decreasing; ts_in_delta is the matching-engine-to-gateway delay.
import { createMboBatch, type MboBatch } from '../dbn/mboBatch';
import type { Rng } from './rng';

/** Databento sets bit 1 (publisher specific) together with F_LAST on live CME records. */
// (values copied as literals: module-level imports are getters under tsx, too slow per record)
const F_LAST = 0x80;
export const LIVE_LAST_FLAGS = 0x80 | 0x02;
/** F_SNAPSHOT | F_BAD_TS_RECV, like Databento's CME start-of-day snapshots (0x28). */
export const SNAPSHOT_FLAGS = 0x20 | 0x08;

/** Writes hi/lo of `sec * 1e9 + nano` (> 2^53) exactly, via 16-bit limbs. */
function splitHi(sec: number, nano: number): number {
  const secLo = sec % 65536;
  const p2 = ((sec - secLo) / 65536) * 1e9;
  const p2lo = p2 % 65536;
  const x = p2lo * 65536 + secLo * 1e9 + nano;
  return (p2 - p2lo) / 65536 + Math.floor(x / 4294967296);
}
function splitLo(sec: number, nano: number): number {
  const secLo = sec % 65536;
  const p2 = ((sec - secLo) / 65536) * 1e9;
  const x = (p2 % 65536) * 65536 + secLo * 1e9 + nano;
  return x % 4294967296;
}

export class EventWriter {
  readonly batch: MboBatch;
  readonly capacity: number;
  /** Flush when fewer than this many rows are free (the longest event fits). */
  readonly flushAt: number;
  private recordIndex = 0;
  seq: number;
  /** Last ts_recv written, ns relative to t0Sec. */
  lastRecvNs = 0;
  records = 0;

  // current event
  private evtHi = 0;
  private evtLo = 0;
  private recvHi = 0;
  private recvLo = 0;
  private recvSec = 0;
  private recvNano = 0;
  private inDelta = 0;
  private recvRel = 0;
  private eventFlags = 0;
  private instrumentId = 0;

  constructor(
    readonly t0Sec: number,
    private readonly rng: Rng,
    readonly publisherId: number,
    readonly channelId: number,
    seq0: number,
    capacity = 1 << 16,
    margin = 6000,
  ) {
    this.batch = createMboBatch(capacity);
    this.capacity = capacity;
    this.flushAt = capacity - margin;
    this.seq = seq0;
    this.fillTables();
  }

  // hi/lo of whole seconds, cached: timestamps within one second only add the remainder
  private cacheSec = -1;
  private cacheHi = 0;
  private cacheLo = 0;
  private secBase(sec: number): void {
    if (sec === this.cacheSec) return;
    this.cacheSec = sec;
    this.cacheHi = splitHi(sec, 0);
    this.cacheLo = splitLo(sec, 0);
  }

  private setRecv(rel: number): void {
    this.recvRel = rel;
    this.lastRecvNs = rel;
    const s = Math.floor(rel / 1e9);
    const sec = this.t0Sec + s;
    const nano = rel - s * 1e9;
    this.recvSec = sec;
    this.recvNano = nano;
    this.secBase(sec);
    const lo = this.cacheLo + nano;
    if (lo >= 4294967296) {
      this.recvHi = this.cacheHi + 1;
      this.recvLo = lo - 4294967296;
    } else {
      this.recvHi = this.cacheHi;
      this.recvLo = lo;
    }
  }

  private setEventTs(rel: number): void {
    const s = Math.floor(rel / 1e9);
    const sec = this.t0Sec + s;
    this.secBase(sec);
    const lo = this.cacheLo + (rel - s * 1e9);
    if (lo >= 4294967296) {
      this.evtHi = this.cacheHi + 1;
      this.evtLo = lo - 4294967296;
    } else {
      this.evtHi = this.cacheHi;
      this.evtLo = lo;
    }
  }

  private readonly latencyTable = new Float64Array(4096);
  private readonly inDeltaTable = new Int32Array(4096);

  /** Tables drawn once per writer: capture latency (a floor of ~80 µs, a log-normal body, rare ms spikes) and ts_in_delta. */
  private fillTables(): void {
    const r = this.rng;
    for (let i = 0; i < 4096; i++) {
      let l = 80_000 + r.logNormal(30_000, 1.1);
      if (r.next() < 0.015) l += r.logNormal(900_000, 0.7);
      this.latencyTable[i] = Math.round(Math.min(l, 20_000_000));
      this.inDeltaTable[i] = Math.round(11_500 + r.logNormal(3_500, 0.45));
    }
  }

  private latency(): number {
    return this.latencyTable[this.rng.u32() >>> 20];
  }

  beginEvent(tEventRel: number, instrumentId: number): void {
    this.instrumentId = instrumentId;
    this.setEventTs(tEventRel);
    let recv = tEventRel + this.latency();
    if (recv <= this.lastRecvNs) recv = this.lastRecvNs + 40 + this.rng.int(400);
    this.setRecv(recv);
    const u = this.rng.u32();
    this.seq += u < 257698038 ? 2 + (u & 3) : 1; // ~6 %: other instruments' packets on the channel
    this.inDelta = this.inDeltaTable[u & 4095];
    this.eventFlags = 0;
  }

  /** CME sends the book updates after a match in the next packet: later ts_recv, next sequence. */
  nextPacket(): void {
    this.setRecv(this.recvRel + 5_000 + this.rng.int(35_000));
    this.seq += 1;
    this.inDelta = this.inDeltaTable[this.rng.u32() >>> 20];
  }

  /** Snapshot records: ts_recv at the session start, ts_event when the book was last built, delta 0. */
  beginSnapshot(tEventRel: number, tRecvRel: number, instrumentId: number): void {
    this.instrumentId = instrumentId;
    this.setEventTs(tEventRel);
    this.setRecv(tRecvRel);
    this.inDelta = 0;
    this.eventFlags = SNAPSHOT_FLAGS;
  }

  rec(action: number, side: number, priceE9: number, size: number, oid: number): void {
    const b = this.batch;
    const i = b.count++;
    b.recordIndex[i] = this.recordIndex++;
    b.publisherId[i] = this.publisherId;
    b.instrumentId[i] = this.instrumentId;
    b.tsEventHi[i] = this.evtHi;
    b.tsEventLo[i] = this.evtLo;
    b.tsRecvHi[i] = this.recvHi;
    b.tsRecvLo[i] = this.recvLo;
    b.tsRecvSec[i] = this.recvSec;
    b.tsRecvNano[i] = this.recvNano;
    const hi = Math.floor(oid / 4294967296);
    b.orderIdHi[i] = hi;
    b.orderIdLo[i] = oid - hi * 4294967296;
    b.price[i] = priceE9;
    b.size[i] = size;
    b.flags[i] = this.eventFlags;
    b.channelId[i] = this.channelId;
    b.action[i] = action;
    b.side[i] = side;
    b.tsInDelta[i] = this.inDelta;
    b.sequence[i] = this.seq;
    this.records++;
  }

  /** Marks the last record written as the end of the exchange event. */
  endEvent(): void {
    const b = this.batch;
    b.flags[b.count - 1] |= this.eventFlags === SNAPSHOT_FLAGS ? F_LAST : LIVE_LAST_FLAGS;
  }

  get full(): boolean {
    return this.batch.count >= this.flushAt;
  }
}
