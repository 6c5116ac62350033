import { DIVERGING, SEQUENTIAL, type ColorRange } from '../data/colorScale';
import type { ColumnRing } from '../data/columnRing';

// Cells are coloured on the CPU into an RGBA8 mirror of the ring, so the GPU does one texture
// fetch per pixel and nothing else. On software GL (SwiftShader) the old per-pixel shader
// (normalise, log, a dependent palette fetch, branches) ran at ~40 % of a plain fetch's rate
// even at cell resolution. Colouring is incremental: a slot is (re)coloured when its data
// changed or the colour range changed, and only when it is about to be drawn.

/** Palette entries of the lookup table (interpolated from the 256-stop palettes, as GL linear filtering did). */
export const LUT_SIZE = 1024;

function lutOf(palette: Uint8Array): Uint32Array {
  const out = new Uint32Array(LUT_SIZE);
  const bytes = new Uint8Array(out.buffer);
  for (let i = 0; i < LUT_SIZE; i++) {
    const x = (i / (LUT_SIZE - 1)) * 255;
    const a = Math.floor(x);
    const b = Math.min(255, a + 1);
    const u = x - a;
    for (let c = 0; c < 3; c++) bytes[i * 4 + c] = Math.round(palette[a * 4 + c] * (1 - u) + palette[b * 4 + c] * u);
    bytes[i * 4 + 3] = 255;
  }
  return out;
}

export const LUTS = { diverging: lutOf(DIVERGING), sequential: lutOf(SEQUENTIAL) };

/** Background of a cell without data, as RGBA8 packed like the LUT (little-endian). */
export function packRgb(hex: string): number {
  const b = new Uint8Array([parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255]);
  return new Uint32Array(b.buffer)[0];
}

/**
 * Colours slots [first, first + count) of the ring into `out` (RGBA8 packed, same layout:
 * slot-major, one texel per price row): palette colour for cells with data, `empty` otherwise.
 * Mirrors colorScale.normalise (percentile range, symmetric for signed fields, optional log).
 */
export function colourSlots(ring: ColumnRing, first: number, count: number, range: ColorRange, empty: number, out: Uint32Array): void {
  const lut = range.signed ? LUTS.diverging : LUTS.sequential;
  const rows = ring.rows;
  const v = ring.value;
  const top = LUT_SIZE - 1;
  const logK = 1 / Math.log1p(1000);
  const lo = range.lo;
  const inv = range.signed ? 1 / range.hi : 1 / (range.hi - range.lo);
  for (let s = first; s < first + count; s++) {
    let o = s * rows * 2;
    let p = s * rows;
    const end = p + rows;
    for (; p < end; p++, o += 2) {
      if (!(v[o + 1] > 0)) {
        out[p] = empty;
        continue;
      }
      let t: number;
      if (range.signed) {
        t = v[o] * inv;
        t = t < -1 ? -1 : t > 1 ? 1 : t;
        if (range.log) t = (t < 0 ? -1 : 1) * Math.log1p(Math.abs(t) * 1000) * logK;
        t = 0.5 + 0.5 * t;
      } else {
        t = (v[o] - lo) * inv;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        if (range.log) t = Math.log1p(t * 1000) * logK;
      }
      // NaN (a broken value) shows as the low end rather than poisoning the texel.
      out[p] = lut[t >= 0 ? Math.round(t * top) : 0];
    }
  }
}
