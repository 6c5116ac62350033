import { describe, expect, it } from 'vitest';
import { A, B, N, trades } from '../data/testing/tradeRows';
import { cvdSeries, rowTotal, volumeProfile } from './profileData';
import { CVD_STRIP_H, PROFILE_W, cvdGeometry, cvdLabel, profileBars, profileBox, visibleWindowRange } from './profileGeometry';

// Hand-made trade rows (window, price row, aggressor, volume) with sums worked out by hand.

// Two chunks, ordered by window as the engine sends them.
const chunkA = trades([
  [1, 10, B, 5],
  [1, 10, A, 2],
  [2, 11, B, 3],
  [3, 10, A, 7],
  [3, 12, N, 4],
]);
const chunkB = trades([
  [4, 11, A, 1],
  [5, 10, B, 10],
  [6, 13, B, 100], // outside [1, 5] in the range tests
]);

describe('volume profile', () => {
  it('sums volume per price row and aggressor side over the window range, across chunks', () => {
    const p = volumeProfile([chunkA, chunkB], 1, 5);
    expect(p.rows).toEqual([
      { row: 10, buy: 15, sell: 9, other: 0 },
      { row: 11, buy: 3, sell: 1, other: 0 },
      { row: 12, buy: 0, sell: 0, other: 4 },
    ]);
    expect(p.maxTotal).toBe(24);
    expect(p.pocRow).toBe(10);
    expect(p.rows.map(rowTotal).reduce((a, b) => a + b)).toBe(5 + 2 + 3 + 7 + 4 + 1 + 10);
  });

  it('keeps only the windows asked for', () => {
    const p = volumeProfile([chunkA, chunkB], 3, 4);
    expect(p.rows).toEqual([
      { row: 10, buy: 0, sell: 7, other: 0 },
      { row: 11, buy: 0, sell: 1, other: 0 },
      { row: 12, buy: 0, sell: 0, other: 4 },
    ]);
    expect(volumeProfile([chunkA], 7, 9)).toEqual({ rows: [], maxTotal: 0, pocRow: null });
  });
});

describe('cumulative volume delta', () => {
  it('cumulates buy − sell aggressor volume from the first window, carrying empty windows', () => {
    // Window deltas 1..6: +3, +3, −7, −1, +10, +100 ('N' counts for neither side).
    expect([...cvdSeries([chunkA, chunkB], 1, 6)]).toEqual([3, 6, -1, -2, 8, 108]);
    // From window 3: −7, −1, +10, then window 7 has no trades.
    expect([...cvdSeries([chunkB, chunkA], 3, 7)]).toEqual([-7, -8, 2, 102, 102]);
    expect(cvdSeries([chunkA], 5, 4).length).toBe(0);
  });
});

// A 1000 × 400 px plot at y = 6 showing windows 0…100 and price rows 0…40, now at window 80.
const plot = { x: 0, y: 6, w: 1000, h: 400 };
const view = { t0: 0, t1: 100, p0: 0, p1: 40 };

describe('profile and strip geometry', () => {
  it('visible windows are those whose column meets the view, up to now', () => {
    expect(visibleWindowRange(view, 80)).toEqual([1, 80]);
    expect(visibleWindowRange({ ...view, t0: 10.5, t1: 20.2 }, 80)).toEqual([11, 21]);
    expect(visibleWindowRange({ ...view, t0: 90 }, 80)).toBeNull();
  });

  it('ends the profile at now (left of the prediction margin), above the strip', () => {
    expect(profileBox(view, plot, 80, true)).toEqual({ x0: 800 - PROFILE_W, x1: 800, top: 6, bottom: 406 - CVD_STRIP_H });
    // Now right of the view: the profile ends at the plot's edge.
    expect(profileBox({ ...view, t0: 0, t1: 50 }, plot, 80, false)).toEqual({ x0: 1000 - PROFILE_W, x1: 1000, top: 6, bottom: 406 });
    expect(profileBox(view, plot, 5, true)).toBeNull();
  });

  it('draws bar lengths in proportion to volume with the point of control longest', () => {
    const p = volumeProfile([chunkA, chunkB], 1, 5);
    const box = profileBox(view, plot, 80, true)!;
    const bars = profileBars(p, view, plot, box);
    expect(bars).toHaveLength(3);
    const full = PROFILE_W - 2;
    const poc = bars.find((b) => b.poc)!;
    expect(poc.buyW).toBeCloseTo((15 / 24) * full);
    expect(poc.sellW).toBeCloseTo((9 / 24) * full);
    // 10 px per row: row 10 is centred at y = 406 − 100 = 306, its bar spans 301…310.
    expect(poc.y).toBeCloseTo(301);
    expect(poc.h).toBe(9);
    const r12 = bars.find((b) => Math.abs(b.y - 281) < 0.01)!;
    expect(r12.otherW).toBeCloseTo((4 / 24) * full);
    expect(r12.buyW + r12.sellW).toBe(0);
  });

  it('merges rows thinner than two pixels into one bar', () => {
    const p = volumeProfile([chunkA, chunkB], 1, 5);
    const wide = { ...view, p0: -300, p1: 100 }; // 1 px per row: pairs of rows share a bar
    const bars = profileBars(p, wide, plot, profileBox(wide, plot, 80, true)!);
    // Rows 10 and 11 → bucket 5 (28 contracts), row 12 → bucket 6 (4).
    expect(bars).toHaveLength(2);
    const big = bars.find((b) => b.poc)!;
    expect(big.buyW + big.sellW + big.otherW).toBeCloseTo(PROFILE_W - 2);
    expect(big.h).toBe(2);
    // Rows under the CVD strip (here the same rows seen from p0 = 0) are not drawn over it.
    const low = { ...view, p0: 0, p1: 400 };
    expect(profileBars(p, low, plot, profileBox(low, plot, 80, true)!)).toEqual([]);
  });

  it('places the CVD line on the time axis inside the bottom strip, zero line included', () => {
    const s = cvdSeries([chunkA, chunkB], 1, 6); // 3, 6, −1, −2, 8, 108
    const g = cvdGeometry(s, 1, view, plot, 80)!;
    expect(g.box).toEqual({ x0: 0, x1: 800, top: 406 - CVD_STRIP_H, bottom: 406 });
    expect([...g.xs]).toEqual([10, 20, 30, 40, 50, 60]);
    expect(g.min).toBe(-2);
    expect(g.max).toBe(108);
    expect(g.last).toBe(108);
    // The highest value at the strip's top padding, the lowest at its bottom padding.
    expect(g.ys[5]).toBeCloseTo(g.box.top + 5);
    expect(g.ys[3]).toBeCloseTo(g.box.bottom - 5);
    expect(g.zeroY).toBeGreaterThan(g.ys[0]);
    expect(g.zeroY).toBeLessThan(g.ys[3]);
    expect(cvdGeometry(new Float64Array(0), 1, view, plot, 80)).toBeNull();
  });

  it('fits the scale to the visible values of a session-long CVD that never reaches zero', () => {
    // From the session's first window, shown from window 3: the view does not change the values.
    const whole = cvdSeries([chunkA, chunkB], 1, 6); // 3, 6, −1, −2, 8, 108
    const visible = whole.subarray(3 - 1); // windows 3…6: −1, −2, 8, 108
    expect([...visible]).toEqual([-1, -2, 8, 108]);
    const up = Float64Array.from([500, 510, 505, 530]);
    const g = cvdGeometry(up, 3, view, plot, 80)!;
    expect(g.min).toBe(500);
    expect(g.max).toBe(530);
    expect(g.ys[0]).toBeCloseTo(g.box.bottom - 5);
    expect(g.ys[3]).toBeCloseTo(g.box.top + 5);
    expect(g.zeroY).toBeGreaterThan(g.box.bottom); // zero is far below: no zero line in the strip
    expect(g.last).toBe(530);
  });

  it('labels the CVD signed, with thousands separators', () => {
    expect(cvdLabel(1234)).toBe('+1,234');
    expect(cvdLabel(-56)).toBe('−56');
    expect(cvdLabel(0)).toBe('0');
  });
});
