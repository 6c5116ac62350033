// A binary min-heap of timed wake-ups in typed arrays (no object per entry): the time an
// order will be cancelled or modified, or an agent (wall, spoofer, iceberg) acts next. A
// stale entry (its order was filled or replaced) is recognised by a generation mismatch.

export class Schedule {
  time: Float64Array;
  key: Int32Array;
  gen: Int32Array;
  size = 0;

  constructor(capacity = 1 << 14) {
    this.time = new Float64Array(capacity);
    this.key = new Int32Array(capacity);
    this.gen = new Int32Array(capacity);
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    const k = new Int32Array(n);
    k.set(this.key);
    const g = new Int32Array(n);
    g.set(this.gen);
    this.time = t;
    this.key = k;
    this.gen = g;
  }

  push(time: number, key: number, gen: number): void {
    if (this.size === this.time.length) this.grow();
    const T = this.time;
    const K = this.key;
    const G = this.gen;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = T[p];
      if (tp <= time) break; // the heap algorithm itself is deterministic: no tie-break needed
      T[i] = tp;
      K[i] = K[p];
      G[i] = G[p];
      i = p;
    }
    T[i] = time;
    K[i] = key;
    G[i] = gen;
  }

  /** Time of the earliest entry (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.time[0] : Infinity;
  }

  /** Removes the earliest entry; its key and gen are left in popKey / popGen. */
  popKey = 0;
  popGen = 0;
  popTime = 0;
  pop(): void {
    const T = this.time;
    const K = this.key;
    const G = this.gen;
    this.popTime = T[0];
    this.popKey = K[0];
    this.popGen = G[0];
    const n = --this.size;
    if (n === 0) return;
    const t = T[n];
    const k = K[n];
    const g = G[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && T[r] < T[c]) c = r;
      if (t <= T[c]) break;
      T[i] = T[c];
      K[i] = K[c];
      G[i] = G[c];
      i = c;
    }
    T[i] = t;
    K[i] = k;
    G[i] = g;
  }
}
