import { describe, expect, it } from 'vitest';
import { EDGE_PAD, MARGIN_SHARE, MAX_SPAN, MIN_SPAN, cellAt, clampView, fitPriceToSpot, followView, homeIndex, niceStep, pan, timeStep, zoomPrice, zoomTime } from './viewMath';

const v = { t0: 100, t1: 1000, p0: 50, p1: 150 };

describe('view math', () => {
  it('zooming keeps the anchor under the cursor and clamps the span', () => {
    const z = zoomTime(v, 400, 0.5);
    expect(z.t1 - z.t0).toBe(450);
    expect((400 - z.t0) / (z.t1 - z.t0)).toBeCloseTo((400 - v.t0) / (v.t1 - v.t0), 9);
    expect(zoomTime(v, 400, 1e-6).t1 - zoomTime(v, 400, 1e-6).t0).toBe(MIN_SPAN);
    expect(zoomTime(v, 400, 1e6).t1 - zoomTime(v, 400, 1e6).t0).toBe(MAX_SPAN);
    const zp = zoomPrice(v, 100, 2, 1000);
    expect(zp.p1 - zp.p0).toBe(200);
    expect(zp.t0).toBe(v.t0);
  });

  it('pans both axes', () => {
    expect(pan(v, 10, -5)).toEqual({ t0: 110, t1: 1010, p0: 45, p1: 145 });
  });

  it('follow mode puts now at the margin and recentres price only when spot nears an edge', () => {
    const f = followView(v, 2000, 100);
    expect(f.t1 - f.t0).toBe(900);
    expect(f.t1).toBeCloseTo(2000 + 900 * MARGIN_SHARE, 9);
    expect([f.p0, f.p1]).toEqual([50, 150]); // spot 100 is central: price stays put
    const g = followView(v, 2000, 145);
    expect((g.p0 + g.p1) / 2).toBe(145);
  });

  it('axis steps are round numbers', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(timeStep(1, 90)).toBe(120);
    expect(timeStep(0.01, 90)).toBe(1);
  });

  it('the cell under a still pointer is derived from the view: zooming moves it', () => {
    const plot = { x: 0, y: 0, w: 900, h: 100 };
    const p = { x: 450, y: 50 };
    expect(cellAt(p, v, plot)).toEqual({ windowIndex: 551, row: 100 });
    expect(cellAt(p, zoomTime(v, 1000, 0.5), plot)!.windowIndex).toBe(776);
    expect(cellAt({ x: 950, y: 50 }, v, plot)).toBeNull();
    expect(cellAt(null, v, plot)).toBeNull();
  });

  it('the view stays on the session: a small margin before the start, nothing past now + the forecast margin', () => {
    const left = clampView({ t0: -2000, t1: -1100, p0: -500, p1: -400 }, 3600, 400, 2000);
    expect(left.t0).toBeCloseTo(-900 * EDGE_PAD, 9);
    expect(left.t1 - left.t0).toBe(900);
    expect(left.p0).toBeCloseTo(-100 * EDGE_PAD, 9);
    const right = clampView({ t0: 3000, t1: 3900, p0: 0, p1: 100 }, 3600, 400, 2000);
    expect(right.t1).toBeCloseTo(2000 + 900 * (MARGIN_SHARE + EDGE_PAD), 9);
    // A span wider than the session is cut to the session and its margins.
    const wide = clampView({ t0: 0, t1: 3000, p0: 0, p1: 100 }, 600, 400, 599);
    expect(wide.t1 - wide.t0).toBeLessThan(800);
    expect(homeIndex(3600, 900)).toBe(Math.ceil(900 * (1 - MARGIN_SHARE - EDGE_PAD)));
  });

  it('after a jump the price rows are fitted to the visible spot track', () => {
    const spot = new Float32Array(2000).fill(NaN);
    for (let i = 100; i <= 1000; i++) spot[i] = 300 + (i - 100) / 10; // 300 → 390
    const fit = fitPriceToSpot(v, spot, 1000, 1000)!;
    expect(fit.p0).toBeLessThan(300);
    expect(fit.p1).toBeGreaterThan(390);
    expect(fitPriceToSpot({ ...v, p0: 250, p1: 450 }, spot, 1000, 1000)).toBeNull();
  });
});
