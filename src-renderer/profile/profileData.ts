import { SIDE_BUY_AGGRESSOR, SIDE_SELL_AGGRESSOR, lowerBound, type Trades } from '../data/overlayData';

// Aggregations of the per-window trades (contracts/frames.ts `trades`, decoded per chunk by
// data/overlayData.ts) for the volume profile and the cumulative volume delta strip. Pure:
// no canvas, no store, tested on hand-made rows with known sums.

/** Traded volume at one price row over a range of windows, by aggressor side. */
export interface ProfileRow {
  /** Price row (0 = session priceMinInt), rounded as the trade bubbles are. */
  row: number;
  buy: number;
  sell: number;
  /** Trades without an aggressor ('N'): part of the volume, neither side of the delta. */
  other: number;
}

export interface VolumeProfile {
  /** Rows with volume, by price row ascending. */
  rows: ProfileRow[];
  /** Largest total (buy + sell + other) of a row: the point of control's volume; 0 when empty. */
  maxTotal: number;
  /** Price row of the largest total (the point of control, POC); null when empty. */
  pocRow: number | null;
}

export const rowTotal = (r: ProfileRow): number => r.buy + r.sell + r.other;

/** Volume per price row over windows [lo, hi] (inclusive), split by aggressor side. */
export function volumeProfile(chunks: Iterable<Trades>, lo: number, hi: number): VolumeProfile {
  const byRow = new Map<number, ProfileRow>();
  for (const d of chunks) {
    for (let i = lowerBound(d.wi, d.n, lo); i < d.n && d.wi[i] <= hi; i++) {
      const row = Math.round(d.row[i]);
      let r = byRow.get(row);
      if (!r) byRow.set(row, (r = { row, buy: 0, sell: 0, other: 0 }));
      const v = d.volume[i];
      if (d.side[i] === SIDE_BUY_AGGRESSOR) r.buy += v;
      else if (d.side[i] === SIDE_SELL_AGGRESSOR) r.sell += v;
      else r.other += v;
    }
  }
  const rows = [...byRow.values()].sort((a, b) => a.row - b.row);
  let maxTotal = 0;
  let pocRow: number | null = null;
  for (const r of rows) {
    const t = rowTotal(r);
    if (t > maxTotal) {
      maxTotal = t;
      pocRow = r.row;
    }
  }
  return { rows, maxTotal, pocRow };
}

/**
 * Cumulative volume delta over windows [lo, hi]: element k is Σ (buy − sell aggressor volume)
 * of windows lo … lo + k (delta 0 before lo). The strip asks from the session's first window
 * (lo = 0) and shows the visible part, so the value at a time does not depend on the view.
 * Windows without trades (or whose chunk has not arrived) carry the previous value.
 */
export function cvdSeries(chunks: Iterable<Trades>, lo: number, hi: number): Float64Array {
  const n = Math.max(0, hi - lo + 1);
  const delta = new Float64Array(n);
  for (const d of chunks) {
    for (let i = lowerBound(d.wi, d.n, lo); i < d.n && d.wi[i] <= hi; i++) {
      const k = d.wi[i] - lo;
      if (d.side[i] === SIDE_BUY_AGGRESSOR) delta[k] += d.volume[i];
      else if (d.side[i] === SIDE_SELL_AGGRESSOR) delta[k] -= d.volume[i];
    }
  }
  for (let k = 1; k < n; k++) delta[k] += delta[k - 1];
  return delta;
}
