import { formatClock, formatDate, zoneAbbrev, zoneCity } from '../data/exchangeTime';
import { msOfIndex, priceDecimals, priceOfRow, type SessionGeom } from '../data/sessionGeom';
import { AXIS_BOTTOM, AXIS_RIGHT, cellAt, plotRect, timeStep, type Pointer, type View } from '../data/viewMath';
import { isMajorLine, labelsClearOfTags, priceGridLines, priceGridStep, stackPriceTags, type Span } from './axisTicks';
import { horizonAtX, MARGIN_PAD_RIGHT, type MarginBox } from '../forecast/marginGeometry';
import type { PlotRect } from './heatmap';

// Everything crisp on top of the heatmap, drawn with Canvas 2D at device resolution:
// grid, price axis (right, like a DOM ladder), time axis in exchange local time, the
// turquoise spot line, the "now" marker with its empty prediction margin, and the crosshair.

export const SPOT_COLOR = '#40e0d0';
export { AXIS_RIGHT, AXIS_BOTTOM, PLOT_TOP, plotRect } from '../data/viewMath';

const FONT = '11px "Inter", "Segoe UI", system-ui, -apple-system, sans-serif';
const MONO = '11px "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace';
/** Price labels are at least this far apart (CSS px). */
const PRICE_LABEL_PX = 34;
/** Height of a price tag on the axis (spot, bid, ask, crosshair), CSS px. */
const TAG_H = 18;
/** Half the height of an 11-px price label's glyphs, for its extent on the axis. */
const LABEL_HALF_H = 7;

/** What the last draw put on the axes, for the e2e tests (window.__spymaster.axes): extents in CSS px. */
export interface AxisLayout {
  priceStep: number;
  priceLabels: (Span & { text: string; price: number })[];
  priceTags: (Span & { kind: 'spot' | 'bid' | 'ask' | 'cross'; text: string })[];
  timeLabels: (Span & { text: string })[];
  timeTags: (Span & { kind: 'now' | 'cross'; text: string })[];
  zone: string;
  zoneLabel: string;
}
export const axisLayout: { last: AxisLayout | null } = { last: null };


export interface OverlayInput {
  geom: SessionGeom;
  view: View;
  nowIndex: number;
  spotRow: Float32Array;
  /** Best bid / ask rows per window: thin green / red step lines either side of spot. */
  bidRow?: Float32Array;
  askRow?: Float32Array;
  /** The pointer in CSS px; the crosshair's cell is derived here from (pointer, view, plot). */
  hover: Pointer | null;
  fieldLabel: string;
  showSpot: boolean;
  /**
   * The forecast's margin right of now, when it is drawn: it has its own √ horizon axis
   * (1…30 s), so the clock axis stops at now (no "09:41" under the 10 s tick) and the
   * crosshair there reads the horizon it is over ("+7s 09:40:08"), as the margin's tooltip does.
   */
  margin?: MarginBox | null;
  /** Walls/voids markers and trade bubbles (overlayMarks.ts), drawn under the spot line and crosshair. */
  drawMarks?: (ctx: CanvasRenderingContext2D, plot: PlotRect) => void;
}

export function drawOverlay(ctx: CanvasRenderingContext2D, cssW: number, cssH: number, dpr: number, inp: OverlayInput): void {
  const { geom, view, nowIndex, spotRow } = inp;
  const plot = plotRect(cssW, cssH);
  const cell = cellAt(inp.hover, view, plot);
  // Inside the plot the crosshair describes the cell under the pointer for this very view.
  const hover = cell && inp.hover ? { ...inp.hover, ...cell } : null;
  // Over the forecast margin: the horizon under the pointer, not a clock cell.
  const hoverHorizon = hover && inp.margin ? horizonAtX(inp.margin, hover.x) : null;
  const tz = geom.info.timeZone;
  const dec = priceDecimals(geom);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  const xOf = (t: number) => plot.x + ((t - view.t0) / (view.t1 - view.t0)) * plot.w;
  const yOf = (p: number) => plot.y + plot.h - ((p - view.p0) / (view.p1 - view.p0)) * plot.h;
  const snap = (v: number) => Math.round(v) + 0.5;

  // Axis panels.
  ctx.fillStyle = '#0a0d12';
  ctx.fillRect(plot.x + plot.w, 0, AXIS_RIGHT, cssH);
  ctx.fillRect(0, plot.y + plot.h, cssW, AXIS_BOTTOM);
  ctx.strokeStyle = '#2a313c';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(snap(plot.x + plot.w), plot.y);
  ctx.lineTo(snap(plot.x + plot.w), plot.y + plot.h);
  ctx.moveTo(plot.x, snap(plot.y + plot.h));
  ctx.lineTo(plot.x + plot.w, snap(plot.y + plot.h));
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.w, plot.h);
  ctx.clip();

  // Price grid + labels at round prices (multiples of the step, never odd ticks).
  const tick = Number(geom.tickInt) / 1e9;
  const pricePerPx = ((view.p1 - view.p0) * tick) / plot.h;
  const priceStep = priceGridStep(tick, pricePerPx, PRICE_LABEL_PX);
  const rowOf = (price: number) => (price * 1e9 - Number(geom.priceMinInt)) / Number(geom.tickInt);
  const gridPrices = priceGridLines(priceOfRow(geom, view.p0), priceOfRow(geom, view.p1), priceStep);
  const priceLabels: AxisLayout['priceLabels'] = [];
  for (const major of [false, true]) {
    ctx.strokeStyle = major ? 'rgba(148, 163, 184, 0.16)' : 'rgba(148, 163, 184, 0.08)';
    ctx.beginPath();
    for (const price of gridPrices) {
      if (isMajorLine(price, priceStep) !== major) continue;
      const y = snap(yOf(rowOf(price)));
      ctx.moveTo(plot.x, y);
      ctx.lineTo(plot.x + plot.w, y);
      priceLabels.push({ a: y - LABEL_HALF_H, b: y + LABEL_HALF_H, text: price.toFixed(dec), price });
    }
    ctx.stroke();
  }
  ctx.strokeStyle = 'rgba(148, 163, 184, 0.09)';

  // Time grid (clock time; it stops at now where the forecast margin's own axis begins).
  const secPerPx = (view.t1 - view.t0) / plot.w;
  const tStep = timeStep(secPerPx, 92);
  const timeLabels: [number, string][] = [];
  ctx.beginPath();
  const firstSec = Math.floor(geom.firstMs / 1000);
  const clockEnd = inp.margin ? Math.min(view.t1, nowIndex) : view.t1;
  for (let s = Math.ceil((firstSec + view.t0) / tStep) * tStep; s <= firstSec + clockEnd; s += tStep) {
    const idx = s - firstSec;
    const x = snap(xOf(idx));
    ctx.moveTo(x, plot.y);
    ctx.lineTo(x, plot.y + plot.h);
    timeLabels.push([x, formatClock(s * 1000, tz, tStep < 60)]);
  }
  ctx.stroke();

  // Prediction margin right of now.
  const xNow = xOf(nowIndex);
  if (xNow < plot.x + plot.w) {
    ctx.fillStyle = 'rgba(64, 224, 208, 0.025)';
    ctx.fillRect(xNow, plot.y, plot.x + plot.w - xNow, plot.h);
    ctx.fillStyle = 'rgba(148, 163, 184, 0.45)';
    ctx.font = FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    // Over the forecast's own margin when it is drawn (capped in width), else over the future.
    const end = inp.margin ? inp.margin.x1 + MARGIN_PAD_RIGHT : plot.x + plot.w;
    if (end - xNow > 70) ctx.fillText('forecast', (xNow + end) / 2, plot.y + 8);
  }

  inp.drawMarks?.(ctx, plot);

  // Best bid (green) and best ask (red) as thin step lines at the edges of their ticks: the
  // spread reads between them, and bid and ask liquidity are told apart by side.
  if (inp.showSpot && inp.bidRow && inp.askRow) {
    stepLine(ctx, inp.bidRow, view, nowIndex, xOf, (r) => yOf(r) - 0.5, BID_COLOR, secPerPx);
    stepLine(ctx, inp.askRow, view, nowIndex, xOf, (r) => yOf(r) + 0.5, ASK_COLOR, secPerPx);
  }

  // Spot line: one vertex per 1-s column end (or per pixel when zoomed out), breaks on gaps.
  const i0 = Math.max(0, Math.floor(view.t0));
  const i1 = Math.min(nowIndex, Math.ceil(view.t1), spotRow.length - 1);
  const stride = Math.max(1, Math.floor(secPerPx));
  ctx.strokeStyle = inp.showSpot ? SPOT_COLOR : 'transparent';
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = i0; i <= i1; i += stride) {
    const s = spotRow[i];
    if (!Number.isFinite(s)) {
      pen = false;
      continue;
    }
    const y = yOf(s);
    if (!pen) ctx.moveTo(xOf(i - 1), y);
    else ctx.lineTo(xOf(i - 1), y);
    ctx.lineTo(xOf(i), y);
    pen = true;
  }
  ctx.stroke();

  // Now marker.
  ctx.strokeStyle = 'rgba(226, 232, 240, 0.75)';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(snap(xNow), plot.y);
  ctx.lineTo(snap(xNow), plot.y + plot.h);
  ctx.stroke();
  ctx.setLineDash([]);

  // Crosshair.
  if (hover) {
    ctx.strokeStyle = 'rgba(226, 232, 240, 0.35)';
    ctx.beginPath();
    ctx.moveTo(snap(hover.x), plot.y);
    ctx.lineTo(snap(hover.x), plot.y + plot.h);
    ctx.moveTo(plot.x, snap(hover.y));
    ctx.lineTo(plot.x + plot.w, snap(hover.y));
    ctx.stroke();
    // Cell outline so the hovered tick/second is unambiguous.
    const cx0 = xOf(hover.windowIndex - 1);
    const cx1 = xOf(hover.windowIndex);
    const cy0 = yOf(hover.row + 0.5);
    const cy1 = yOf(hover.row - 0.5);
    if (hoverHorizon === null && cx1 - cx0 >= 3 && cy1 - cy0 >= 3) {
      ctx.strokeStyle = 'rgba(255,255,255,0.8)';
      ctx.strokeRect(cx0 + 0.5, cy0 + 0.5, cx1 - cx0 - 1, cy1 - cy0 - 1);
    }
  }
  ctx.restore();

  // Tags over the axes: spot, best ask above it and best bid below it (stacked when the spread
  // is narrower than a tag), crosshair; "now" and crosshair on the time axis. Axis labels give
  // way to every tag (no "09:38:5" peeking out under "09:40:12").
  const at = Math.min(nowIndex, spotRow.length - 1);
  const finiteY = (rows: Float32Array | undefined) => (inp.showSpot && rows && Number.isFinite(rows[at]) ? yOf(rows[at]) : null);
  const spotY = Number.isFinite(spotRow[at]) ? yOf(spotRow[at]) : null;
  const stacked = stackPriceTags(inp.showSpot ? spotY : null, finiteY(inp.askRow), finiteY(inp.bidRow), TAG_H);
  const priceTags: AxisLayout['priceTags'] = [];
  const onAxis = (y: number | null) => y !== null && y >= plot.y - 2 && y <= plot.y + plot.h + 2;
  const addPriceTag = (kind: AxisLayout['priceTags'][number]['kind'], y: number | null, row: number) => {
    if (onAxis(y)) priceTags.push({ kind, a: y! - TAG_H / 2, b: y! + TAG_H / 2, text: priceOfRow(geom, row).toFixed(dec) });
  };
  if (inp.askRow) addPriceTag('ask', stacked.ask, inp.askRow[at]);
  if (inp.bidRow) addPriceTag('bid', stacked.bid, inp.bidRow[at]);
  if (spotY !== null) addPriceTag('spot', spotY, spotRow[at]);
  if (hover) addPriceTag('cross', hover.y, hover.row);

  ctx.font = MONO;
  const timeTags: AxisLayout['timeTags'] = [];
  if (xNow >= plot.x && xNow <= plot.x + plot.w) {
    const text = formatClock(msOfIndex(geom, nowIndex), tz);
    const [a, b] = timeTagSpan(ctx, xNow, plot, text);
    timeTags.push({ kind: 'now', a, b, text });
  }
  if (hover) {
    const text = hoverHorizon !== null ? `+${hoverHorizon}s ${formatClock(msOfIndex(geom, nowIndex + hoverHorizon), tz)}` : formatClock(msOfIndex(geom, hover.windowIndex), tz);
    const [a, b] = timeTagSpan(ctx, hover.x, plot, text);
    timeTags.push({ kind: 'cross', a, b, text });
  }

  ctx.fillStyle = '#8b98a9';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const shownPrices = labelsClearOfTags(
    priceLabels.filter((l) => l.a > plot.y && l.b < plot.y + plot.h),
    priceTags,
  );
  for (const l of shownPrices) ctx.fillText(l.text, plot.x + plot.w + 8, (l.a + l.b) / 2);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  const timeSpans = timeLabels.map(([x, text]) => {
    const half = ctx.measureText(text).width / 2;
    return { a: x - half, b: x + half, text };
  });
  const shownTimes = labelsClearOfTags(
    timeSpans.filter((l) => l.a >= plot.x + 2 && l.b <= plot.x + plot.w - 2),
    timeTags,
    4,
  );
  for (const l of shownTimes) ctx.fillText(l.text, l.a, plot.y + plot.h + 8);

  // Price tags, crosshair last (on top).
  for (const t of priceTags) {
    const [bg, fg] = t.kind === 'spot' ? [SPOT_COLOR, '#04211e'] : t.kind === 'bid' ? [BID_TAG, '#03140a'] : t.kind === 'ask' ? [ASK_TAG, '#1f0707'] : ['#e2e8f0', '#0c0f14'];
    tag(ctx, plot.x + plot.w, (t.a + t.b) / 2, t.text, bg, fg, plot);
  }
  // Time tags: now, then the crosshair on top.
  for (const t of timeTags) {
    if (t.kind === 'now') timeTag(ctx, xNow, plot, t.text, 'rgba(64,224,208,0.9)', '#04211e');
    else timeTag(ctx, hover!.x, plot, t.text);
  }

  // The time axis's zone, in the corner under the price axis (switchable in the toolbar).
  const zoneLabel = zoneAbbrev(msOfIndex(geom, nowIndex), tz);
  ctx.font = '10px "Inter", "Segoe UI", system-ui, sans-serif';
  ctx.fillStyle = '#94a3b8';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(zoneLabel, plot.x + plot.w + AXIS_RIGHT / 2, plot.y + plot.h + AXIS_BOTTOM / 2, AXIS_RIGHT - 6);
  axisLayout.last = { priceStep, priceLabels: shownPrices, priceTags, timeLabels: shownTimes, timeTags, zone: tz, zoneLabel };

  // Legend: field + session date, top-left.
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  const legend = `${geom.info.symbol} · ${formatDate(msOfIndex(geom, nowIndex), tz)} · ${zoneCity(tz)} time · ${inp.fieldLabel}`;
  const w = ctx.measureText(legend).width;
  ctx.fillStyle = 'rgba(10, 13, 18, 0.72)';
  ctx.fillRect(plot.x + 8, plot.y + 6, w + 14, 20);
  ctx.fillStyle = '#cbd5e1';
  ctx.fillText(legend, plot.x + 15, plot.y + 10);
}

export const BID_COLOR = 'rgba(74, 222, 128, 0.85)';
export const ASK_COLOR = 'rgba(248, 113, 113, 0.85)';
const BID_TAG = '#4ade80';
const ASK_TAG = '#f87171';

/** A per-window step line (one vertex pair per column, or per pixel when zoomed out); breaks on gaps. */
function stepLine(ctx: CanvasRenderingContext2D, rows: Float32Array, view: View, nowIndex: number, xOf: (t: number) => number, yOf: (r: number) => number, colour: string, secPerPx: number): void {
  const i0 = Math.max(0, Math.floor(view.t0));
  const i1 = Math.min(nowIndex, Math.ceil(view.t1), rows.length - 1);
  const stride = Math.max(1, Math.floor(secPerPx));
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  let pen = false;
  for (let i = i0; i <= i1; i += stride) {
    const r = rows[i];
    if (!Number.isFinite(r)) {
      pen = false;
      continue;
    }
    const y = yOf(r);
    if (!pen) ctx.moveTo(xOf(i - 1), y);
    else ctx.lineTo(xOf(i - 1), y);
    ctx.lineTo(xOf(i), y);
    pen = true;
  }
  ctx.stroke();
}

function tag(ctx: CanvasRenderingContext2D, x: number, y: number, text: string, bg: string, fg: string, plot: PlotRect): void {
  if (y < plot.y - 2 || y > plot.y + plot.h + 2) return;
  ctx.font = MONO;
  ctx.fillStyle = bg;
  ctx.fillRect(x + 1, y - 9, AXIS_RIGHT - 2, 18);
  ctx.fillStyle = fg;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + 8, y);
}

/** Horizontal extent [left, right] of a time tag at x (as timeTag draws it). */
function timeTagSpan(ctx: CanvasRenderingContext2D, x: number, plot: PlotRect, text: string): [number, number] {
  const font = ctx.font;
  ctx.font = MONO;
  const w = ctx.measureText(text).width + 12;
  ctx.font = font;
  const left = Math.max(0, Math.min(plot.x + plot.w - w, x - w / 2));
  return [left, left + w];
}

function timeTag(ctx: CanvasRenderingContext2D, x: number, plot: PlotRect, text: string, bg = '#e2e8f0', fg = '#0c0f14'): void {
  ctx.font = MONO;
  const w = ctx.measureText(text).width + 12;
  const left = Math.max(0, Math.min(plot.x + plot.w - w, x - w / 2));
  ctx.fillStyle = bg;
  ctx.fillRect(left, plot.y + plot.h + 4, w, 18);
  ctx.fillStyle = fg;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left + 6, plot.y + plot.h + 13);
}
