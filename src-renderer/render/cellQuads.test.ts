import { describe, expect, it } from 'vitest';
import { ColumnRing } from '../data/columnRing';
import { cellQuads, columnSpan } from './cellQuads';

// Each textured quad must put every buffer pixel's centre on the texel of its own cell (the
// fragment shader only fetches), skip columns not held, split where the ring wraps, and
// leave the future to the flat quad.

function heldRing(slots: number, rows: number, windows: number[]): ColumnRing {
  const ring = new ColumnRing(slots, rows);
  for (const w of windows) ring.claim(w);
  return ring;
}

/** Texture coordinate at clip point (x, y) inside a quad, by the same interpolation GL does. */
function texAt(q: Float32Array, quad: number, x: number, y: number): [number, number] {
  const o = quad * 24;
  const [x0, y0, u0, v0] = [q[o], q[o + 1], q[o + 2], q[o + 3]];
  const [x1, y1, u1, v1] = [q[o + 20], q[o + 21], q[o + 22], q[o + 23]];
  const fx = (x - x0) / (x1 - x0);
  const fy = (y - y0) / (y1 - y0);
  return [u0 + (u1 - u0) * fy, v0 + (v1 - v0) * fx];
}

describe('heatmap quads', () => {
  it('one quad for a run of held columns; pixel centres land on their own cell texel', () => {
    const ring = heldRing(100, 50, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    // Buffer covers columns 11..20 (t ∈ [10, 20)) and rows 5..14 (p ∈ [4.5, 14.5)), 1 px per cell.
    const q = cellQuads(ring, [10, 20, 4.5, 14.5], { t0: 10.3, t1: 19.6 }, 20);
    expect(q.runs).toEqual([[10, 20]]);
    expect(q.count).toBe(6);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const x = ((i + 0.5) / 10) * 2 - 1;
        const y = ((j + 0.5) / 10) * 2 - 1;
        const [u, v] = texAt(q.cells, 0, x, y);
        expect(Math.floor(u * ring.rows)).toBe(5 + j); // row
        expect(Math.floor(v * ring.slots)).toBe(ring.slotOf(11 + i)); // window 11 + i
        // Centred on the texel, far from its edges.
        expect(Math.abs(((u * ring.rows) % 1) - 0.5)).toBeLessThan(1e-4);
      }
    }
    expect(q.future).toBeNull(); // now (20) is the right edge
  });

  it('skips columns not held, splits at the ring wrap, and stops at now with the future quad', () => {
    // 8 slots: windows 5..9 and 10..12 are contiguous in time but 8 → slot 0 wraps.
    const ring = heldRing(8, 4, [3, 5, 6, 7, 8, 9, 10]);
    const q = cellQuads(ring, [0, 20, -0.5, 3.5], { t0: 0, t1: 20 }, 9);
    expect(q.runs).toEqual([
      [3, 3],
      [5, 7],
      [8, 9],
    ]);
    expect(q.count).toBe(18);
    // Window 10 is held but after now: not drawn; the future starts at t = 9.
    expect(q.future![0]).toBeCloseTo((9 / 20) * 2 - 1, 9);
    expect(q.future![1]).toBe(1);
  });

  it('draws no cell quads when the visible prices are outside the session', () => {
    const ring = heldRing(8, 4, [1, 2]);
    const q = cellQuads(ring, [0, 4, 10, 20], { t0: 0, t1: 4 }, 2);
    expect(q.count).toBe(0);
    expect(q.runs.length).toBe(1); // still coloured if asked: the run exists
  });

  it('visible columns carry one column of margin each side', () => {
    expect(columnSpan(10.3, 19.6)).toEqual([10, 21]);
  });
});
