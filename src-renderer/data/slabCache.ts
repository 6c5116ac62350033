import type { HeatmapField } from '../../contracts/protocol';
import type { DecodedSlab } from './decode';

// Slabs the chart already received, per field, so flipping back to a field a trader just
// looked at redraws from memory instead of asking the engine again (a DuckDB query and a
// transfer: 0.3–0.8 s on the demo). Bounded by bytes; the oldest slabs go first.

export interface HeldSlab {
  slab: DecodedSlab;
  asked: { fromNs: string; toNs: string };
  bytes: number;
}

/** 64 MB: every field of one fifteen-minute view (prefetchPlan.ts) plus the chart's own slabs. */
const LIMIT_BYTES = 64 * 1024 * 1024;

export class SlabCache {
  private held: { field: HeatmapField; s: HeldSlab }[] = [];
  private bytes = 0;

  constructor(private readonly limit = LIMIT_BYTES) {}

  keep(field: HeatmapField, slab: DecodedSlab, asked: { fromNs: string; toNs: string }): void {
    const col = slab.fields.get(field);
    const bytes = (col?.byteLength ?? 0) + slab.nWindows * 64;
    this.held.push({ field, s: { slab, asked, bytes } });
    this.bytes += bytes;
    while (this.bytes > this.limit && this.held.length > 1) this.bytes -= this.held.shift()!.s.bytes;
  }

  /** Hands the field's held slabs to `apply`, oldest first (newer data wins where they overlap). */
  replay(field: HeatmapField, apply: (slab: DecodedSlab, asked: { fromNs: string; toNs: string }) => void): number {
    let n = 0;
    for (const h of this.held) if (h.field === field) {
      apply(h.s.slab, h.s.asked);
      n++;
    }
    return n;
  }

  /** The ranges held for a field (the prefetch planner skips fields that already cover the view). */
  ranges(field: HeatmapField): { fromNs: string; toNs: string }[] {
    return this.held.filter((h) => h.field === field).map((h) => h.s.asked);
  }

  /** Price rows per window of the newest slab held for a field (0 when none). */
  pricesOf(field: HeatmapField): number {
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i].field === field) return this.held[i].s.slab.nPrices;
    return 0;
  }

  get bytesHeld(): number {
    return this.bytes;
  }

  get size(): number {
    return this.held.length;
  }
}
