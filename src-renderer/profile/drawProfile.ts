import { TRADE_BUY, TRADE_NONE, TRADE_SELL } from '../render/overlayMarks';
import { cvdLabel, type CvdGeometry, type PanelBox, type ProfileBar } from './profileGeometry';

// Canvas 2D drawing of the volume profile and the CVD strip, in the trade bubbles' colours
// (green = buy aggressor, red = sell aggressor). One path per colour.

// Light enough that the latest columns of the heatmap (right before now, under the profile) still read.
const PANEL_BG = 'rgba(8, 10, 16, 0.4)';
const PANEL_EDGE = 'rgba(148, 163, 184, 0.35)';
const POC_RING = '#f8fafc';
const CVD_UP = '#4ade80';
const CVD_DOWN = '#f87171';

/** A panel's dark backing and its 1-px edge on the side that faces the heatmap. */
function panelBacking(ctx: CanvasRenderingContext2D, box: PanelBox, edge: 'left' | 'top'): void {
  ctx.fillStyle = PANEL_BG;
  ctx.fillRect(box.x0, box.top, box.x1 - box.x0, box.bottom - box.top);
  ctx.strokeStyle = PANEL_EDGE;
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (edge === 'left') {
    ctx.moveTo(box.x0 + 0.5, box.top);
    ctx.lineTo(box.x0 + 0.5, box.bottom);
  } else {
    ctx.moveTo(box.x0, box.top + 0.5);
    ctx.lineTo(box.x1, box.top + 0.5);
  }
  ctx.stroke();
}

/** `pocVolume`: contracts traded at the point of control, printed on top so bar lengths have a scale. */
export function drawProfile(ctx: CanvasRenderingContext2D, bars: ProfileBar[], box: PanelBox, pocVolume: number): void {
  ctx.save();
  panelBacking(ctx, box, 'left');
  const right = box.x1 - 1;
  const segment = (color: string, from: (b: ProfileBar) => number, width: (b: ProfileBar) => number) => {
    ctx.fillStyle = color;
    ctx.beginPath();
    for (const b of bars) if (width(b) > 0) ctx.rect(right - from(b) - width(b), b.y, width(b), b.h);
    ctx.fill();
  };
  // Sell against the right edge, unknown-side next, buy outermost: one bar, three parts.
  segment(TRADE_SELL.fill, () => 0, (b) => b.sellW);
  segment(TRADE_NONE.fill, (b) => b.sellW, (b) => b.otherW);
  segment(TRADE_BUY.fill, (b) => b.sellW + b.otherW, (b) => b.buyW);
  const poc = bars.find((b) => b.poc);
  if (poc) {
    ctx.strokeStyle = POC_RING;
    const w = poc.buyW + poc.otherW + poc.sellW;
    ctx.strokeRect(right - w - 0.5, poc.y - 0.5, w + 1, poc.h + 1);
  }
  ctx.font = '10px ui-monospace, Menlo, monospace';
  ctx.textAlign = 'left'; // the overlay may leave it centred
  ctx.textBaseline = 'top';
  ctx.fillStyle = 'rgba(226, 232, 240, 0.8)';
  ctx.fillText('VOL', box.x0 + 3, box.top + 3);
  if (pocVolume > 0) ctx.fillText(`POC ${pocVolume.toLocaleString('en-US')}`, box.x0 + 3, box.top + 15, box.x1 - box.x0 - 6);
  ctx.restore();
}

/** `anchor`: where the cumulation starts, e.g. "since session start 09:25:00", printed at the strip's left. */
export function drawCvd(ctx: CanvasRenderingContext2D, g: CvdGeometry, anchor: string): void {
  const { box } = g;
  ctx.save();
  panelBacking(ctx, box, 'top');
  // The zero line when the visible values reach it (the scale fits the visible values).
  if (g.zeroY >= box.top && g.zeroY <= box.bottom) {
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(box.x0, Math.round(g.zeroY) + 0.5);
    ctx.lineTo(box.x1, Math.round(g.zeroY) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const zeroY = Math.max(box.top, Math.min(box.bottom, g.zeroY));
  // Green above zero (net buying since the anchor), red below it.
  ctx.lineWidth = 1.5;
  const line = (color: string, y0: number, y1: number) => {
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x0, y0, box.x1 - box.x0, y1 - y0);
    ctx.clip();
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (let k = 0; k < g.xs.length; k++) (k ? ctx.lineTo : ctx.moveTo).call(ctx, g.xs[k], g.ys[k]);
    ctx.stroke();
    ctx.restore();
  };
  line(CVD_UP, box.top, zeroY);
  line(CVD_DOWN, zeroY, box.bottom);
  // The current value at the line's end, and the strip's name at its left.
  ctx.font = '11px ui-monospace, Menlo, monospace';
  ctx.textAlign = 'left'; // the overlay may leave it centred
  ctx.textBaseline = 'middle';
  const text = `CVD ${cvdLabel(g.last)}`;
  const tw = ctx.measureText(text).width;
  const ly = Math.min(box.bottom - 8, Math.max(box.top + 8, g.ys[g.ys.length - 1]));
  const lx = Math.max(box.x0 + 2, box.x1 - tw - 8);
  ctx.fillStyle = 'rgba(8, 10, 16, 0.85)';
  ctx.fillRect(lx - 3, ly - 7, tw + 6, 14);
  ctx.fillStyle = g.last >= 0 ? CVD_UP : CVD_DOWN;
  ctx.fillText(text, lx, ly);
  // What the values count from, top-left of the strip.
  ctx.font = '10px ui-monospace, Menlo, monospace';
  ctx.textBaseline = 'top';
  const name = `CVD ${anchor}`;
  ctx.fillStyle = 'rgba(8, 10, 16, 0.85)';
  ctx.fillRect(box.x0 + 4, box.top + 3, ctx.measureText(name).width + 6, 13);
  ctx.fillStyle = 'rgba(226, 232, 240, 0.85)';
  ctx.fillText(name, box.x0 + 7, box.top + 5);
  ctx.restore();
}
