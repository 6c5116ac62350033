// CPU mirror of the heatmap ring texture. One slot per 1-s window (slot = windowIndex mod
// slots), one row per price tick of the session. Each cell is (value, mark): mark 0 = no
// data; otherwise mark = the window's lap (floor(windowIndex / slots)) + 1, so the shader
// tells "no data" from 0 AND a stale column from another lap with the one texture fetch it
// already makes. Writers mark dirty slots; the render loop uploads only those (subimage).

export class ColumnRing {
  readonly value: Float32Array;
  readonly owner: Float32Array;
  private dirty = new Set<number>();
  private ownerDirty = false;

  constructor(
    readonly slots: number,
    readonly rows: number,
  ) {
    this.value = new Float32Array(slots * rows * 2);
    this.owner = new Float32Array(slots).fill(-1);
  }

  slotOf(windowIndex: number): number {
    return ((windowIndex % this.slots) + this.slots) % this.slots;
  }

  has(windowIndex: number): boolean {
    return this.owner[this.slotOf(windowIndex)] === windowIndex;
  }

  /** Claims the slot for a window, clearing what another window left there; returns its cell offset. */
  claim(windowIndex: number): number {
    const slot = this.slotOf(windowIndex);
    const base = slot * this.rows * 2;
    if (this.owner[slot] !== windowIndex) {
      this.owner[slot] = windowIndex;
      this.ownerDirty = true;
    }
    this.value.fill(0, base, base + this.rows * 2);
    this.dirty.add(slot);
    return base;
  }

  /** The present-mark cells of this window carry (its lap + 1). */
  markOf(windowIndex: number): number {
    return Math.floor(windowIndex / this.slots) + 1;
  }

  /** Value at a cell, or null when the window is not held or the cell has no data. */
  valueAt(windowIndex: number, row: number): number | null {
    if (!this.has(windowIndex) || row < 0 || row >= this.rows) return null;
    const o = (this.slotOf(windowIndex) * this.rows + row) * 2;
    return this.value[o + 1] > 0 ? this.value[o] : null;
  }

  clear(): void {
    // Only the owners: a slot's cells are read only while it is held (has), and claim() zeroes
    // them when a window takes it. Zeroing the whole ring here (14–23 MB) cost a field switch
    // 35–330 ms on the loaded VM.
    this.owner.fill(-1);
    this.ownerDirty = true;
    for (let s = 0; s < this.slots; s++) this.dirty.add(s);
  }

  /** Every slot is re-uploaded (CPU-normalised fallback after a colour range change). */
  markAllDirty(): void {
    for (let s = 0; s < this.slots; s++) this.dirty.add(s);
    this.ownerDirty = true;
  }

  /** Dirty slots as contiguous [first, count] runs, then forgets them. */
  takeDirtyRuns(): [number, number][] {
    const slots = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    const runs: [number, number][] = [];
    for (const s of slots) {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[1] === s) last[1]++;
      else runs.push([s, 1]);
    }
    return runs;
  }

  takeOwnerDirty(): boolean {
    const d = this.ownerDirty;
    this.ownerDirty = false;
    return d;
  }

  /** Every present value in windows [w0, w1] (sampled to at most `max`), for colour scaling. */
  sample(w0: number, w1: number, max = 60_000): Float32Array {
    const wins: number[] = [];
    for (let w = Math.max(0, Math.floor(w0)); w <= Math.floor(w1); w++) if (this.has(w)) wins.push(w);
    const total = wins.length * this.rows;
    const stride = Math.max(1, Math.floor(total / max));
    const out = new Float32Array(Math.min(total, max + this.rows));
    let n = 0;
    let k = 0;
    for (const w of wins) {
      const base = this.slotOf(w) * this.rows * 2;
      for (let r = 0; r < this.rows; r++, k++) {
        if (k % stride !== 0) continue;
        const o = base + r * 2;
        if (this.value[o + 1] > 0 && n < out.length) out[n++] = this.value[o];
      }
    }
    return out.subarray(0, n);
  }
}
