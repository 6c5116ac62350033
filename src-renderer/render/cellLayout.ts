import type { View } from '../state/chartStore';

// Where the heatmap's drawing buffer sits over the plot. Software GL (SwiftShader) pays per
// fragment, so the heatmap is shaded at the data's resolution when that is coarser than the
// screen: one buffer pixel per visible cell, edges on cell edges, and the compositor stretches
// the canvas over the plot with nearest filtering (CSS `image-rendering: pixelated`), so each
// cell stays a crisp rectangle. Where cells are finer than device pixels (zoomed far out) that
// axis falls back to one buffer pixel per device pixel. Each axis is decided on its own.

export interface AxisLayout {
  /** Buffer pixels along the axis (allocation: may exceed what the view needs). */
  buf: number;
  /** Data coordinate at the buffer's first edge (a cell edge in cell mode). */
  from: number;
  /** Data units per buffer pixel (1 in cell mode). */
  unit: number;
  /** True when one buffer pixel is one cell. */
  cells: boolean;
  /** Placement along the axis in CSS px from the plot's low-data edge: offset and length. */
  offset: number;
  length: number;
}

/** Buffer sizes grow in steps so playing or small zooms do not reallocate the canvas. */
const STEP = 32;

/**
 * One axis. `a0..a1` is the visible data range, `edge` the data coordinate of any cell edge
 * (cells are unit wide), `device` the plot's length in device pixels, `cssLength` in CSS px,
 * `current` the present allocation (kept when it still fits without waste).
 */
export function layoutAxis(a0: number, a1: number, edge: number, device: number, cssLength: number, current: number): AxisLayout {
  const span = a1 - a0;
  const first = Math.floor(a0 - edge) + edge;
  // Cells the view touches: at most ceil(span) + 1.
  const need = Math.ceil(a1 - first);
  let buf: number;
  let from: number;
  let unit: number;
  let cells: boolean;
  if (need <= device) {
    cells = true;
    from = first;
    unit = 1;
    // Keep the allocation while it covers the view and is not much larger than needed.
    buf = current >= need && current <= Math.min(device + STEP, need * 1.25 + STEP) ? current : Math.ceil(need / STEP) * STEP;
  } else {
    cells = false;
    from = a0;
    buf = Math.max(1, device);
    unit = span / buf;
  }
  const pxPerUnit = cssLength / span;
  return { buf, from, unit, cells, offset: (from - a0) * pxPerUnit, length: buf * unit * pxPerUnit };
}

export interface CellLayout {
  x: AxisLayout;
  y: AxisLayout;
  /** Data range the buffer covers: t0, t1, p0, p1 (what the shader maps its quad to). */
  cover: [number, number, number, number];
  /** CSS transform of the canvas (buffer-sized in CSS px, origin top-left) inside the plot's clip. */
  transform: string;
}

/**
 * Layout for a plot of `plotW × plotH` CSS px at `dpr`. Columns: window w spans t ∈ [w−1, w)
 * (edges on integers). Rows: row r spans p ∈ [r−½, r+½) (edges on half-integers).
 */
export function cellLayout(view: View, plotW: number, plotH: number, dpr: number, current: { w: number; h: number }): CellLayout {
  const x = layoutAxis(view.t0, view.t1, 0, Math.round(plotW * dpr), plotW, current.w);
  const y = layoutAxis(view.p0, view.p1, 0.5, Math.round(plotH * dpr), plotH, current.h);
  const sx = x.length / x.buf;
  const sy = y.length / y.buf;
  // Prices grow upwards: the buffer's top edge (highest price) sits at plotH − (offset + length).
  const top = plotH - (y.offset + y.length);
  return {
    x,
    y,
    cover: [x.from, x.from + x.buf * x.unit, y.from, y.from + y.buf * y.unit],
    transform: `matrix(${sx}, 0, 0, ${sy}, ${x.offset}, ${top})`,
  };
}
