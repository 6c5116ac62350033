import { describe, expect, it } from 'vitest';
import { ColumnRing } from '../data/columnRing';
import { DIVERGING, SEQUENTIAL, normalise, type ColorRange } from '../data/colorScale';
import { LUT_SIZE, colourSlots, packRgb } from './cellColours';

// The CPU colouring must draw what the old per-pixel shader drew: colorScale.normalise, then the
// palette with linear interpolation between its 256 stops; cells without data get the background.

const BG = packRgb('#0c0f14');

function ringWith(values: number[]): ColumnRing {
  const ring = new ColumnRing(4, values.length);
  const base = ring.claim(5); // window 5 → slot 1, lap 1
  values.forEach((v, r) => {
    ring.value[base + r * 2] = v;
    ring.value[base + r * 2 + 1] = Number.isNaN(v) ? 0 : ring.markOf(5);
  });
  return ring;
}

/** Palette colour the GL linear filter gave at palette coordinate t (texel centres at i/255). */
function expected(palette: Uint8Array, t: number): number[] {
  const x = Math.round(t * (LUT_SIZE - 1)) / (LUT_SIZE - 1) * 255;
  const a = Math.floor(x);
  const b = Math.min(255, a + 1);
  return [0, 1, 2].map((c) => Math.round(palette[a * 4 + c] * (1 - (x - a)) + palette[b * 4 + c] * (x - a)));
}

const rgbaAt = (out: Uint32Array, i: number) => [...new Uint8Array(out.buffer, i * 4, 4)];

describe('CPU cell colouring', () => {
  it('colours signed values on the diverging palette symmetric around zero, empty cells as background', () => {
    const values = [-8, -2, 0, 0.5, 3, 100, NaN];
    const ring = ringWith(values);
    const out = new Uint32Array(ring.slots * ring.rows);
    const range: ColorRange = { lo: -4, hi: 4, signed: true, log: false };
    colourSlots(ring, 1, 1, range, BG, out);
    values.forEach((v, r) => {
      const got = rgbaAt(out, ring.rows + r);
      if (Number.isNaN(v)) expect(out[ring.rows + r]).toBe(BG);
      else {
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - expected(DIVERGING, normalise(v, range))[c])).toBeLessThanOrEqual(1);
        expect(got[3]).toBe(255);
      }
    });
    // Zero is the neutral middle of the diverging palette (about the dark #0e1117 stop).
    rgbaAt(out, ring.rows + 2)
      .slice(0, 3)
      .forEach((c, i) => expect(Math.abs(c - [14, 17, 23][i])).toBeLessThanOrEqual(1));
    // Other slots are untouched.
    expect(out[0]).toBe(0);
  });

  it('colours magnitudes on the sequential palette between the percentiles, with log scale', () => {
    const values = [0, 1, 10, 50, 200, 1e6];
    const ring = ringWith(values);
    const out = new Uint32Array(ring.slots * ring.rows);
    for (const log of [false, true]) {
      const range: ColorRange = { lo: 1, hi: 200, signed: false, log };
      colourSlots(ring, 1, 1, range, BG, out);
      values.forEach((v, r) => {
        const got = rgbaAt(out, ring.rows + r);
        const want = expected(SEQUENTIAL, normalise(v, range));
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - want[c])).toBeLessThanOrEqual(1);
      });
    }
    // Above the range clamps to the palette's top colour.
    expect(rgbaAt(out, ring.rows + 5).slice(0, 3)).toEqual([252, 240, 160]);
  });
});
