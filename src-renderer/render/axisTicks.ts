// Where the price axis puts its grid lines and labels, and which axis labels give way to the
// tags drawn over the axes. Pure (unit-tested without a canvas).
//
// Prices: Bookmap / Sierra convention — round prices only. The step is a multiple of the tick
// taken from 1, 2, 5 (25, 50, 100 above ten) and the quarter values 0.25 / 0.025 (ES and NQ traders count in
// quarter points up close and in 5, 10, 25, 50, 100 points zoomed out), never 2.5 or 0.2 on a
// 0.25 tick. Lines sit where the price itself is a multiple of the step (6550.00, 6555.00), not
// where the row count from the grid's first price is: that made labels like 6553.25.

/** Candidate steps in price units, ascending (1e-6 … 1e6). */
const CANDIDATES: number[] = (() => {
  const out: number[] = [];
  for (let k = -6; k <= 6; k++) {
    const p = 10 ** k;
    // 25, 250… rather than 20, 200 above ten units; quarters (0.25, 0.025…) below one unit;
    // never 2.5.
    out.push(p, 5 * p, k >= 1 ? 2.5 * p : 2 * p);
    if (k <= -1) out.push(2.5 * p);
  }
  return out.map((v) => Number(v.toPrecision(6))).sort((a, b) => a - b);
})();

function isMultiple(step: number, tick: number): boolean {
  const q = step / tick;
  return Math.abs(q - Math.round(q)) < 1e-6 && Math.round(q) >= 1;
}

/**
 * The price step between labelled grid lines: the smallest round multiple of `tick` whose lines
 * are at least `minPx` apart at `pricePerPx` (price units per CSS pixel).
 */
export function priceGridStep(tick: number, pricePerPx: number, minPx: number): number {
  const raw = Math.max(tick, pricePerPx * minPx);
  for (const c of CANDIDATES) if (c >= raw * (1 - 1e-9) && isMultiple(c, tick)) return c;
  // Past the table: a power of ten that is a multiple of the tick.
  let s = 10 ** Math.ceil(Math.log10(raw));
  while (!isMultiple(s, tick)) s *= 10;
  return s;
}

/**
 * Prices of the grid lines in [lo, hi] (price units): every multiple of `step`, computed on
 * integers of `scale` (1e9 = the DBN fixed-point unit) so 6550.25 never drifts to 6550.2499.
 */
export function priceGridLines(lo: number, hi: number, step: number, scale = 1e9): number[] {
  const s = Math.round(step * scale);
  const first = Math.ceil(Math.round(lo * scale) / s);
  const last = Math.floor(Math.round(hi * scale) / s);
  const out: number[] = [];
  for (let k = first; k <= last && out.length < 1000; k++) out.push((k * s) / scale);
  return out;
}

/** A grid line is "major" (drawn a little brighter) at a multiple of five steps. */
export function isMajorLine(price: number, step: number): boolean {
  const q = Math.round(price / step);
  return q % 5 === 0;
}

/** An axis label or tag on one axis: its extent along that axis, [a, b] in CSS px. */
export interface Span {
  a: number;
  b: number;
}

/**
 * Which labels are drawn: a label is dropped when its extent (padded by `gap`) meets any tag's,
 * since the tags (spot, bid, ask, now, crosshair) carry the information the trader is reading.
 */
export function labelsClearOfTags<T extends Span>(labels: T[], tags: Span[], gap = 2): T[] {
  return labels.filter((l) => !tags.some((t) => l.b + gap > t.a && l.a - gap < t.b));
}

/**
 * Price tags on the axis, stacked so none overlaps another: the spot tag stays at its price;
 * ask tags are pushed up and bid tags down until they clear their neighbour (as Bookmap's
 * ladder stacks them when the spread is a tick). `h` is a tag's height.
 */
export function stackPriceTags(spotY: number | null, askY: number | null, bidY: number | null, h: number): { spot: number | null; ask: number | null; bid: number | null } {
  let ask = askY;
  let bid = bidY;
  if (spotY !== null) {
    if (ask !== null) ask = Math.min(ask, spotY - h);
    if (bid !== null) bid = Math.max(bid, spotY + h);
  } else if (ask !== null && bid !== null && bid - ask < h) {
    const mid = (ask + bid) / 2;
    ask = mid - h / 2;
    bid = mid + h / 2;
  }
  return { spot: spotY, ask, bid };
}
