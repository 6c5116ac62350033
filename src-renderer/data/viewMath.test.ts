import { describe, expect, it } from 'vitest';
import { MARGIN_SHARE, MAX_SPAN, MIN_SPAN } from '../state/chartStore';
import { followView, niceStep, pan, timeStep, zoomPrice, zoomTime } from './viewMath';

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
});
