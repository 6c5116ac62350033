import { describe, expect, it } from 'vitest';
import { cellLayout, layoutAxis } from './cellLayout';

// The heatmap buffer must (1) cover the whole visible range, (2) put cell edges on buffer pixel
// edges when zoomed in (so the nearest-filter stretch keeps each cell a crisp rectangle), and
// (3) never cost more fragments than the screen when zoomed out.

/** The buffer pixel whose centre lies nearest data coordinate `v` along one axis. */
const pixelAt = (a: ReturnType<typeof layoutAxis>, v: number) => Math.floor((v - a.from) / a.unit);

describe('heatmap cell layout', () => {
  it('shades a 15-minute × 401-tick view at one buffer pixel per cell on a 1080p plot', () => {
    const view = { t0: 1000.37, t1: 1900.37, p0: 99.8, p1: 500.8 };
    const lay = cellLayout(view, 1844, 1012, 1, { w: 300, h: 150 });
    expect(lay.x.cells && lay.y.cells).toBe(true);
    expect(lay.x.unit).toBe(1);
    // Column w spans t ∈ [w−1, w): the first buffer edge is the edge left of t0.
    expect(lay.x.from).toBe(1000);
    expect(lay.y.from).toBe(99.5);
    // Covers the view, and costs about a fifth of the 1.87 M device pixels.
    expect(lay.cover[0]).toBeLessThanOrEqual(view.t0);
    expect(lay.cover[1]).toBeGreaterThanOrEqual(view.t1);
    expect(lay.cover[2]).toBeLessThanOrEqual(view.p0);
    expect(lay.cover[3]).toBeGreaterThanOrEqual(view.p1);
    expect(lay.x.buf * lay.y.buf).toBeLessThan(0.45e6);
    // Placed so that data coordinate t lands where the overlay's xOf(t) puts it.
    const xOf = (t: number) => ((t - view.t0) / (view.t1 - view.t0)) * 1844;
    expect(lay.x.offset).toBeCloseTo(xOf(lay.x.from), 9);
    expect(lay.x.offset + lay.x.length).toBeCloseTo(xOf(lay.cover[1]), 9);
    expect(lay.transform).toMatch(/^matrix\(/);
  });

  it('maps each buffer pixel to exactly one cell: pixel i is cell from + i', () => {
    const a = layoutAxis(12.25, 212.75, 0.5, 900, 900, 0);
    for (let i = 0; i < a.buf; i++) {
      const centre = a.from + (i + 0.5) * a.unit;
      expect(Math.floor(centre + 0.5)).toBe(a.from + 0.5 + i); // row r spans [r−½, r+½)
    }
    expect(pixelAt(a, 12.25)).toBe(0);
  });

  it('falls back to one buffer pixel per device pixel when cells are finer than the screen', () => {
    const a = layoutAxis(0, 3000, 0, 1844, 1844, 0);
    expect(a.cells).toBe(false);
    expect(a.buf).toBe(1844);
    expect(a.from).toBe(0);
    expect(a.offset).toBe(0);
    expect(a.length).toBeCloseTo(1844, 9);
    // Device pixel ratio 2: 3,000 cells fit 3,688 device pixels (cells again); 5,000 do not.
    expect(layoutAxis(0, 3000, 0, 3688, 1844, 0).cells).toBe(true);
    const hi = layoutAxis(0, 5000, 0, 3688, 1844, 0);
    expect(hi.buf).toBe(3688);
    expect(hi.length).toBeCloseTo(1844, 9);
  });

  it('keeps the allocation while playing (the view slides by whole and fractional windows)', () => {
    let cur = 0;
    const sizes = new Set<number>();
    for (let now = 900; now < 1500; now += 0.7) {
      const a = layoutAxis(now - 792, now + 108, 0, 1844, 1844, cur);
      cur = a.buf;
      sizes.add(a.buf);
      expect(a.from + a.buf).toBeGreaterThanOrEqual(now + 108);
    }
    expect(sizes.size).toBe(1);
  });

  it('reallocates when zooming out past the allocation, and shrinks after a large zoom in', () => {
    const wide = layoutAxis(0, 1200, 0, 1844, 1844, 928);
    expect(wide.buf).toBeGreaterThanOrEqual(1201);
    const narrow = layoutAxis(0, 100, 0, 1844, 1844, wide.buf);
    expect(narrow.buf).toBeLessThan(200);
    expect(narrow.buf).toBeGreaterThanOrEqual(101);
  });

  it('puts the highest price at the top: the buffer top edge sits above the plot top by the partial row', () => {
    const view = { t0: 0, t1: 100, p0: 10.2, p1: 20.2 };
    const lay = cellLayout(view, 1000, 500, 1, { w: 0, h: 0 });
    const top = Number(lay.transform.match(/, ([-\d.e]+)\)$/)![1]);
    // Cover's top edge p = from + buf: its CSS y is 500 − (p − p0) / 10 × 500 (≤ 0: above the plot).
    expect(top).toBeCloseTo(500 - ((lay.cover[3] - view.p0) / 10) * 500, 9);
    expect(top).toBeLessThanOrEqual(0);
  });
});
