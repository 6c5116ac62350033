import { FORECAST_LABEL_HORIZONS_S, FORECAST_MAX_HORIZON_S } from '../../contracts/forecast';
import type { PlotRect } from '../render/heatmap';
import type { View } from '../state/chartStore';
import type { ForecastPath } from './forecastData';

// Geometry of the prediction margin (pure, tested): the strip right of "now" has its own
// horizon axis, 1…30 s, on a square-root scale so the near horizons a trader acts on get
// room (at the default zoom the margin is ~100 s of true time; 30 s of it would be ~50 px).
// Prices keep the chart's scale: a predicted tick sits on the same row as the heatmap's.

/** Room kept free at the margin's right edge (px), so the 30 s label is not cut by the axis. */
export const MARGIN_PAD_RIGHT = 14;
/** Narrower than this (px), the margin draws nothing: the view is zoomed or panned away from now. */
export const MIN_MARGIN_PX = 36;

export interface MarginBox {
  /** x of "now" (the forecast's origin). */
  x0: number;
  /** x of the 30 s horizon. */
  x1: number;
  top: number;
  bottom: number;
}

export interface MarginLabel {
  horizonS: number;
  x: number;
  y: number;
  /** e.g. "▲ +1.5" (ticks from the current spot). */
  text: string;
  direction: number;
  /** y of the band's upper and lower edges at this horizon. */
  yBandHi: number;
  yBandLo: number;
}

/** A label's pill, placed (marginLabels.ts). */
export interface LabelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MarginGeometry {
  origin: { x: number; y: number };
  /** The predicted spot path, from the origin through every horizon. */
  path: { x: number; y: number }[];
  /** The confidence band: per horizon the y of its upper (higher price) and lower edges. */
  band: { x: number; yHi: number; yLo: number }[];
  labels: MarginLabel[];
}

/** Time → x and price row → y of the plot (the chart's own axes). */
export function axesOf(view: View, plot: PlotRect): { xOf: (t: number) => number; yOf: (row: number) => number } {
  return {
    xOf: (t) => plot.x + ((t - view.t0) / (view.t1 - view.t0)) * plot.w,
    yOf: (row) => plot.y + plot.h - ((row - view.p0) / (view.p1 - view.p0)) * plot.h,
  };
}

/**
 * Widest the margin gets, as a share of the plot. Zoomed out early in a session the view
 * (clamped to the session) puts now far left, and 30 s of forecast stretched over two thirds
 * of the chart (1 s at 100 px, 30 s at 1,250 px); capped, the horizon axis keeps a readable
 * size and the rest of the future stays plain.
 */
export const MAX_MARGIN_SHARE = 0.22;

/** The margin right of now; null when it is too narrow to show a forecast. */
export function marginBox(view: View, plot: PlotRect, nowIndex: number): MarginBox | null {
  const x0 = axesOf(view, plot).xOf(nowIndex);
  const right = Math.min(plot.x + plot.w, x0 + Math.max(MIN_MARGIN_PX * 4, MAX_MARGIN_SHARE * plot.w));
  if (x0 < plot.x || right - x0 < MIN_MARGIN_PX) return null;
  return { x0, x1: right - MARGIN_PAD_RIGHT, top: plot.y, bottom: plot.y + plot.h };
}

export function horizonX(box: MarginBox, horizonS: number): number {
  return box.x0 + Math.sqrt(Math.max(0, horizonS) / FORECAST_MAX_HORIZON_S) * (box.x1 - box.x0);
}

/** The horizon (whole seconds, 1…30) under x inside the margin; null outside it. */
export function horizonAtX(box: MarginBox, x: number): number | null {
  if (x <= box.x0 || x > box.x1 + MARGIN_PAD_RIGHT) return null;
  const f = Math.min(1, (x - box.x0) / (box.x1 - box.x0));
  return Math.min(FORECAST_MAX_HORIZON_S, Math.max(1, Math.round(f * f * FORECAST_MAX_HORIZON_S)));
}

/** "▲ +1.5", "▼ −3", "■ 0": direction and move in ticks from the current spot. */
export function moveLabel(direction: number, moveTicks: number): string {
  const arrow = direction > 0 ? '▲' : direction < 0 ? '▼' : '■';
  const a = Math.abs(moveTicks);
  let v = a >= 10 ? a.toFixed(0) : a.toFixed(1);
  if (v.endsWith('.0')) v = v.slice(0, -2);
  if (v === '0') return `${arrow} 0`;
  return `${arrow} ${moveTicks > 0 ? '+' : '−'}${v}`;
}

/**
 * The path, band and labels of one forecast. `rowOfTick` turns an absolute tick into the
 * chart's price row; `spotRow` is the chart's spot row at now (the path starts there).
 */
export function marginGeometry(fc: ForecastPath, box: MarginBox, view: View, plot: PlotRect, rowOfTick: (tick: number) => number): MarginGeometry | null {
  if (fc.points.length === 0 || !Number.isFinite(fc.spotTick)) return null;
  const { yOf } = axesOf(view, plot);
  const origin = { x: box.x0, y: yOf(rowOfTick(fc.spotTick)) };
  const path = [origin];
  const band = [{ x: origin.x, yHi: origin.y, yLo: origin.y }];
  const labels: MarginLabel[] = [];
  for (const p of fc.points) {
    const x = horizonX(box, p.horizonS);
    const y = yOf(rowOfTick(p.predictedTick));
    path.push({ x, y });
    band.push({ x, yHi: yOf(rowOfTick(Math.max(p.bandHiTick, p.bandLoTick))), yLo: yOf(rowOfTick(Math.min(p.bandHiTick, p.bandLoTick))) });
    if ((FORECAST_LABEL_HORIZONS_S as readonly number[]).includes(p.horizonS)) {
      const b = band[band.length - 1];
      labels.push({ horizonS: p.horizonS, x, y, text: moveLabel(p.direction, p.predictedTick - fc.spotTick), direction: p.direction, yBandHi: b.yHi, yBandLo: b.yLo });
    }
  }
  return { origin, path, band, labels };
}
