import { cellAt, clampView, dataAt, fitPriceToSpot, followView, pan, plotRect, zoomPrice, zoomTime, type Cell, type Pointer, type View } from '../data/viewMath';
import { chartStore, type ChartState } from './chartStore';

// The view's named actions: the only code that writes `view`, `follow` and `hover`. The mouse
// (Chart.tsx), the engine client (a new playhead, a recentre) and the keyboard call these;
// each keeps the view on the session (clampView).

function clamped(st: ChartState, v: View): View {
  if (!st.geom) return v;
  return clampView(v, st.geom.windowCount, st.geom.nPrices, st.nowIndex);
}

/** The plot rectangle of the chart as last measured. */
export function currentPlot(st: ChartState = chartStore.getState()) {
  return plotRect(st.size.w, st.size.h);
}

/** The cell under the pointer now (for the tooltip and the crosshair; never stored). */
export function hoveredCell(st: ChartState = chartStore.getState()): Cell | null {
  return cellAt(st.hover, st.view, currentPlot(st));
}

/** Data coordinates of a point of the chart element (CSS px). */
export function dataAtPoint(p: Pointer, st: ChartState = chartStore.getState()): { t: number; p: number } {
  return dataAt(p, st.view, currentPlot(st));
}

export function setChartSize(w: number, h: number): void {
  const s = chartStore.getState().size;
  if (s.w !== w || s.h !== h) chartStore.setState({ size: { w, h } });
}

export function pointerMoved(p: Pointer | null): void {
  chartStore.setState({ hover: p });
}

/** Drag by (dx, dy) CSS px: time and price follow the hand; a sideways drag leaves follow mode. */
export function panByPixels(dx: number, dy: number): void {
  const st = chartStore.getState();
  const plot = currentPlot(st);
  const v = st.view;
  const dt = -(dx / plot.w) * (v.t1 - v.t0);
  const dp = (dy / plot.h) * (v.p1 - v.p0);
  chartStore.setState({ view: clamped(st, pan(v, dt, dp)), follow: st.follow && Math.abs(dt) < 1e-9 });
}

/** Wheel over the plot: zoom time about the pointer (about "now" while following). */
export function zoomTimeAt(pointerT: number, factor: number): void {
  const st = chartStore.getState();
  const anchor = st.follow && st.nowIndex !== null ? st.nowIndex : pointerT;
  chartStore.setState({ view: clamped(st, zoomTime(st.view, anchor, factor)) });
}

/** Wheel over the price axis (or with Shift): zoom price about the pointer. */
export function zoomPriceAt(pointerP: number, factor: number): void {
  const st = chartStore.getState();
  if (!st.geom) return;
  chartStore.setState({ view: clamped(st, zoomPrice(st.view, pointerP, factor, st.geom.nPrices)) });
}

/** Double-click: follow "now" again, with the spot track in view. */
export function followNow(): void {
  const st = chartStore.getState();
  if (st.nowIndex === null || !st.data) {
    chartStore.setState({ follow: true });
    return;
  }
  const v = followView(st.view, st.nowIndex, st.data.spotRow[st.nowIndex]);
  chartStore.setState({ follow: true, view: clamped(st, v) });
  recentreOnSpot();
}

/**
 * A new playhead (a frame, a playback event or a seek). A jump (a seek, or more than 2 s)
 * turns follow on; following puts now at the margin and keeps spot in the middle 60 %.
 * Returns whether it was a jump.
 */
export function moveNow(index: number, jump: boolean): boolean {
  const st = chartStore.getState();
  if (!st.data) return false;
  const prev = st.nowIndex;
  const isJump = jump || prev === null || Math.abs(index - prev) > 2;
  const follow = isJump || st.follow;
  let view = st.view;
  if (follow) view = followView(view, index, st.data.spotRow[index]);
  const next = { ...st, nowIndex: index };
  chartStore.setState({ nowIndex: index, view: clamped(next, view), follow });
  return isJump;
}

/**
 * Price rows that show the spot track of the visible windows (after a jump, when the view's
 * slabs are in): centred on it, widened when it moved more than the view shows.
 */
export function recentreOnSpot(): void {
  const st = chartStore.getState();
  if (!st.data || !st.geom || st.nowIndex === null) return;
  const fit = fitPriceToSpot(st.view, st.data.spotRow, st.nowIndex, st.geom.nPrices);
  if (fit) chartStore.setState({ view: clamped(st, { ...st.view, ...fit }) });
}
