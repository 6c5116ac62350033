import type { HeatmapField } from '../../contracts/protocol';
import type { ColumnRing } from './columnRing';
import type { DecodedFrame, DecodedSlab } from './decode';
import { rowOfPrice, windowIndexOf, type SessionGeom } from './sessionGeom';

// Writes decoded frames and slabs into the ring and the spot track. Bid and ask values at
// one price are summed (the slab contract does the same on the engine side), and only the
// ±half-width band around that window's spot is marked present.

/** Best bid / ask price rows per window (the lines a trader reads the spread from). */
export interface BookRows {
  bidRow: Float32Array;
  askRow: Float32Array;
}

function setBook(g: SessionGeom, book: BookRows | undefined, wi: number, bid: bigint | null, ask: bigint | null): void {
  if (!book) return;
  book.bidRow[wi] = bid !== null && bid > 0n ? rowOfPrice(g, bid) : NaN;
  book.askRow[wi] = ask !== null && ask > 0n ? rowOfPrice(g, ask) : NaN;
}

/** Writes one live frame's column for `field`; returns its window index (or null if outside the session). */
export function applyFrame(g: SessionGeom, ring: ColumnRing, spotRow: Float32Array, frame: DecodedFrame, field: HeatmapField, book?: BookRows): number | null {
  const wi = windowIndexOf(g, frame.snap.windowEndNs);
  if (wi < 0 || wi >= g.windowCount) return null;
  setBook(g, book, wi, frame.snap.bestBidInt, frame.snap.bestAskInt);
  if (frame.snap.spotRefInt !== null) spotRow[wi] = rowOfPrice(g, frame.snap.spotRefInt);
  const col = frame.grid.getChild(field)?.toArray() as Float32Array | undefined;
  const base = ring.claim(wi);
  // Before the first valid spot the engine sends price_int 0: nothing to place.
  if (!col || frame.rows === 0 || frame.priceInt[0] === 0n) return wi;
  // Rows share one spot: row = row(price_int[0]) + (rel_ticks[i] − rel_ticks[0]); no BigInt per cell.
  const row0 = rowOfPrice(g, frame.priceInt[0]) - frame.relTicks[0];
  const v = ring.value;
  const rows = ring.rows;
  const mark = ring.markOf(wi);
  for (let i = 0; i < frame.rows; i++) {
    const r = row0 + frame.relTicks[i];
    if (r < 0 || r >= rows) continue;
    const o = base + r * 2;
    v[o] += col[i];
    v[o + 1] = mark;
  }
  return wi;
}

/**
 * Writes a slab's columns for `field`; returns the window indexes written. Windows of the
 * answered span (`asked`, window_end ns; else between the slab's first and last window) that
 * the slab has no row for hold no data at all (before the first order, a quiet gap): they are
 * claimed empty, so the view counts them as loaded instead of waiting for them for ever.
 */
export function applySlab(g: SessionGeom, ring: ColumnRing, spotRow: Float32Array, slab: DecodedSlab, field: HeatmapField, asked?: { fromNs: string; toNs: string }, book?: BookRows): number[] {
  const bids = book ? slab.windows.getChild('best_bid_price_int') : null;
  const asks = book ? slab.windows.getChild('best_ask_price_int') : null;
  const cells = slab.fields.get(field);
  const half = g.info.gridHalfWidthTicks;
  const rowOffset = rowOfPrice(g, slab.priceMinInt);
  const tickRatio = slab.tickInt !== null ? Number(slab.tickInt) / Number(g.tickInt) : 1;
  const written: number[] = [];
  const rows = ring.rows;
  const v = ring.value;
  // The engine places a window with no valid spot_ref at the last valid spot (its grid spot);
  // carry that forward here too so the band of present cells matches what it sent.
  let bandRow = NaN;
  for (let k = 0; k < slab.nWindows; k++) {
    const wi = windowIndexOf(g, slab.windowEndNs[k]);
    if (wi < 0 || wi >= g.windowCount) continue;
    const spot = slab.spotRefInt[k];
    const sRow = spot !== null ? rowOfPrice(g, spot) : NaN;
    spotRow[wi] = sRow;
    if (book) {
      const b = bids?.get(k);
      const a = asks?.get(k);
      setBook(g, book, wi, b === null || b === undefined ? null : BigInt(b), a === null || a === undefined ? null : BigInt(a));
    }
    if (Number.isFinite(sRow)) bandRow = sRow;
    else if (!Number.isFinite(bandRow)) bandRow = carriedSpot(spotRow, wi);
    const base = ring.claim(wi);
    const mark = ring.markOf(wi);
    written.push(wi);
    if (!cells || slab.nPrices === 0) continue;
    // With no spot known at all, every cell of the slab's price range counts as present.
    const from = Number.isFinite(bandRow) ? Math.max(0, bandRow - half) : Math.max(0, rowOffset);
    const to = Number.isFinite(bandRow) ? Math.min(rows - 1, bandRow + half) : Math.min(rows - 1, rowOffset + (slab.nPrices - 1) * tickRatio);
    if (tickRatio === 1 && Number.isInteger(rowOffset)) {
      // The slab's rows are the ring's (same tick, whole-row offset): a straight copy of the
      // band, the same cells as the general loop below (a fractional band start hits none).
      if (!Number.isInteger(from)) continue;
      const lo = Math.max(from, rowOffset);
      const hi = Math.min(Math.floor(to), rowOffset + slab.nPrices - 1);
      let src = k * slab.nPrices + (lo - rowOffset);
      for (let o = base + lo * 2, end = base + hi * 2; o <= end; o += 2) {
        v[o] = cells[src++];
        v[o + 1] = mark;
      }
      continue;
    }
    for (let r = from; r <= to; r++) {
      const pi = (r - rowOffset) / tickRatio;
      if (pi < 0 || pi >= slab.nPrices || !Number.isInteger(pi)) continue;
      const o = base + r * 2;
      v[o] = cells[k * slab.nPrices + pi];
      v[o + 1] = mark;
    }
  }
  if (written.length > 0 || asked) {
    const from = Math.max(0, asked ? windowIndexOf(g, asked.fromNs) : written[0]);
    const to = Math.min(g.windowCount - 1, asked ? windowIndexOf(g, asked.toNs) : written[written.length - 1]);
    const got = new Set(written);
    for (let wi = from; wi <= to; wi++) if (!got.has(wi)) ring.claim(wi);
  }
  return written;
}

/** The last finite spot row at or before window `wi` (looking back at most an hour), or NaN. */
function carriedSpot(spotRow: Float32Array, wi: number): number {
  for (let w = wi - 1; w >= Math.max(0, wi - 3600); w--) if (Number.isFinite(spotRow[w])) return spotRow[w];
  return NaN;
}
