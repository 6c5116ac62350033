import { DIVERGING, SEQUENTIAL, normalise, type ColorRange } from '../data/colorScale';
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

/** Value → colour table for one range: the value's linear position in the range, quantised. */
interface RangeTable {
  key: string;
  table: Uint32Array;
  scale: number;
  offset: number;
}

let cached: RangeTable | null = null;

/**
 * The table maps the value's linear position in the range (2¹² steps; 2¹⁶ with log scale, whose
 * curve is steep near zero) straight to the colour, so the per-cell loop is a multiply-add, a
 * clamp and one look-up.
 */
function rangeTable(range: ColorRange): RangeTable {
  const key = `${range.lo}:${range.hi}:${range.signed}:${range.log}:${range.gamma ?? 1}:${range.floor ?? ''}`;
  if (cached?.key === key) return cached;
  const lut = range.signed ? LUTS.diverging : LUTS.sequential;
  // Log and a strong contrast are steep near zero: a finer table keeps small values apart.
  const n = range.log || (range.gamma ?? 1) < 1 ? 65536 : 4096;
  const table = new Uint32Array(n);
  const lo = range.signed ? -range.hi : range.lo;
  const w = range.hi - lo;
  for (let i = 0; i < n; i++) {
    const t = normalise(lo + (i / (n - 1)) * w, range);
    table[i] = lut[Math.round(t * (LUT_SIZE - 1))];
  }
  const scale = (n - 1) / w;
  const offset = -lo * scale;
  cached = { key, table, scale, offset };
  return cached;
}

/**
 * Colours slots [first, first + count) of the ring into `out` (RGBA8 packed, same layout:
 * slot-major, one texel per price row): palette colour for cells with data, `empty` otherwise.
 * Mirrors colorScale.normalise (percentile range, symmetric for signed fields, optional log).
 */
export function colourSlots(ring: ColumnRing, first: number, count: number, range: ColorRange, empty: number, out: Uint32Array): void {
  const { table, scale, offset } = rangeTable(range);
  const top = table.length - 1;
  const v = ring.value;
  const p0 = first * ring.rows;
  const p1 = (first + count) * ring.rows;
  for (let p = p0, o = p0 * 2; p < p1; p++, o += 2) {
    if (!(v[o + 1] > 0)) {
      out[p] = empty;
      continue;
    }
    let x = v[o] * scale + offset;
    x = x < 0 ? 0 : x > top ? top : x;
    // NaN (a broken value) shows as the low end rather than poisoning the texel.
    out[p] = table[(x + 0.5) | 0];
  }
}
