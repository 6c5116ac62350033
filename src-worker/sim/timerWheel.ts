// A hashed timing wheel for the simulator's timed actions (order cancels/modifies, agent
// wake-ups): O(1) insertion for the common case (due within ~69 s), with a small binary heap
// for the ~1-ms bucket being served and the existing Schedule heap for far-future entries.
// Same interface as Schedule; entries due at the same time come out in a deterministic order.
import { Schedule } from './schedule';

const BUCKET_BITS = 20; // 2^20 ns ≈ 1.05 ms
const BUCKET_NS = 1 << BUCKET_BITS;
const N_BUCKETS = 1 << 16; // horizon ≈ 68.7 s
const MASK = N_BUCKETS - 1;

export class TimerWheel {
  // entry pool (singly linked per bucket)
  private eTime: Float64Array;
  private eKey: Int32Array;
  private eGen: Int32Array;
  private eNext: Int32Array;
  private freeHead = -1;
  private nEntries = 0;
  private readonly head = new Int32Array(N_BUCKETS).fill(-1);
  /** Absolute bucket index being served (its entries are in `current`). */
  private cursor = 0;
  private readonly current = new Schedule(256);
  private readonly far = new Schedule(1024);
  size = 0;
  popKey = 0;
  popGen = 0;
  popTime = 0;

  constructor(capacity = 1 << 16) {
    this.eTime = new Float64Array(capacity);
    this.eKey = new Int32Array(capacity);
    this.eGen = new Int32Array(capacity);
    this.eNext = new Int32Array(capacity);
  }

  private alloc(): number {
    if (this.freeHead >= 0) {
      const e = this.freeHead;
      this.freeHead = this.eNext[e];
      return e;
    }
    if (this.nEntries === this.eTime.length) {
      const n = this.eTime.length * 2;
      const t = new Float64Array(n);
      t.set(this.eTime);
      const k = new Int32Array(n);
      k.set(this.eKey);
      const g = new Int32Array(n);
      g.set(this.eGen);
      const x = new Int32Array(n);
      x.set(this.eNext);
      this.eTime = t;
      this.eKey = k;
      this.eGen = g;
      this.eNext = x;
    }
    return this.nEntries++;
  }

  push(time: number, key: number, gen: number): void {
    this.size++;
    const b = Math.floor(time / BUCKET_NS);
    if (b <= this.cursor) {
      this.current.push(time, key, gen);
      return;
    }
    if (b - this.cursor >= N_BUCKETS) {
      this.far.push(time, key, gen);
      return;
    }
    const e = this.alloc();
    this.eTime[e] = time;
    this.eKey[e] = key;
    this.eGen[e] = gen;
    const slot = b & MASK;
    this.eNext[e] = this.head[slot];
    this.head[slot] = e;
  }

  /** Moves the cursor forward until `current` holds the earliest entries (or nothing is left). */
  private refill(): void {
    while (this.current.size === 0 && this.size > 0) {
      this.cursor++;
      // far entries that now fall inside the horizon enter the wheel (or current)
      const horizonEnd = (this.cursor + N_BUCKETS) * BUCKET_NS;
      while (this.far.size > 0 && this.far.peekTime() < horizonEnd) {
        this.far.pop();
        const t = this.far.popTime;
        const b = Math.floor(t / BUCKET_NS);
        if (b <= this.cursor) this.current.push(t, this.far.popKey, this.far.popGen);
        else {
          const e = this.alloc();
          this.eTime[e] = t;
          this.eKey[e] = this.far.popKey;
          this.eGen[e] = this.far.popGen;
          const slot = b & MASK;
          this.eNext[e] = this.head[slot];
          this.head[slot] = e;
        }
      }
      const slot = this.cursor & MASK;
      let e = this.head[slot];
      if (e < 0) {
        // skip empty stretches quickly when only far entries remain
        if (this.far.size === this.size && this.far.size > 0) this.cursor = Math.max(this.cursor, Math.floor(this.far.peekTime() / BUCKET_NS) - N_BUCKETS + 1);
        continue;
      }
      this.head[slot] = -1;
      while (e >= 0) {
        const nx = this.eNext[e];
        this.current.push(this.eTime[e], this.eKey[e], this.eGen[e]);
        this.eNext[e] = this.freeHead;
        this.freeHead = e;
        e = nx;
      }
    }
  }

  peekTime(): number {
    if (this.current.size === 0) {
      if (this.size === 0) return Infinity;
      this.refill();
    }
    return this.current.peekTime();
  }

  pop(): void {
    if (this.current.size === 0) this.refill();
    this.current.pop();
    this.size--;
    this.popTime = this.current.popTime;
    this.popKey = this.current.popKey;
    this.popGen = this.current.popGen;
  }
}
