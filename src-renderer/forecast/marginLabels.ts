import { MARGIN_PAD_RIGHT, type LabelRect, type MarginBox, type MarginLabel } from './marginGeometry';

// Where the prediction margin's move labels and horizon ticks go (pure, tested). A trader
// reads the margin at every zoom: zoomed in on price (a few rows in view) the band runs off
// the plot and every label wants the same clamped edge; in a narrow margin (now near the
// right edge) the 1/5/10 s points are a few pixels apart. So each label names its horizon
// ("10s ▲ +1.5") and may be nudged away from its point, never over another label, a tick or
// the predicted path; a label with no room left is dropped, the least important first.

/** Placement order: the path's end first (where the model says the price is going), then the horizons a trader acts on; 1 s (≈ 0, hugging now) gives way first. */
export const LABEL_PRIORITY_S = [30, 5, 10, 1] as const;
export const LABEL_H = 14;
/** Free space kept between two pills, and between a pill and the path (px). */
const PILL_GAP = 3;
/** Gap between the band's edge and the pill that prefers to sit just outside it. */
const BAND_GAP = 3;
/** Extra cost (px of distance) of a pill over the band at its own horizon, and of one on the unexpected side. */
const OVER_BAND_COST = 400;
const WRONG_SIDE_COST = 30;

/** Pill text: the horizon first, then the move ("10s ▲ +1.5"). */
export function pillText(l: Pick<MarginLabel, 'horizonS' | 'text'>): string {
  return `${l.horizonS}s ${l.text}`;
}

function rank(horizonS: number): number {
  const i = (LABEL_PRIORITY_S as readonly number[]).indexOf(horizonS);
  return i < 0 ? LABEL_PRIORITY_S.length : i;
}

const apart = (a: LabelRect, b: LabelRect, gap: number) => a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y || b.y + b.h + gap <= a.y;

/** Lowest and highest y of the path (a polyline in x order) over [xa, xb]. */
export function pathSpanY(path: { x: number; y: number }[], xa: number, xb: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (y: number) => {
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  };
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (p.x >= xa && p.x <= xb) take(p.y);
    const q = path[i + 1];
    if (!q || q.x === p.x) continue;
    for (const x of [xa, xb]) {
      if ((x - p.x) * (x - q.x) < 0) take(p.y + ((x - p.x) / (q.x - p.x)) * (q.y - p.y));
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Pills for the labels, in the labels' order; null for a label dropped for want of room. Each
 * sits as near its point as it can — outside the band (below it for a fall, above it for a
 * rise or a flat path) when the band is in view — inside the margin between `top` and
 * `bottom`, clear of the path, of the pills placed before it (by LABEL_PRIORITY_S) and of
 * `keepClear` (the horizon ticks).
 */
export function placeLabels(
  labels: MarginLabel[],
  path: { x: number; y: number }[],
  widthOf: (text: string) => number,
  box: MarginBox,
  top: number,
  bottom: number,
  keepClear: LabelRect[] = [],
): (LabelRect | null)[] {
  const out: (LabelRect | null)[] = labels.map(() => null);
  const placed: LabelRect[] = [...keepClear];
  const order = labels.map((_, i) => i).sort((a, b) => rank(labels[a].horizonS) - rank(labels[b].horizonS));
  const left = box.x0 + 2;
  const right = box.x1 + MARGIN_PAD_RIGHT - 2;
  for (const i of order) {
    const l = labels[i];
    const w = Math.ceil(widthOf(pillText(l))) + 8;
    if (w > right - left || bottom - top < LABEL_H) continue;
    const x = Math.min(right - w, Math.max(left, l.x - w / 2));
    const onPath = pathSpanY(path, x - PILL_GAP, x + w + PILL_GAP);
    const wantBelow = l.direction < 0;
    let best: LabelRect | null = null;
    let bestCost = Infinity;
    for (let y = Math.ceil(top); y <= bottom - LABEL_H; y++) {
      const r = { x, y, w, h: LABEL_H };
      if (onPath && y < onPath[1] + PILL_GAP && y + LABEL_H > onPath[0] - PILL_GAP) continue;
      const below = y >= l.y;
      const dist = below ? y - l.y : l.y - (y + LABEL_H);
      const overBand = y < l.yBandLo + BAND_GAP && y + LABEL_H > l.yBandHi - BAND_GAP;
      const cost = Math.max(0, dist) + (overBand ? OVER_BAND_COST : 0) + (below !== wantBelow ? WRONG_SIDE_COST : 0);
      if (cost >= bestCost) continue;
      if (!placed.every((q) => apart(r, q, PILL_GAP))) continue;
      best = r;
      bestCost = cost;
    }
    if (best) {
      out[i] = best;
      placed.push(best);
    }
  }
  return out;
}

/** Horizon ticks' text boxes along the margin's bottom; a tick that would touch one kept before it (by LABEL_PRIORITY_S) is left out. */
export function placeTicks(ticks: { horizonS: number; x: number; w: number }[], y: number, h: number): (LabelRect | null)[] {
  const out: (LabelRect | null)[] = ticks.map(() => null);
  const kept: LabelRect[] = [];
  const order = ticks.map((_, i) => i).sort((a, b) => rank(ticks[a].horizonS) - rank(ticks[b].horizonS));
  for (const i of order) {
    const t = ticks[i];
    const r = { x: t.x - t.w / 2, y, w: t.w, h };
    if (kept.every((q) => apart(r, q, 4))) {
      out[i] = r;
      kept.push(r);
    }
  }
  return out;
}
