import { describe, expect, it } from 'vitest';
import type { PlotRect } from '../render/heatmap';
import type { View } from '../state/chartStore';
import { handPath } from './testing/handPath';
import { horizonAtX, horizonX, marginBox, marginGeometry, MARGIN_PAD_RIGHT, moveLabel } from './marginGeometry';
import { pastPathSegments } from './pastPath';

// The margin's geometry with hand-made forecasts: a 1000 × 400 px plot showing windows
// −880…120 (now = 0 at x = 880) and price rows 0…40 (10 px per row); absolute tick = row +
// 1000. The margin runs from x = 880 to 1000 − MARGIN_PAD_RIGHT = 986 on a √h scale.

const plot: PlotRect = { x: 0, y: 0, w: 1000, h: 400 };
const view: View = { t0: -880, t1: 120, p0: 0, p1: 40 };
const rowOfTick = (tick: number) => tick - 1000;
const W = 1000 - MARGIN_PAD_RIGHT - 880;

const path = handPath;

describe('margin geometry', () => {
  it('places now at the margin start and horizons on a square-root axis to its 30 s edge', () => {
    const box = marginBox(view, plot, 0)!;
    expect(box.x0).toBeCloseTo(880, 9);
    expect(box.x1).toBeCloseTo(1000 - MARGIN_PAD_RIGHT, 9);
    expect(horizonX(box, 30)).toBeCloseTo(box.x1, 9);
    expect(horizonX(box, 30 / 4)).toBeCloseTo(880 + W / 2, 9);
    expect(horizonX(box, 1)).toBeCloseTo(880 + W * Math.sqrt(1 / 30), 9);
    // The pointer maps back to the nearest whole horizon.
    for (const h of [1, 2, 5, 10, 29, 30]) expect(horizonAtX(box, horizonX(box, h))).toBe(h);
    expect(horizonAtX(box, 870)).toBeNull();
    expect(horizonAtX(box, 880.2)).toBe(1);
  });

  it('caps the margin at 22 % of the plot when now is far left (zoomed out early in a session)', () => {
    const box = marginBox({ ...view, t0: -200, t1: 800 }, plot, 0)!;
    expect(box.x0).toBeCloseTo(200, 9);
    expect(box.x1 + MARGIN_PAD_RIGHT).toBeCloseTo(200 + 220, 9);
    expect(horizonX(box, 30)).toBeCloseTo(box.x1, 9);
    expect(horizonAtX(box, 600)).toBeNull();
  });

  it('has no margin when now is off screen or the margin is too narrow', () => {
    expect(marginBox({ ...view, t0: 10, t1: 1010 }, plot, 0)).toBeNull();
    expect(marginBox({ ...view, t0: -995, t1: 5 }, plot, 0)).toBeNull();
  });

  it('maps predicted ticks to the chart rows: path from spot, band edges, labels at 1/5/10/30 s', () => {
    const box = marginBox(view, plot, 0)!;
    // Spot tick 1020 (row 20, y = 200); +0.1 tick per second; band half-width 0.5 + 0.1·(h−1).
    const moves = Array.from({ length: 30 }, (_, i) => 0.1 * (i + 1));
    const half = Array.from({ length: 30 }, (_, i) => 0.5 + 0.1 * i);
    const geo = marginGeometry(path(1020, moves, half), box, view, plot, rowOfTick)!;
    expect(geo.origin).toEqual({ x: 880, y: 200 });
    expect(geo.path).toHaveLength(31);
    // h = 10: +1 tick → row 21 → y = 190; band ±1.4 ticks → 176 … 204.
    expect(geo.path[10].x).toBeCloseTo(horizonX(box, 10), 9);
    expect(geo.path[10].y).toBeCloseTo(190, 9);
    expect(geo.band[10].yHi).toBeCloseTo(176, 9);
    expect(geo.band[10].yLo).toBeCloseTo(204, 9);
    // The band starts as a point at the origin and widens with the horizon.
    expect(geo.band[0].yLo - geo.band[0].yHi).toBe(0);
    expect(geo.band[30].yLo - geo.band[30].yHi).toBeGreaterThan(geo.band[10].yLo - geo.band[10].yHi);
    expect(geo.labels.map((l) => [l.horizonS, l.text])).toEqual([
      [1, '▲ +0.1'],
      [5, '▲ +0.5'],
      [10, '▲ +1'],
      [30, '▲ +3'],
    ]);
    expect(geo.labels[3].x).toBeCloseTo(box.x1, 9);
  });

  it('labels a fall in ticks with a minus sign and a flat forecast as 0; a band given upside down is still ordered', () => {
    expect(moveLabel(-1, -2.25)).toBe('▼ −2.3');
    expect(moveLabel(-1, -12.4)).toBe('▼ −12');
    expect(moveLabel(0, 0.02)).toBe('■ 0');
    const box = marginBox(view, plot, 0)!;
    const p = path(1020, [-2], [1]);
    [p.points[0].bandLoTick, p.points[0].bandHiTick] = [p.points[0].bandHiTick, p.points[0].bandLoTick];
    const geo = marginGeometry(p, box, view, plot, rowOfTick)!;
    expect(geo.band[1].yHi).toBeCloseTo(210, 9); // 1019 → row 19
    expect(geo.band[1].yLo).toBeCloseTo(230, 9); // 1017 → row 17
  });

  it('draws nothing for a window without a valid spot or without points', () => {
    const box = marginBox(view, plot, 0)!;
    expect(marginGeometry(path(NaN, [1], [1]), box, view, plot, rowOfTick)).toBeNull();
    expect(marginGeometry(path(1020, [], []), box, view, plot, rowOfTick)).toBeNull();
  });
});

describe('past-forecast path', () => {
  it('puts at each time the prediction made h s before it, breaking where none is held', () => {
    // Windows −10…0 visible in a 110 px plot (10 px per window); forecasts made at origin o
    // predict tick 1000 + o + h; none for origins −8 and −7.
    const v: View = { t0: -10, t1: 1, p0: -20, p1: 20 };
    const p: PlotRect = { x: 0, y: 0, w: 110, h: 400 };
    const predictedAt = (o: number, h: number) => (o === -8 || o === -7 ? NaN : 1000 + o + h);
    const segs = pastPathSegments(predictedAt, 5, v, p, 0, rowOfTick);
    // t from max(5, −10) … — the horizon bounds the start: no origin before window 0.
    expect(segs).toEqual([]);
    const segs2 = pastPathSegments(predictedAt, 2, { ...v, t0: 10, t1: 21 }, p, 20, rowOfTick);
    expect(segs2).toHaveLength(1);
    expect(segs2[0]).toHaveLength(11);
    // t = 15 → origin 13 predicts 1015 → row 15 → y = 400 − (15 + 20) · 10 = 50.
    expect(segs2[0][5]).toEqual({ x: 50, y: 50 });
  });

  it('breaks on origins without a forecast', () => {
    const v: View = { t0: 0, t1: 11, p0: -20, p1: 20 };
    const p: PlotRect = { x: 0, y: 0, w: 110, h: 400 };
    const predictedAt = (o: number) => (o === 4 || o === 5 ? NaN : 1000);
    const segs = pastPathSegments(predictedAt, 1, v, p, 10, rowOfTick);
    // t = 1…10, origins 0…9; origins 4, 5 (t = 5, 6) missing → [1…4] and [7…10].
    expect(segs.map((s) => s.length)).toEqual([4, 4]);
    expect(segs[1][0].x).toBe(70);
  });
});
