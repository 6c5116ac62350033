// Pure view arithmetic: the view's limits, zoom, pan, follow, the clamp to the session and the
// cell under the pointer. The named view actions (state/viewActions.ts) and tests share it;
// this module owns the constants and imports nothing from state/.

/** Visible region: t in window-end units (column i spans [i−1, i]), p in price rows. */
export interface View {
  t0: number;
  t1: number;
  p0: number;
  p1: number;
}

/** The pointer over the chart in CSS px inside the chart element (kept in pixels, never as a cell). */
export interface Pointer {
  x: number;
  y: number;
}

/** A cell of the heatmap: window index (column) and price row. */
export interface Cell {
  windowIndex: number;
  row: number;
}

export interface PlotArea {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The chart's frame: price axis on the right (like a DOM ladder), time axis below. */
export const AXIS_RIGHT = 76;
export const AXIS_BOTTOM = 28;
export const PLOT_TOP = 6;

export function plotRect(cssW: number, cssH: number): PlotArea {
  return { x: 0, y: PLOT_TOP, w: Math.max(10, cssW - AXIS_RIGHT), h: Math.max(10, cssH - PLOT_TOP - AXIS_BOTTOM) };
}

export const CHUNK = 300;
export const RING_SLOTS = 3600;
/** Widest time span the view may show (keeps every visible column resident in the ring). */
export const MAX_SPAN = RING_SLOTS - 2 * CHUNK;
export const MIN_SPAN = 20;
export const MIN_PRICE_SPAN = 8;
/** Share of the plot right of "now" kept empty for the forecast. */
export const MARGIN_SHARE = 0.12;
export const DEFAULT_SPAN = 900;
export const DEFAULT_PRICE_SPAN = 120;
/** Share of the span the view may reach past the session's ends (a small margin, not empty half-plots). */
export const EDGE_PAD = 0.03;

export function clampSpan(span: number): number {
  return Math.max(MIN_SPAN, Math.min(MAX_SPAN, span));
}

/** Zoom time by `factor` (>1 zooms out) keeping `anchorT` under the cursor. */
export function zoomTime(v: View, anchorT: number, factor: number): View {
  const span = clampSpan((v.t1 - v.t0) * factor);
  const a = (anchorT - v.t0) / (v.t1 - v.t0);
  return { ...v, t0: anchorT - a * span, t1: anchorT + (1 - a) * span };
}

export function zoomPrice(v: View, anchorP: number, factor: number, nPrices: number): View {
  const span = Math.max(MIN_PRICE_SPAN, Math.min(Math.max(nPrices, MIN_PRICE_SPAN), (v.p1 - v.p0) * factor));
  const a = (anchorP - v.p0) / (v.p1 - v.p0);
  return { ...v, p0: anchorP - a * span, p1: anchorP + (1 - a) * span };
}

export function pan(v: View, dt: number, dp: number): View {
  return { t0: v.t0 + dt, t1: v.t1 + dt, p0: v.p0 + dp, p1: v.p1 + dp };
}

/** The time of "now" when following: at the left edge of the forecast margin. */
export function followT1(now: number, span: number): number {
  return now + span * MARGIN_SHARE;
}

/**
 * Follow mode: "now" sits at the left edge of the prediction margin; price recentres on spot
 * when spot leaves the middle 60 % of the visible prices (not every tick, so the picture is calm).
 */
export function followView(v: View, now: number, spotRow: number): View {
  const span = v.t1 - v.t0;
  const t1 = followT1(now, span);
  let { p0, p1 } = v;
  if (Number.isFinite(spotRow)) {
    const ps = p1 - p0;
    if (spotRow < p0 + ps * 0.2 || spotRow > p1 - ps * 0.2) {
      p0 = spotRow - ps / 2;
      p1 = spotRow + ps / 2;
    }
  }
  return { t0: t1 - span, t1, p0, p1 };
}

/**
 * Keeps the view on the session: time from a small margin before the first window to "now"
 * plus the forecast margin (nothing is drawn right of now), price within the grid plus a small
 * margin. Shifts rather than shrinks; a span wider than the session is cut to it.
 */
export function clampView(v: View, windowCount: number, nPrices: number, now: number | null): View {
  // No wider than the whole session and its margins.
  const widest = windowCount / (1 - MARGIN_SHARE - 2 * EDGE_PAD);
  const span = Math.max(MIN_SPAN, Math.min(v.t1 - v.t0, MAX_SPAN, widest));
  const last = Math.min(windowCount - 1, now ?? windowCount - 1);
  const tHi = last + span * (MARGIN_SHARE + EDGE_PAD);
  let t0 = v.t0;
  if (t0 + span > tHi) t0 = tHi - span;
  // The start wins over "now": early in a session the view starts at the first window.
  if (t0 < -span * EDGE_PAD) t0 = -span * EDGE_PAD;
  const ps = Math.max(MIN_PRICE_SPAN, Math.min(v.p1 - v.p0, nPrices * (1 + 2 * EDGE_PAD)));
  const pLo = -ps * EDGE_PAD;
  const pHi = nPrices - 1 + ps * EDGE_PAD;
  let p0 = v.p0;
  if (p0 + ps > pHi) p0 = pHi - ps;
  if (p0 < pLo) p0 = pLo;
  return { t0, t1: t0 + span, p0, p1: p0 + ps };
}

/**
 * Price rows that show the spot track over the visible windows up to now: the view's span
 * (widened when the track needs more, up to the grid) centred on the track, or null when the
 * track already sits inside the view's middle 80 % or is unknown.
 */
export function fitPriceToSpot(v: View, spotRow: Float32Array, now: number, nPrices: number): { p0: number; p1: number } | null {
  const i0 = Math.max(0, Math.floor(v.t0));
  const i1 = Math.min(now, Math.ceil(v.t1), spotRow.length - 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = i0; i <= i1; i++) {
    const s = spotRow[i];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (!(hi >= lo)) return null;
  const ps = v.p1 - v.p0;
  if (lo >= v.p0 + ps * 0.1 && hi <= v.p1 - ps * 0.1) return null;
  const span = Math.min(Math.max(ps, (hi - lo) * 1.25 + 4), Math.max(nPrices, MIN_PRICE_SPAN));
  const mid = (lo + hi) / 2;
  return { p0: mid - span / 2, p1: mid + span / 2 };
}

/** Data coordinates under a pointer: continuous time and price rows. */
export function dataAt(p: Pointer, v: View, plot: PlotArea): { t: number; p: number } {
  return { t: v.t0 + ((p.x - plot.x) / plot.w) * (v.t1 - v.t0), p: v.p0 + ((plot.y + plot.h - p.y) / plot.h) * (v.p1 - v.p0) };
}

/**
 * The cell under the pointer for this view and plot, or null outside the plot. Computed when
 * it is drawn or read, never stored: a zoom, play or seek under a still mouse moves the cell.
 */
export function cellAt(p: Pointer | null, v: View, plot: PlotArea): Cell | null {
  if (!p) return null;
  if (p.x < plot.x || p.x >= plot.x + plot.w || p.y < plot.y || p.y >= plot.y + plot.h) return null;
  const d = dataAt(p, v, plot);
  return { windowIndex: Math.floor(d.t) + 1, row: Math.round(d.p) };
}

/** Home: the first window whose view is full (now at the margin, the session's start at the left edge). */
export function homeIndex(windowCount: number, span: number): number {
  return Math.max(0, Math.min(windowCount - 1, Math.ceil(span * (1 - MARGIN_SHARE - EDGE_PAD))));
}

/** Nice step for axis ticks: 1, 2, 5 × 10^k covering `raw`. */
export function niceStep(raw: number): number {
  const k = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * k >= raw) return m * k;
  return 10 * k;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

export function timeStep(secondsPerPx: number, minPx: number): number {
  for (const s of TIME_STEPS) if (s / secondsPerPx >= minPx) return s;
  return 43200;
}
