import { KIND_WALL, SIDE_BUY_AGGRESSOR, SIDE_SELL_AGGRESSOR, lowerBound, type Trades, type WallsVoids } from '../data/overlayData';
import type { View } from '../state/chartStore';
import type { PlotRect } from './heatmap';

// Walls/voids markers and trade bubbles over the heatmap (SPEC §7 overlays). Geometry is pure
// (tested without a canvas); drawing batches one path per colour so thousands of marks cost a
// few Canvas 2D calls. Nothing right of "now" is drawn: that margin belongs to the forecast.

export const TRADE_BUY = { fill: 'rgba(34, 197, 94, 0.82)', ring: '#bbf7d0' };
export const TRADE_SELL = { fill: 'rgba(239, 68, 68, 0.82)', ring: '#fecaca' };
export const TRADE_NONE = { fill: 'rgba(203, 213, 225, 0.7)', ring: '#f1f5f9' };
/**
 * Walls: sky-blue bars; voids: hollow lavender boxes; both inside a dark halo. Neither palette
 * has blue (the inferno-like one runs black → indigo → magenta → amber → pale yellow, the
 * diverging one red ↔ green), and the halo keeps a marker readable on the palette's brightest
 * cells, where an amber wall used to vanish into amber depth.
 */
export const WALL_COLOR = '#38bdf8';
/** Wall fills by rank (nearest first): lighter = nearer. Opaque, so even rank 3 stands ≥ 3:1 above a dark cell. */
export const WALL_RANK_COLORS = ['#bae6fd', '#7dd3fc', WALL_COLOR] as const;
export const VOID_COLOR = '#e9d5ff';
export const MARK_HALO = 'rgba(4, 6, 10, 0.92)';

/** Bubble radius in CSS px: area ∝ volume (r ∝ √volume), bounded so one block trade does not hide the book. */
export const BUBBLE_R_PER_SQRT = 1.0;
export const BUBBLE_R_MIN = 2.5;
export const BUBBLE_R_MAX = 13;
/** Zoomed out, trades of neighbouring windows merge so bubbles are at least this far apart. */
export const BUBBLE_SPACING_PX = 6;

export interface Bubble {
  x: number;
  y: number;
  r: number;
  /** 'buy' = buy aggressor (lifted the ask), 'sell' = sell aggressor (hit the bid), 'none' = no aggressor given. */
  side: 'buy' | 'sell' | 'none';
  volume: number;
}

export interface Marker {
  x: number;
  y: number;
  w: number;
  h: number;
  wall: boolean;
  rank: number;
}

interface Axes {
  xOf(t: number): number;
  yOf(p: number): number;
  secPerPx: number;
  rowPx: number;
}

function axes(view: View, plot: PlotRect): Axes {
  return {
    xOf: (t) => plot.x + ((t - view.t0) / (view.t1 - view.t0)) * plot.w,
    yOf: (p) => plot.y + plot.h - ((p - view.p0) / (view.p1 - view.p0)) * plot.h,
    secPerPx: (view.t1 - view.t0) / plot.w,
    rowPx: plot.h / (view.p1 - view.p0),
  };
}

export function bubbleRadius(volume: number): number {
  return Math.max(BUBBLE_R_MIN, Math.min(BUBBLE_R_MAX, BUBBLE_R_PER_SQRT * Math.sqrt(volume)));
}

/** Visible window range [lo, hi] (up to now) of the view. */
function visibleWindows(view: View, nowIndex: number): [number, number] {
  return [Math.max(0, Math.floor(view.t0)), Math.min(nowIndex, Math.ceil(view.t1) + 1)];
}

/**
 * Trade bubbles: per (time bucket, price row, aggressor side) one bubble at the bucket's
 * centre. A bucket is one window zoomed in, several when a window is narrower than
 * BUBBLE_SPACING_PX. Trades without an aggressor ('N') are drawn neutral grey.
 */
export function tradeBubbles(chunks: Iterable<Trades>, view: View, plot: PlotRect, nowIndex: number): Bubble[] {
  const a = axes(view, plot);
  const [lo, hi] = visibleWindows(view, nowIndex);
  const bucket = Math.max(1, Math.round(BUBBLE_SPACING_PX * a.secPerPx));
  const sums = new Map<number, number>();
  for (const d of chunks) {
    for (let i = lowerBound(d.wi, d.n, lo); i < d.n && d.wi[i] <= hi; i++) {
      const side = d.side[i] === SIDE_BUY_AGGRESSOR ? 2 : d.side[i] === SIDE_SELL_AGGRESSOR ? 1 : 0;
      const row = Math.round(d.row[i]);
      if (row < view.p0 - 1 || row > view.p1 + 1) continue;
      const b = Math.floor(d.wi[i] / bucket);
      // Key: bucket, row, side packed into one number (rows < 2^20, buckets < 2^28: exact in a double).
      const key = (b * 1048576 + row) * 3 + side;
      sums.set(key, (sums.get(key) ?? 0) + d.volume[i]);
    }
  }
  const out: Bubble[] = [];
  for (const [key, volume] of sums) {
    const sideCode = key % 3;
    const rest = Math.floor(key / 3);
    const row = rest % 1048576;
    const b = Math.floor(rest / 1048576);
    // Windows b·B … b·B+B−1 span t ∈ [b·B − 1, b·B + B − 1].
    const tMid = b * bucket + bucket / 2 - 1;
    out.push({ x: a.xOf(Math.min(tMid, nowIndex - 0.5)), y: a.yOf(row), r: bubbleRadius(volume), side: sideCode === 2 ? 'buy' : sideCode === 1 ? 'sell' : 'none', volume });
  }
  // Big bubbles first, so small ones stay visible on top of them.
  out.sort((p, q) => q.volume - p.volume);
  return out;
}

/** Walls: a bar across the window's column at the level; voids: a hollow box there. */
export function wallVoidMarkers(chunks: Iterable<WallsVoids>, view: View, plot: PlotRect, nowIndex: number): Marker[] {
  const a = axes(view, plot);
  const [lo, hi] = visibleWindows(view, nowIndex);
  const out: Marker[] = [];
  // Zoomed out on price the three ranks each side sit a pixel or two apart and merge into one
  // band over the spot: keep the nearest rank(s) only.
  const maxRank = a.rowPx < 3 ? 1 : a.rowPx < 6 ? 2 : 3;
  const wallH = Math.max(2, Math.min(4, a.rowPx * 0.3));
  const voidH = Math.max(3, Math.min(9, a.rowPx * 0.75));
  for (const d of chunks) {
    for (let i = lowerBound(d.wi, d.n, lo); i < d.n && d.wi[i] <= hi; i++) {
      const row = d.row[i];
      if (row < view.p0 - 1 || row > view.p1 + 1 || d.rank[i] > maxRank) continue;
      const x0 = a.xOf(d.wi[i] - 1);
      const x1 = a.xOf(d.wi[i]);
      const wall = d.kind[i] === KIND_WALL;
      const h = wall ? wallH : voidH;
      // Leave a gap between neighbouring columns when they are wide enough to show one.
      const gap = x1 - x0 > 6 ? 1 : 0;
      out.push({ x: x0 + gap, y: a.yOf(row) - h / 2, w: Math.max(1, x1 - x0 - 2 * gap), h, wall, rank: d.rank[i] });
    }
  }
  return out;
}

/** A marker's box on whole pixels: a 1-px line on a half pixel would blend into its halo and lose its contrast. */
export function markerBox(m: Marker): { x: number; y: number; w: number; h: number } {
  const x = Math.round(m.x);
  const y = Math.round(m.y);
  return { x, y, w: Math.max(1, Math.round(m.x + m.w) - x), h: Math.max(m.wall ? 2 : 3, Math.round(m.y + m.h) - y) };
}

export function drawWallsVoids(ctx: CanvasRenderingContext2D, marks: Marker[]): void {
  const boxes = marks.map(markerBox);
  // Every halo first, then every fill: a wall running across neighbouring columns reads as one
  // bar. Nearest levels lightest: the eye finds rank 1 first.
  ctx.fillStyle = MARK_HALO;
  ctx.beginPath();
  for (let k = 0; k < marks.length; k++) if (marks[k].wall) ctx.rect(boxes[k].x - 1, boxes[k].y - 1, boxes[k].w + 2, boxes[k].h + 2);
  ctx.fill();
  ctx.strokeStyle = MARK_HALO;
  ctx.lineWidth = 3;
  ctx.beginPath();
  for (let k = 0; k < marks.length; k++) if (!marks[k].wall) ctx.rect(boxes[k].x + 0.5, boxes[k].y + 0.5, boxes[k].w - 1, boxes[k].h - 1);
  ctx.stroke();
  for (let rank = 1; rank <= 3; rank++) {
    const pick = (m: Marker) => (rank === 3 ? m.rank >= 3 : m.rank === rank);
    ctx.fillStyle = WALL_RANK_COLORS[rank - 1];
    ctx.beginPath();
    for (let k = 0; k < marks.length; k++) if (marks[k].wall && pick(marks[k])) ctx.rect(boxes[k].x, boxes[k].y, boxes[k].w, boxes[k].h);
    ctx.fill();
  }
  ctx.strokeStyle = VOID_COLOR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k < marks.length; k++) if (!marks[k].wall) ctx.rect(boxes[k].x + 0.5, boxes[k].y + 0.5, boxes[k].w - 1, boxes[k].h - 1);
  ctx.stroke();
}

export function drawTradeBubbles(ctx: CanvasRenderingContext2D, bubbles: Bubble[]): void {
  for (const b of bubbles) {
    const c = b.side === 'buy' ? TRADE_BUY : b.side === 'sell' ? TRADE_SELL : TRADE_NONE;
    ctx.beginPath();
    ctx.arc(b.x, b.y, b.r, 0, Math.PI * 2);
    ctx.fillStyle = c.fill;
    ctx.fill();
    if (b.r >= 3) {
      ctx.lineWidth = 1;
      ctx.strokeStyle = c.ring;
      ctx.stroke();
    }
  }
}
