import type { PlotRect } from '../render/heatmap';
import type { View } from '../state/chartStore';
import type { VolumeProfile } from './profileData';

// Where the volume profile and the CVD strip sit on the plot, and their marks in CSS px.
// Pure (tested without a canvas). Both end at "now" when now is on screen, so the prediction
// margin right of it stays the forecast's; the profile hugs that edge, Bookmap-style.

/** Width of the volume profile histogram, CSS px. */
export const PROFILE_W = 60;
/** Height of the cumulative volume delta strip along the plot's bottom, CSS px. */
export const CVD_STRIP_H = 50;
/** Bars are at least this tall: zoomed out, neighbouring price rows merge into one bar. */
export const PROFILE_MIN_BAR_PX = 2;
const CVD_PAD_PX = 5;

export interface PanelBox {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

export interface ProfileBar {
  y: number;
  h: number;
  /** Segments from the left: buy aggressor, unknown side, sell aggressor; they end at the box's right edge. */
  buyW: number;
  otherW: number;
  sellW: number;
  /** The bar holding the point of control (largest volume). */
  poc: boolean;
}

export interface CvdGeometry {
  box: PanelBox;
  /** Line vertices: x at each window's end, y on the strip's own scale. */
  xs: Float64Array;
  ys: Float64Array;
  zeroY: number;
  last: number;
  min: number;
  max: number;
}

function xOf(view: View, plot: PlotRect, t: number): number {
  return plot.x + ((t - view.t0) / (view.t1 - view.t0)) * plot.w;
}

function yOf(view: View, plot: PlotRect, p: number): number {
  return plot.y + plot.h - ((p - view.p0) / (view.p1 - view.p0)) * plot.h;
}

/** Windows whose column [i − 1, i] meets the view, up to now; null when none. */
export function visibleWindowRange(view: View, nowIndex: number): [number, number] | null {
  const lo = Math.max(0, Math.floor(view.t0) + 1);
  const hi = Math.min(nowIndex, Math.ceil(view.t1));
  return hi < lo ? null : [lo, hi];
}

/** Right edge shared by the profile and the strip: now's x, or the plot's right edge when now is beyond it. */
export function dataRight(view: View, plot: PlotRect, nowIndex: number): number {
  return Math.min(plot.x + plot.w, xOf(view, plot, nowIndex));
}

/** The profile's box: PROFILE_W wide left of the data's right edge, above the CVD strip; null when there is no room. */
export function profileBox(view: View, plot: PlotRect, nowIndex: number, withStrip: boolean): PanelBox | null {
  const x1 = dataRight(view, plot, nowIndex);
  if (x1 - plot.x < PROFILE_W * 2) return null;
  return { x0: x1 - PROFILE_W, x1, top: plot.y, bottom: plot.y + plot.h - (withStrip ? CVD_STRIP_H : 0) };
}

/**
 * One bar per price bucket in the view (a bucket is one row zoomed in, several when a row is
 * thinner than PROFILE_MIN_BAR_PX), length ∝ its total volume against the largest bucket.
 */
export function profileBars(p: VolumeProfile, view: View, plot: PlotRect, box: PanelBox): ProfileBar[] {
  const rowPx = plot.h / (view.p1 - view.p0);
  const per = Math.max(1, Math.ceil(PROFILE_MIN_BAR_PX / rowPx));
  const buckets = new Map<number, { buy: number; sell: number; other: number; poc: boolean }>();
  for (const r of p.rows) {
    if (r.row < view.p0 - 0.5 || r.row > view.p1 + 0.5) continue;
    const b = Math.floor(r.row / per);
    let s = buckets.get(b);
    if (!s) buckets.set(b, (s = { buy: 0, sell: 0, other: 0, poc: false }));
    s.buy += r.buy;
    s.sell += r.sell;
    s.other += r.other;
    if (r.row === p.pocRow) s.poc = true;
  }
  let max = 0;
  for (const s of buckets.values()) max = Math.max(max, s.buy + s.sell + s.other);
  if (max <= 0) return [];
  const full = box.x1 - box.x0 - 2;
  const h = Math.max(1, per * rowPx - (per * rowPx >= 4 ? 1 : 0));
  const out: ProfileBar[] = [];
  for (const [b, s] of buckets) {
    const yTop = yOf(view, plot, b * per + per - 0.5);
    if (yTop >= box.bottom || yTop + h <= box.top) continue;
    const scale = full / max;
    out.push({ y: yTop, h: Math.min(h, box.bottom - yTop), buyW: s.buy * scale, otherW: s.other * scale, sellW: s.sell * scale, poc: s.poc });
  }
  return out;
}

/** The CVD strip's line for a series starting at window `lo`; null when there is no room or no windows. */
export function cvdGeometry(series: Float64Array, lo: number, view: View, plot: PlotRect, nowIndex: number): CvdGeometry | null {
  const x1 = dataRight(view, plot, nowIndex);
  if (series.length === 0 || x1 - plot.x < PROFILE_W * 2 || plot.h < CVD_STRIP_H * 2) return null;
  const box: PanelBox = { x0: plot.x, x1, top: plot.y + plot.h - CVD_STRIP_H, bottom: plot.y + plot.h };
  // The scale fits the visible values (a session-long CVD far from zero would flatten the line
  // if zero had to be held); the zero line is drawn only when it falls inside.
  let min = Infinity;
  let max = -Infinity;
  for (const v of series) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const yTop = box.top + CVD_PAD_PX;
  const yBot = box.bottom - CVD_PAD_PX;
  const yOfV = (v: number) => yBot - ((v - min) / span) * (yBot - yTop);
  const xs = new Float64Array(series.length);
  const ys = new Float64Array(series.length);
  for (let k = 0; k < series.length; k++) {
    xs[k] = Math.min(x1, Math.max(plot.x, xOf(view, plot, lo + k)));
    ys[k] = yOfV(series[k]);
  }
  return { box, xs, ys, zeroY: yOfV(0), last: series[series.length - 1], min, max };
}

/** "+1,234" / "−56" / "0": the CVD label, signed so the direction reads at a glance. */
export function cvdLabel(v: number): string {
  const n = Math.round(v);
  const abs = Math.abs(n).toLocaleString('en-US');
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : '0';
}
