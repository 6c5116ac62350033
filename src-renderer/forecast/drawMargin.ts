import { FORECAST_FAMILY_INFO, FORECAST_LABEL_HORIZONS_S, type ForecastFamily } from '../../contracts/forecast';
import type { MarginBox, MarginGeometry } from './marginGeometry';
import { horizonX } from './marginGeometry';
import { pillText, placeLabels, placeTicks } from './marginLabels';

// Canvas 2D drawing of the prediction margin and the past-forecast path. Colours are kept
// apart from the chart's others: magenta for the forecast (the spot line is turquoise, walls
// amber, voids violet, trades green/red, the heatmap red–green or inferno), the band a faint
// wash of it, labels on dark pills in green (up) / red (down).

export const FORECAST_COLOR = '#ff5ccd';
export const BAND_FILL = 'rgba(255, 92, 205, 0.2)';
export const BAND_EDGE = 'rgba(255, 92, 205, 0.5)';
export const PAST_COLOR = 'rgba(255, 170, 230, 0.95)';
const UP = '#4ade80';
const DOWN = '#f87171';
const FLAT = '#cbd5e1';
/** The horizon part of a pill ("10s"), quieter than the move. */
const HORIZON_TEXT = '#94a3b8';
const FONT = '10px "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace';
const SMALL = '10px "Inter", "Segoe UI", system-ui, sans-serif';

/** What the last draw put in the margin (CSS px boxes), for the e2e tests (window.__spymaster.margin). */
export interface MarginLayout {
  box: MarginBox;
  labels: { horizonS: number; text: string; x: number; y: number; w: number; h: number }[];
  ticks: { horizonS: number; text: string; x: number; y: number; w: number; h: number }[];
}
export const marginLayout: { last: MarginLayout | null } = { last: null };

/** y of the horizon ticks' text boxes (top) and their height, from the margin's bottom. */
const TICK_TOP = 16;
const TICK_H = 10;
/** The pills stay below the model's name and note, and above the horizon ticks. */
const LABELS_TOP = 58;
const LABELS_BOTTOM = 20;

/** Horizon ticks (1, 5, 10, 30 s) along the margin's bottom, and the model's name on top. */
export function drawMarginAxis(ctx: CanvasRenderingContext2D, box: MarginBox, family: ForecastFamily, note: string | null): void {
  ctx.save();
  ctx.font = SMALL;
  ctx.textBaseline = 'bottom';
  ctx.strokeStyle = 'rgba(226, 232, 240, 0.35)';
  ctx.fillStyle = 'rgba(203, 213, 225, 0.75)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const h of FORECAST_LABEL_HORIZONS_S) {
    const x = Math.round(horizonX(box, h)) + 0.5;
    ctx.moveTo(x, box.bottom - 5);
    ctx.lineTo(x, box.bottom);
    // Faint guide up the margin so a label can be read against its horizon.
    ctx.moveTo(x, box.top + 40);
    ctx.lineTo(x, box.bottom - 18);
  }
  ctx.setLineDash([1, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
  // Tick texts that would touch each other (a narrow margin) give way, 1 s first.
  ctx.textAlign = 'center';
  const texts = FORECAST_LABEL_HORIZONS_S.map((h) => ({ horizonS: h, text: `${h}s`, x: horizonX(box, h), w: ctx.measureText(`${h}s`).width }));
  const rects = placeTicks(texts, box.bottom - TICK_TOP, TICK_H);
  const ticks: MarginLayout['ticks'] = [];
  texts.forEach((t, i) => {
    const r = rects[i];
    if (!r) return;
    ctx.fillText(t.text, t.x, box.bottom - 6);
    ticks.push({ horizonS: t.horizonS, text: t.text, ...r });
  });
  marginLayout.last = { box, labels: [], ticks };
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = FORECAST_COLOR;
  const name = FORECAST_FAMILY_INFO[family].label;
  // Below the chart's legend pill (plot top + 6 … + 26), which reaches into the margin when now is far left.
  ctx.fillText(name, box.x0 + 6, box.top + 29, box.x1 - box.x0);
  if (note) {
    ctx.fillStyle = 'rgba(203, 213, 225, 0.7)';
    ctx.fillText(note, box.x0 + 6, box.top + 43, box.x1 - box.x0);
  }
  ctx.restore();
}

export function drawForecast(ctx: CanvasRenderingContext2D, geo: MarginGeometry, box: MarginBox): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x0, box.top, box.x1 - box.x0 + 14, box.bottom - box.top);
  ctx.clip();
  // Band: upper edge out, lower edge back.
  ctx.beginPath();
  geo.band.forEach((b, i) => (i === 0 ? ctx.moveTo(b.x, b.yHi) : ctx.lineTo(b.x, b.yHi)));
  for (let i = geo.band.length - 1; i >= 0; i--) ctx.lineTo(geo.band[i].x, geo.band[i].yLo);
  ctx.closePath();
  ctx.fillStyle = BAND_FILL;
  ctx.fill();
  ctx.strokeStyle = BAND_EDGE;
  ctx.lineWidth = 1;
  ctx.beginPath();
  geo.band.forEach((b, i) => (i === 0 ? ctx.moveTo(b.x, b.yHi) : ctx.lineTo(b.x, b.yHi)));
  geo.band.forEach((b, i) => (i === 0 ? ctx.moveTo(b.x, b.yLo) : ctx.lineTo(b.x, b.yLo)));
  ctx.stroke();
  // Path: a dark casing under the line keeps it readable over the band.
  for (const [style, width] of [
    ['rgba(10, 13, 18, 0.85)', 4],
    [FORECAST_COLOR, 2],
  ] as const) {
    ctx.strokeStyle = style;
    ctx.lineWidth = width;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    geo.path.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
  }
  // Labels: each names its horizon, sits near its point (outside the band when it can), never
  // over another label, a tick or the path; the least important give way (marginLabels.ts).
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const ticks = marginLayout.last?.box === box ? marginLayout.last.ticks : [];
  const rects = placeLabels(geo.labels, geo.path, (t) => ctx.measureText(t).width, box, box.top + LABELS_TOP, box.bottom - LABELS_BOTTOM, ticks);
  ctx.fillStyle = FORECAST_COLOR;
  for (const l of geo.labels) {
    ctx.beginPath();
    ctx.arc(l.x, l.y, 2.5, 0, Math.PI * 2);
    ctx.fill();
  }
  geo.labels.forEach((l, i) => {
    const r = rects[i];
    if (!r) return;
    const text = pillText(l);
    marginLayout.last?.labels.push({ horizonS: l.horizonS, text, ...r });
    ctx.fillStyle = 'rgba(10, 13, 18, 0.85)';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    const hText = `${l.horizonS}s `;
    ctx.fillStyle = HORIZON_TEXT;
    ctx.fillText(hText, r.x + 4, r.y + r.h / 2 + 0.5);
    ctx.fillStyle = l.direction > 0 ? UP : l.direction < 0 ? DOWN : FLAT;
    ctx.fillText(l.text, r.x + 4 + ctx.measureText(hText).width, r.y + r.h / 2 + 0.5);
  });
  ctx.restore();
}

export function drawPastPath(ctx: CanvasRenderingContext2D, segments: { x: number; y: number }[][]): void {
  ctx.save();
  ctx.strokeStyle = PAST_COLOR;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([2, 3]);
  ctx.beginPath();
  for (const seg of segments) seg.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  ctx.stroke();
  ctx.restore();
}
