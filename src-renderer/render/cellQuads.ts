import type { ColumnRing } from '../data/columnRing';

// Geometry of one heatmap draw: a textured quad per run of held columns whose ring slots are
// contiguous (the texture coordinates interpolate linearly inside a run, so the fragment
// shader is a single fetch), and one flat quad for the future right of "now". Anything not
// covered (columns not held yet, rows outside the session's prices) keeps the clear colour.

/** Visible columns with one column of margin each side: column w spans t ∈ [w−1, w). */
export function columnSpan(t0: number, t1: number): [number, number] {
  return [Math.floor(t0), Math.ceil(t1) + 1];
}

export interface CellQuads {
  /** Vertices (x, y in clip space; u, v in texture space), six per quad. */
  cells: Float32Array;
  /** Number of vertices in `cells`. */
  count: number;
  /** Future quad (x0, x1 in clip space) or null when now is right of the view. */
  future: [number, number] | null;
  /** Held runs as [first window, last window]: the slots that must be coloured before drawing. */
  runs: [number, number][];
}

/**
 * `cover` is the data range the drawing buffer spans (t0, t1, p0, p1 — see cellLayout), `view`
 * the visible range (limits the columns drawn), `now` the playhead window.
 */
export function cellQuads(ring: ColumnRing, cover: readonly [number, number, number, number], view: { t0: number; t1: number }, now: number): CellQuads {
  const [ct0, ct1, cp0, cp1] = cover;
  const xOf = (t: number) => ((t - ct0) / (ct1 - ct0)) * 2 - 1;
  const yOf = (p: number) => ((p - cp0) / (cp1 - cp0)) * 2 - 1;
  const [s0, s1] = columnSpan(view.t0, view.t1);
  const lo = Math.max(0, s0);
  const hi = Math.min(s1, now);
  const runs: [number, number][] = [];
  for (let w = lo; w <= hi; w++) {
    if (!ring.has(w)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === w - 1 && ring.slotOf(w) === ring.slotOf(w - 1) + 1) last[1] = w;
    else runs.push([w, w]);
  }
  const rLo = Math.max(0, Math.floor(cp0 + 0.5));
  const rHi = Math.min(ring.rows - 1, Math.floor(cp1 + 0.5));
  const drawRows = rLo <= rHi;
  const cells = new Float32Array(drawRows ? runs.length * 24 : 0);
  let n = 0;
  if (drawRows) {
    const y0 = yOf(rLo - 0.5);
    const y1 = yOf(rHi + 0.5);
    const u0 = rLo / ring.rows;
    const u1 = (rHi + 1) / ring.rows;
    for (const [a, b] of runs) {
      const x0 = xOf(a - 1);
      const x1 = xOf(b);
      const v0 = ring.slotOf(a) / ring.slots;
      const v1 = (ring.slotOf(b) + 1) / ring.slots;
      // Two triangles: (x0,y0) (x1,y0) (x0,y1) / (x0,y1) (x1,y0) (x1,y1).
      cells.set([x0, y0, u0, v0, x1, y0, u0, v1, x0, y1, u1, v0, x0, y1, u1, v0, x1, y0, u0, v1, x1, y1, u1, v1], n * 4);
      n += 6;
    }
  }
  const xf = xOf(now);
  return { cells, count: n, future: xf < 1 ? [Math.max(-1, xf), 1] : null, runs };
}
