import { describe, expect, it } from 'vitest';
import { DIVERGING, SEQUENTIAL, nearlySameRange, normalise, percentileRange, valueAt } from './colorScale';

describe('colour scale', () => {
  const values = Float32Array.from({ length: 1001 }, (_, i) => i - 500); // −500 … 500

  it('clips magnitudes at the 2nd and 95th percentiles of the active cells', () => {
    const r = percentileRange(Float32Array.from({ length: 101 }, (_, i) => i + 1), false, false); // 1 … 101
    expect(r.lo).toBe(3);
    expect(r.hi).toBe(96);
  });

  it('contrast (gamma) lifts small values and keeps the ends; valueAt inverts normalise', () => {
    const lin = { lo: 0, hi: 100, signed: false, log: false };
    const g = { ...lin, gamma: 0.5 };
    expect(normalise(1, g)).toBeCloseTo(0.1, 9);
    expect(normalise(100, g)).toBe(1);
    for (const r of [lin, g, { ...g, log: true, lo: 1 }, { lo: -5, hi: 5, signed: true, log: true, gamma: 0.6, floor: 0.05 }]) {
      for (const v of [2, 3.3, 4.9]) expect(valueAt(normalise(v, r), r)).toBeCloseTo(v, 6);
    }
  });

  it('a log scale of a magnitude is a true log axis: equal ratios, equal steps (no saturation)', () => {
    const r = { lo: 1, hi: 1000, signed: false, log: true, floor: 1 };
    expect(normalise(10, r)).toBeCloseTo(1 / 3, 9);
    expect(normalise(100, r)).toBeCloseTo(2 / 3, 9);
  });

  it('gives signed fields a symmetric range so zero stays neutral', () => {
    const r = percentileRange(values.map((v) => (v > 0 ? v * 3 : v)), true, false);
    expect(r.lo).toBe(-r.hi);
    expect(normalise(0, r)).toBe(0.5);
    expect(normalise(r.hi * 10, r)).toBe(1); // clipped
    expect(normalise(-r.hi * 10, r)).toBe(0);
  });

  it('ignores the zeros of quiet cells so a sparse field keeps its contrast', () => {
    const sparse = new Float32Array(1000);
    for (let i = 0; i < 50; i++) sparse[i * 20] = i % 2 ? 10 : -10;
    expect(percentileRange(sparse, true, false).hi).toBe(10);
    // Heavy tail: the range is set by the bulk of the active cells, not by one rare burst.
    const tail = Float32Array.from({ length: 1000 }, (_, i) => (i < 990 ? 0.1 : 100));
    expect(percentileRange(tail, true, false).hi).toBeCloseTo(0.1, 6);
  });

  it('never returns an empty range', () => {
    const r = percentileRange(new Float32Array([2, 2, 2]), false, false);
    expect(r.hi).toBeGreaterThan(r.lo);
    const z = percentileRange(new Float32Array([0, 0]), true, false);
    expect(z.hi).toBeGreaterThan(0);
  });

  it('log scale lifts small values but keeps the ends and the order', () => {
    const r = { lo: 0, hi: 100, signed: false, log: true };
    expect(normalise(0, r)).toBe(0);
    expect(normalise(100, r)).toBeCloseTo(1, 6);
    expect(normalise(1, r)).toBeGreaterThan(normalise(1, { ...r, log: false }));
    expect(normalise(2, r)).toBeGreaterThan(normalise(1, r));
  });

  it('diverging palette: red below the middle, green above, dark at zero', () => {
    const px = (i: number) => [DIVERGING[i * 4], DIVERGING[i * 4 + 1], DIVERGING[i * 4 + 2]];
    const [r0, g0] = px(10);
    const [r1, g1] = px(245);
    const mid = px(128);
    expect(r0).toBeGreaterThan(g0);
    expect(g1).toBeGreaterThan(r1);
    expect(Math.max(...mid)).toBeLessThan(60);
    expect(SEQUENTIAL.length).toBe(256 * 4);
  });

  it('keeps a range that barely drifted (no visible change) and takes one that moved or changed kind', () => {
    const r = { lo: -4, hi: 4, signed: true, log: false };
    expect(nearlySameRange(r, { ...r, lo: -4.1, hi: 4.1 })).toBe(true);
    expect(nearlySameRange(r, { ...r, lo: -4.4, hi: 4.4 })).toBe(false);
    expect(nearlySameRange(r, { ...r, log: true })).toBe(false);
    expect(nearlySameRange(r, { ...r, signed: false })).toBe(false);
  });
});
