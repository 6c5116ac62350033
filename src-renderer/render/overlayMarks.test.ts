import { describe, expect, it } from 'vitest';
import { tradesAt, wallsVoidsAt, type WallsVoids } from '../data/overlayData';
import { A, B, trades } from '../data/testing/tradeRows';
import { BUBBLE_R_MAX, BUBBLE_R_MIN, bubbleRadius, tradeBubbles, wallVoidMarkers } from './overlayMarks';

// Overlay geometry in CSS px: a 1000 × 500 plot showing windows 0…100 (10 px per window) and
// price rows 0…50 (10 px per row), "now" at window 80.
const plot = { x: 0, y: 0, w: 1000, h: 500 };
const view = { t0: 0, t1: 100, p0: 0, p1: 50 };

describe('trade bubbles', () => {
  it('sit at the centre of their 1-s column and price row, area ∝ volume, coloured by aggressor', () => {
    const b = tradeBubbles([trades([[10, 20, B, 9], [10, 21, A, 36], [90, 20, B, 9]])], view, plot, 80);
    // Window 90 is right of now: the forecast margin stays empty.
    expect(b).toHaveLength(2);
    const sell = b.find((x) => x.side === 'sell')!;
    const buy = b.find((x) => x.side === 'buy')!;
    expect(buy.x).toBeCloseTo(95); // column 10 spans t ∈ [9, 10] → x 90…100
    expect(buy.y).toBeCloseTo(300); // row 20 → 500 − 20·10
    expect(sell.y).toBeCloseTo(290);
    // r ∝ √volume: 36 contracts give twice the radius of 9.
    expect(sell.r / buy.r).toBeCloseTo(2);
    // Bigger bubbles are drawn first so small ones stay on top.
    expect(b[0].volume).toBe(36);
  });

  it('merge neighbouring windows when zoomed out so bubbles do not pile into a smear', () => {
    const wide = { t0: 0, t1: 3000, p0: 0, p1: 50 }; // 3 s per px → 18-window buckets
    const rows: [number, number, number, number][] = [];
    for (let w = 0; w < 18; w++) rows.push([w, 20, B, 1]);
    const b = tradeBubbles([trades(rows)], wide, plot, 2000);
    expect(b).toHaveLength(1);
    expect(b[0].volume).toBe(18);
  });

  it('radius is bounded', () => {
    expect(bubbleRadius(0)).toBe(BUBBLE_R_MIN);
    expect(bubbleRadius(1e6)).toBe(BUBBLE_R_MAX);
  });

  it('tooltip sums volume by aggressor at one cell', () => {
    const t = trades([[10, 20, B, 4], [10, 20, A, 3], [10, 20, 78, 2], [11, 20, B, 100]]);
    expect(tradesAt(t, 10, 20)).toEqual({ buy: 4, sell: 3, other: 2, buyCount: 1, sellCount: 1 });
  });
});

describe('walls and voids markers', () => {
  const wv: WallsVoids = {
    n: 3,
    wi: Int32Array.from([10, 10, 50]),
    row: Float32Array.from([30, 10, 25]),
    kind: Uint8Array.from([87, 86, 87]),
    direction: Uint8Array.from([85, 68, 85]),
    rank: Uint8Array.from([1, 2, 1]),
    relTicks: Int32Array.from([5, -15, 2]),
    strength: Float64Array.from([3.5, 0.8, 2]),
  };

  it('span their window column at the level; walls are bars, voids are taller boxes', () => {
    const m = wallVoidMarkers([wv], view, plot, 80);
    expect(m).toHaveLength(3);
    const wall = m[0];
    expect(wall.wall).toBe(true);
    expect(wall.x).toBeCloseTo(91); // column 10 = x 90…100, 1 px gap each side
    expect(wall.w).toBeCloseTo(8);
    expect(wall.y + wall.h / 2).toBeCloseTo(200); // row 30
    const hole = m[1];
    expect(hole.wall).toBe(false);
    expect(hole.h).toBeGreaterThan(wall.h);
    expect(hole.rank).toBe(2);
  });

  it('are not drawn right of now or outside the price view', () => {
    expect(wallVoidMarkers([wv], view, plot, 20)).toHaveLength(2);
    expect(wallVoidMarkers([wv], { ...view, p0: 20, p1: 50 }, plot, 80)).toHaveLength(2);
  });

  it('keep only the nearest ranks when price rows are a few pixels tall', () => {
    // 10 px per row: every rank; 3.3 px: ranks 1–2; 1 px: rank 1 only (the void of rank 2 goes).
    expect(wallVoidMarkers([wv], view, plot, 80).map((m) => m.rank)).toEqual([1, 2, 1]);
    expect(wallVoidMarkers([wv], { ...view, p1: 500 / 3 }, plot, 80).map((m) => m.rank)).toEqual([1, 2, 1]);
    expect(wallVoidMarkers([wv], { ...view, p1: 500 }, plot, 80).map((m) => m.rank)).toEqual([1, 1]);
  });

  it('the tooltip finds the level under the cursor with its strength', () => {
    expect(wallsVoidsAt(wv, 10, 30)).toEqual([{ kind: 'wall', direction: 'above', rank: 1, relTicks: 5, strength: 3.5 }]);
    expect(wallsVoidsAt(wv, 10, 31)).toEqual([]);
    expect(wallsVoidsAt(wv, 50, 25)[0].strength).toBe(2);
  });
});
