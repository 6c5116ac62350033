// Open-addressing hash index from a u64 order id (exact hi/lo u32 pair, stored as int32 bits) to an order slot.
// Linear probing with backward-shift deletion: no tombstones, no BigInt, no allocation per
// operation. Slots themselves live in OrderBook's typed arrays; each table entry is a pair
// [slot + 1 (0 = empty), the id's 32-bit hash]. The stored hash lets a probe skip other ids
// and lets deletion and growth find an entry's home without reading its order record (each
// such read is a cache miss into the records).

export class OrderIndex {
  /** Pairs [slot + 1, hash] per bucket (read and written in place by OrderBook.applyRange). */
  table: Int32Array;
  mask: number;
  size = 0;

  /** The owner's packed order records (stride 8: id hi, id lo, …); re-pointed after growing. */
  K: Int32Array;

  constructor(records: Int32Array, initialCapacity = 1 << 16) {
    this.K = records;
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(2 * cap);
    this.mask = cap - 1;
  }

  /**
   * Blocked hash: ids that differ only in their low 3 bits share one 64-byte run of the table
   * (8 pairs: a well-mixed block number, then lo & 7 inside it). Exchange ids are handed out
   * nearly sequentially and most cancels hit recent orders, so the hot part of the table stays
   * in cache; ids with constant low bits still spread over blocks and probe within one line.
   */
  static hash(hi: number, lo: number): number {
    let h = Math.imul((lo >>> 3) ^ 0x27d4eb2d, 0x9e3779b1) ^ Math.imul(hi ^ 0x165667b1, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return (h << 3) | (lo & 7);
  }

  /** Slot of the order, or -1. */
  find(hi: number, lo: number): number {
    const t = this.table;
    const mask = this.mask;
    const K = this.K;
    const h = hi | 0;
    const l = lo | 0;
    const hv = OrderIndex.hash(h, l);
    let p = hv & mask;
    for (;;) {
      const s = t[2 * p];
      if (s === 0) return -1;
      if (t[2 * p + 1] === hv) {
        const o = (s - 1) * 8;
        if (K[o + 1] === l && K[o] === h) return s - 1;
      }
      p = (p + 1) & mask;
    }
  }

  /** Insert a slot whose id is not yet present (caller checked with find). */
  insert(slot: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.place(slot + 1, OrderIndex.hash(this.K[slot * 8], this.K[slot * 8 + 1]));
    this.size++;
  }

  private place(entry: number, hv: number): void {
    const t = this.table;
    const mask = this.mask;
    let p = hv & mask;
    while (t[2 * p] !== 0) p = (p + 1) & mask;
    t[2 * p] = entry;
    t[2 * p + 1] = hv;
  }

  /** Remove the entry for a slot that is present. */
  remove(slot: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = OrderIndex.hash(this.K[slot * 8], this.K[slot * 8 + 1]) & mask;
    while (t[2 * i] !== slot + 1) {
      if (t[2 * i] === 0) return; // not present: nothing to do
      i = (i + 1) & mask;
    }
    // Backward-shift: pull later entries of the probe run into the hole when allowed.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = t[2 * j];
      if (s === 0) break;
      const k = t[2 * j + 1] & mask;
      // Entry at j may move to i iff its home k is not cyclically inside (i, j].
      const inside = i <= j ? k > i && k <= j : k > i || k <= j;
      if (!inside) {
        t[2 * i] = s;
        t[2 * i + 1] = t[2 * j + 1];
        i = j;
      }
    }
    t[2 * i] = 0;
    this.size--;
  }

  clear(): void {
    this.table.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = (this.table.length >>> 1) - 1;
    for (let p = 0; p < old.length; p += 2) if (old[p] !== 0) this.place(old[p], old[p + 1]);
  }
}
